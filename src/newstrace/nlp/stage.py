"""The NLP stage: parse each new article once (headline and body together) and resolve its
entities and actor mentions against the registry, as the actors stood on the article's date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from ..actors import ActorFields
from ..records import Analysis, Article, Entity
from .layout import analysed_text, from_analysed
from .mentions import resolve_doc
from .model import NLP_VERSION, load_model

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..actors import ActorMention, ActorRegistry

__all__ = ["NlpStage"]


def _entities(
    article: Article, doc: Doc, mentions: Sequence[ActorMention], body_start: int
) -> tuple[Entity, ...]:
    """spaCy's entities and the registry's actor mentions, one row per span."""
    rows: dict[tuple[int, int], Entity] = {}

    def where(a: int, b: int) -> tuple[int, int, bool, str] | None:
        # A span the parser ran across the headline's end is cut at it; its text is the source's.
        start, end, in_title = from_analysed(a, b, body_start)
        source = (article.title or "") if in_title else article.text
        text = source[start:end]
        if not text.strip():
            return None
        end -= len(text) - len(text.rstrip())
        return start, end, in_title, text.rstrip()

    for ent in doc.ents:
        at = where(ent.start_char, ent.end_char)
        if at is not None:
            start, end, in_title, text = at
            rows[(ent.start_char, ent.end_char)] = Entity(
                article.id, start, end, text, ent.label_, in_title
            )
    for m in mentions:
        at = where(m.start_char, m.end_char)
        if at is None:
            continue
        start, end, in_title, text = at
        fields = ActorFields.from_resolved(m.actor)
        rows[(m.start_char, m.end_char)] = Entity(
            article_id=article.id,
            start=start,
            end=end,
            text=text,
            label=m.label,
            in_title=in_title,
            actor=fields.actor,
            actor_id=fields.actor_id,
            kind=fields.kind,
            country=fields.country,
            sector=fields.sector,
            name=fields.name,
            title=fields.title,
            basis=fields.basis,
        )
    return tuple(rows[k] for k in sorted(rows))


class NlpStage:
    """Analyses in, the same with the parse and the entities assigned.

    Texts go through `nlp.pipe` together, so a batch is parsed at the model's speed. A run's
    parallelism is its worker processes (each runs whole batches), so the registry builds this
    stage with `n_process=1`; more makes spaCy fork its own workers inside. A text longer than the model's `max_length` is stored
    without analysis and says so in a warning, rather than taking the run down.
    """

    name: str = NLP_VERSION
    kind: ClassVar[str] = "article"
    requires: tuple[str, ...] = ("article",)
    assigns: tuple[str, ...] = ("doc", "entities")
    topics: tuple[str, ...] = ("nlp", "entities")

    def __init__(
        self, registry: ActorRegistry, *, model: str, batch_size: int = 64, n_process: int = 1
    ) -> None:
        self.registry = registry
        self.model = model
        self.batch_size = batch_size
        self.n_process = n_process

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        nlp = load_model(self.model)
        out: list[Analysis] = list(batch)
        todo: list[tuple[int, Analysis, str, int]] = []
        for i, item in enumerate(batch):
            article = item.article
            text, body_start = analysed_text(article)
            if article.language and article.language != nlp.lang:
                # An English parse of German text yields confident nonsense: say it, store none.
                out[i] = self._unanalysed(
                    item,
                    f"nlp: the article is in {article.language!r} and the model {self.model} "
                    f"reads {nlp.lang!r}; no entities or quotes (configure spacy_model)",
                )
                continue
            if len(text) > nlp.max_length:
                out[i] = self._unanalysed(
                    item,
                    f"nlp: text of {len(text)} characters is longer than the model's limit "
                    f"({nlp.max_length}); not parsed, so no entities or quotes",
                )
                continue
            todo.append((i, item, text, body_start))
        docs: list[Doc | str]
        try:
            docs = list(
                nlp.pipe(
                    (t for _, _, t, _ in todo), batch_size=self.batch_size, n_process=self.n_process
                )
            )
        except Exception:  # one text the model chokes on must not cost the batch: parse one by one
            docs = [self._parse_one(nlp, text) for _, _, text, _ in todo]
        for (i, item, _text, body_start), doc in zip(todo, docs, strict=True):
            if isinstance(doc, str):
                out[i] = self._unanalysed(item, doc)
            else:
                out[i] = self._analyse(item, doc, body_start)
        return out

    @staticmethod
    def _parse_one(nlp: Any, text: str) -> Doc | str:
        """The parse, or a warning saying why there is none."""
        try:
            return nlp(text)
        except Exception as exc:
            return f"nlp: the parser failed on this text ({type(exc).__name__}: {str(exc)[:200]})"

    def _unanalysed(self, item: Analysis, why: str, doc: Doc | None = None) -> Analysis:
        return replace(item.noted(self.name, why), doc=doc).assign(self.name)

    def _analyse(self, item: Analysis, doc: Doc, body_start: int) -> Analysis:
        article = item.article
        try:
            mentions = resolve_doc(self.registry, doc, when=article.published)
        except Exception as exc:  # one odd document must not stop the batch; say what was lost
            return self._unanalysed(
                item, f"entities: actor resolution failed ({type(exc).__name__}: {exc})", doc
            )
        entities = _entities(article, doc, mentions, body_start)
        return replace(item, doc=doc).assign(self.name, entities=entities)

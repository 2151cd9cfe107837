"""The stage kinds, and pipeline assembly that checks every `requires` against what comes before.

Work has three shapes, so stages come in three kinds (and one gate between them):
- **document** stages turn each raw input into an article or a failure (cleaning);
- the **gate** keeps only the articles the store does not hold yet, so each is analysed once;
- **article** stages take a batch of analyses and return them with their products added (the
  parse, entities, quotes, later events). They see nothing but their batch, which is what lets a
  worker process run them;
- **corpus** stages read what the store already holds and add to it incrementally (duplicates,
  stories, quote variants): see `newstrace.pipeline.run_corpus`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from .errors import PipelineError
from .records import Analysis, Article, Failure, RawDocument

if TYPE_CHECKING:
    from .store.reader import Reader

__all__ = [
    "KINDS",
    "ArticleStage",
    "CorpusStage",
    "DocumentStage",
    "Gate",
    "Pipeline",
    "PipelineError",
    "Processed",
    "Stage",
    "StoredGate",
    "corpus_scope",
    "family",
]

# The order stages of each kind run in; a pipeline lists its stages in this order.
KINDS = ("document", "gate", "article", "corpus")


def family(version: str) -> str:
    """ "newstrace.quotes.v2" -> "newstrace.quotes": versions of one stage replace each other."""
    return version.rsplit(".v", 1)[0]


@runtime_checkable
class Stage(Protocol):
    """A step with a versioned name (`newstrace.quotes.v2`). `requires` names the products it
    reads; `assigns` what it adds. A stage returns new records and never mutates its inputs or
    hidden globals, so the same code runs in the main process, in a worker, or on a cluster."""

    name: str
    kind: ClassVar[str]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


class DocumentStage(Stage, Protocol):
    """Raw inputs in, articles or failures out, one for one and in order (anything else passes)."""

    def __call__(
        self, batch: Sequence[RawDocument | Article | Failure]
    ) -> list[RawDocument | Article | Failure]: ...


class Gate(Stage, Protocol):
    """Of a batch of articles, the ones to analyse, given a lookup of the ids already stored."""

    def __call__(
        self, articles: Sequence[Article], stored: Callable[[Iterable[str]], set[str]]
    ) -> list[Article]: ...


class ArticleStage(Stage, Protocol):
    """Analyses in, the same analyses out with this stage's products assigned.

    `topics` are the prefixes of the notes it writes ("nlp", "entities"): re-analysing an
    article drops the stored notes of the stages that run again.
    """

    topics: tuple[str, ...]

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]: ...


class CorpusStage(Stage, Protocol):
    """Reads stored articles it has not seen yet and returns records of the products it assigns.

    `step` is given a page of stored articles (in store order, never one it saw before under the
    same version) and a read handle on the whole store, and returns its new records by product.
    Writing them and moving the stage's watermark happen in one transaction, so a killed run
    resumes where it stopped. A new version starts again from the first article, after the
    store forgets what the old one wrote: all of its products' rows, or, when the stage declares
    an optional `scope` ({product: {column: value}}), only those rows of a product it shares
    with other stages (the `links` of its own kind). `corpus_scope` reads it.
    """

    def step(self, articles: Sequence[Any], reader: Reader) -> dict[str, Sequence[Any]]: ...


def corpus_scope(stage: CorpusStage) -> Mapping[str, Mapping[str, str]] | None:
    """The rows a corpus stage owns in products it shares, if it says (see CorpusStage)."""
    return getattr(stage, "scope", None)


class StoredGate:
    """The gate of every pipeline: an article the store already holds (the same text from another
    source, or a re-run) is not analysed again; its stored analysis stands."""

    name = "newstrace.gate.stored.v1"
    kind: ClassVar[str] = "gate"
    requires: tuple[str, ...] = ("article",)
    assigns: tuple[str, ...] = ("analysis",)

    def __call__(
        self, articles: Sequence[Article], stored: Callable[[Iterable[str]], set[str]]
    ) -> list[Article]:
        known = stored({a.id for a in articles})
        # The first copy of a text is the one the store keeps (the writer inserts the first), so
        # it is the one analysed: a later copy may have another title or date.
        fresh: dict[str, Article] = {}
        for a in articles:
            if a.id not in known and a.id not in fresh:
                fresh[a.id] = a
        return list(fresh.values())


@dataclass(frozen=True)
class Processed:
    """What one batch of inputs became: articles (each with the raw sha it came from), failures,
    and the analyses of the articles that were new to the store."""

    articles: list[tuple[Article, str]]
    failures: list[Failure]
    analyses: list[Analysis]


@dataclass(frozen=True)
class Pipeline:
    """Stages in kind order, checked at assembly rather than half-way through a run."""

    stages: tuple[Stage, ...]
    provided: tuple[str, ...] = ("raw",)

    def __post_init__(self) -> None:
        have = set(self.provided)
        rank = -1
        for stage in self.stages:
            if stage.kind not in KINDS:
                raise PipelineError(f"stage {stage.name}: unknown kind {stage.kind!r}")
            if KINDS.index(stage.kind) < rank:
                raise PipelineError(
                    f"stage {stage.name} is a {stage.kind} stage after a later kind; "
                    f"list stages in the order {', '.join(KINDS)}"
                )
            rank = KINDS.index(stage.kind)
            missing = [r for r in stage.requires if r not in have]
            if missing:
                raise PipelineError(
                    f"stage {stage.name} requires {', '.join(missing)}, which no earlier stage "
                    "assigns; reorder the stages or add the one that provides it"
                )
            have.update(stage.assigns)
        if self.article and not self.gates:
            raise PipelineError("article stages need a gate before them (newstrace.gate.stored)")

    def of_kind(self, kind: str) -> tuple[Any, ...]:
        return tuple(s for s in self.stages if s.kind == kind)

    @property
    def document(self) -> tuple[DocumentStage, ...]:
        return self.of_kind("document")

    @property
    def gates(self) -> tuple[Gate, ...]:
        return self.of_kind("gate")

    @property
    def article(self) -> tuple[ArticleStage, ...]:
        return self.of_kind("article")

    @property
    def corpus(self) -> tuple[CorpusStage, ...]:
        return self.of_kind("corpus")

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    @property
    def topics(self) -> tuple[str, ...]:
        """The note prefixes the article stages write."""
        return tuple(t for s in self.article for t in s.topics)

    def clean(
        self, batch: Sequence[RawDocument | Article | Failure]
    ) -> list[RawDocument | Article | Failure]:
        """Run the document stages: every raw input becomes an article or a failure, in order."""
        out = list(batch)
        for stage in self.document:
            out = stage(out)
        return out

    def analyse(self, articles: Sequence[Article]) -> list[Analysis]:
        """Run the article stages on these articles (whatever the store holds)."""
        batch = [Analysis(a) for a in articles]
        for stage in self.article:
            batch = stage(batch)
        return batch

    def process(
        self,
        batch: Sequence[RawDocument | Failure],
        shas: Sequence[str | None],
        stored: Callable[[Iterable[str]], set[str]],
    ) -> Processed:
        """One batch of inputs through the document stages, the gate and the article stages.
        `shas[i]` is the raw sha of `batch[i]`; `stored` says which article ids are stored."""
        articles: list[tuple[Article, str]] = []
        failures: list[Failure] = []
        for item, sha in zip(self.clean(batch), shas, strict=True):
            if isinstance(item, Article):
                articles.append((item, sha or ""))
            elif isinstance(item, Failure):
                failures.append(item)
            else:  # nothing is dropped silently: a document stage must decide every input
                raise PipelineError(f"{item.source}: no document stage turned it into an article")
        fresh = [a for a, _ in articles]
        for gate in self.gates:
            fresh = gate(fresh, stored)
        return Processed(articles, failures, self.analyse(fresh) if self.article else [])

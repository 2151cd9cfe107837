"""The API's response models: pydantic twins of the store's read models, and the error shape.

Built from the dataclasses in `store.models` field by field, so a field added to a read model is
in the API and its OpenAPI schema without being copied here.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Annotated, Any

from pydantic import BaseModel, Field, create_model

from ..events.escalation import DyadScore
from ..store import models as read

__all__ = [
    "ActorModel",
    "ActorPageModel",
    "ArticleModel",
    "DyadModel",
    "EntityModel",
    "ErrorBody",
    "ErrorResponse",
    "EventDetail",
    "EventModel",
    "FacetModel",
    "FailureModel",
    "Index",
    "LinkModel",
    "OverviewModel",
    "QuoteModel",
    "ReportModel",
    "RunModel",
    "SearchHitModel",
    "SearchResponse",
    "SourceModel",
    "StatsModel",
    "StoryDetail",
    "StoryModel",
    "VariantModel",
    "model_of_view",
    "page_model",
]


def model_of_view(view: type, name: str) -> type[BaseModel]:
    """A pydantic model with the fields, types and order of the read model `view`; every field
    is required because every response carries it (null where the store has no value)."""
    hints = typing.get_type_hints(view)
    fields: dict[str, Any] = {
        f.name: (_listed(hints[f.name]), ...) for f in dataclasses.fields(view)
    }
    return create_model(name, __doc__=view.__doc__, **fields)


def _listed(hint: Any) -> Any:
    """A fixed-length tuple type as a list of that length: its JSON schema is then `items` with
    min/max lengths rather than `prefixItems`, which older OpenAPI tooling misreads."""
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin is tuple and args and args[-1] is not Ellipsis:
        inner = args[0] if len(set(args)) == 1 else typing.Union[tuple(args)]  # noqa: UP007
        n = len(args)
        return Annotated[list[_listed(inner)], Field(min_length=n, max_length=n)]  # type: ignore[misc]
    if origin is tuple and args:
        return tuple[_listed(args[0]), ...]  # type: ignore[misc]
    return hint


def page_model(item: type[BaseModel], name: str) -> type[BaseModel]:
    """One page of a list: its items and the cursor of the next page (null at the end)."""
    return create_model(
        name,
        __doc__=f"One page of {item.__name__} items in the list's stable order.",
        items=(list[item], ...),  # type: ignore[valid-type]
        next=(
            str | None,
            Field(description="Pass as `cursor` for the page after; null on the last page."),
        ),
    )


ArticleModel = model_of_view(read.ArticleView, "Article")
QuoteModel = model_of_view(read.QuoteView, "Quote")
EntityModel = model_of_view(read.EntityView, "Entity")
FailureModel = model_of_view(read.FailureView, "Failure")
RunModel = model_of_view(read.RunView, "Run")
LinkModel = model_of_view(read.LinkView, "Link")
SourceModel = model_of_view(read.SourceView, "Source")
StatsModel = model_of_view(read.Stats, "Stats")
EventModel = model_of_view(read.EventView, "Event")
StoryModel = model_of_view(read.StoryView, "Story")
ReportModel = model_of_view(read.ReportView, "Report")
DyadModel = model_of_view(DyadScore, "DyadDay")
VariantModel = model_of_view(read.VariantView, "Variant")
StoryMemberModel = model_of_view(read.StoryMemberView, "StoryMember")
OutletReportModel = model_of_view(read.OutletReport, "OutletReport")
StoryMergeModel = model_of_view(read.StoryMergeView, "StoryMerge")


class StoryDetail(BaseModel):
    """One story with its articles, who reported it and when, the outlets active in its span
    that did not, the stories merged into it, and how its outlets rendered the same
    statements."""

    story: StoryModel  # type: ignore[valid-type]
    articles: list[StoryMemberModel]  # type: ignore[valid-type]
    reported: list[OutletReportModel]  # type: ignore[valid-type]
    missed: list[str]
    merged: list[StoryMergeModel]  # type: ignore[valid-type]
    variants: list[VariantModel]  # type: ignore[valid-type]


class EventDetail(BaseModel):
    """One event with every report of it: the articles and sentences that tell it."""

    event: EventModel  # type: ignore[valid-type]
    reports: list[ReportModel]  # type: ignore[valid-type]


ActorModel = model_of_view(read.ActorView, "Actor")
FacetModel = model_of_view(read.Facet, "Facet")
TimelineModel = model_of_view(read.TimelineRow, "TimelineRow")


class SearchHitModel(BaseModel):
    """An article or quote that matches: `snippet` is the matching passage as plain text;
    `snippet_html` is the same passage HTML-escaped, with `<mark>` around the matched words (the
    only markup in it, added after escaping)."""

    kind: str = Field(description="article or quote")
    id: str
    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    speaker: str | None
    speaker_actor: str | None
    score: float = Field(description="Higher is a better match; comparable within one search.")
    snippet: str
    snippet_html: str


class SearchResponse(BaseModel):
    """One page of hits, best first, with the count and the facets of all the hits."""

    q: str
    total: int
    hits: list[SearchHitModel]
    facets: dict[str, list[FacetModel]] = Field(  # type: ignore[valid-type]
        description="outlet, speaker, actor: the most frequent values among all the hits."
    )
    next: str | None = Field(description="Pass as `cursor` for the page after; null at the end.")


class ActorPageModel(BaseModel):
    """One actor code: its counts, names, and its statements per day and outlet."""

    actor: ActorModel  # type: ignore[valid-type]
    timeline: list[TimelineModel]  # type: ignore[valid-type]


class OverviewModel(BaseModel):
    """What the store holds, as the overview page shows it."""

    stats: StatsModel  # type: ignore[valid-type]
    outlets: list[FacetModel]  # type: ignore[valid-type]
    latest_articles: list[ArticleModel]  # type: ignore[valid-type]
    recent_quotes: list[QuoteModel]  # type: ignore[valid-type]
    most_active: list[ActorModel]  # type: ignore[valid-type]


class ErrorBody(BaseModel):
    """What went wrong: a stable code to branch on and a one-line message to show."""

    code: str = Field(
        description="bad_request, bad_cursor, not_found, method_not_allowed, invalid_parameter, "
        "store_error or internal_error."
    )
    message: str


class ErrorResponse(BaseModel):
    """Every error the API answers with, whatever the status."""

    error: ErrorBody


class Index(BaseModel):
    """What this server is and what it serves."""

    name: str
    version: str
    database: str
    lists: list[str]
    openapi: str

"""The JSON API (`/api/v1`): the store's lists a page at a time, items, stats, search and
exports; the HTML pages (`pages.py`) are mounted on the same app.

Read-only: one read handle per app, so it serves while a run writes. Every API error is one shape,
`{"error": {"code", "message"}}`; a page's error is a page. Article text is untrusted and leaves
here only as JSON, an export file or an autoescaped page.
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures at run time, and
# the list routes are closures whose parameter types are local names.
import dataclasses
import io
import itertools
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import CursorError, StoreError
from ..formats import FORMATS, csv_chunks, jsonl_lines, write_parquet
from ..group.wording import Change
from ..store import (
    ArticleFilter,
    EntityFilter,
    EventFilter,
    QuoteFilter,
    SearchFilter,
    Store,
    StoryFilter,
    VariantFilter,
)
from ..store import models as read
from ..store.models import as_row
from .marks import snippet_html, snippet_text
from .models import (
    ActorModel,
    ActorPageModel,
    ArticleModel,
    EntityModel,
    ErrorResponse,
    FailureModel,
    Index,
    LinkModel,
    OverviewModel,
    QuoteModel,
    RunModel,
    SearchHitModel,
    SearchResponse,
    SourceModel,
    StatsModel,
    StoryDetail,
    StoryModel,
    VariantModel,
    page_model,
)

__all__ = ["API", "MAX_LIMIT", "ApiError", "create_app"]

API = "/api/v1"
MAX_LIMIT = 500
log = logging.getLogger("newstrace.web")


class ApiError(Exception):
    """An answer other than 200, in the one error shape."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A cursor this list did not give out."},
    404: {"model": ErrorResponse, "description": "No such item or route."},
    422: {"model": ErrorResponse, "description": "A parameter out of range or malformed."},
    500: {"model": ErrorResponse, "description": "The store could not be read."},
}

# Dates are compared by their leading part: 2022, 2022-02 or 2022-02-23.
_DAY = r"^\d{4}(-\d{2}(-\d{2})?)?$"
Day = Annotated[
    str | None,
    Query(pattern=_DAY, description="YYYY-MM-DD, YYYY-MM or YYYY; inclusive."),
]
Cursor = Annotated[
    str | None,
    Query(max_length=4096, description="The `next` of the page before; omit for the first page."),
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}.")]
Format = Annotated[
    Literal["json", "jsonl", "csv", "parquet"],
    Query(
        description="json: one page. jsonl, csv, parquet: the whole filtered list as a file, "
        "the rows `newstrace export` writes."
    ),
]
Outlet = Annotated[str | None, Query(max_length=500, description="Outlet name, case ignored.")]


@dataclass(frozen=True)
class Where:
    """What a list route passes on to the reader besides the cursor and the page size."""

    quotes: QuoteFilter | None = None
    articles: ArticleFilter | None = None
    entities: EntityFilter | None = None
    stories: StoryFilter | None = None
    variants: VariantFilter | None = None
    events: EventFilter | None = None
    newest_first: bool = False

    def kwargs(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def _no_filter() -> Where:
    return Where()


def _article_filter(outlet: Outlet = None, since: Day = None, until: Day = None) -> Where:
    return Where(articles=ArticleFilter(outlet=outlet, since=since, until=until))


def _story_filter(
    since: Day = None,
    until: Day = None,
    outlet: Outlet = None,
    actor: Annotated[
        str | None, Query(max_length=100, description="An actor code or its prefix.")
    ] = None,
) -> Where:
    # In the list's one stable order, as `newstrace export stories` writes it.
    return Where(stories=StoryFilter(since=since, until=until, outlet=outlet, actor=actor))


def _variant_filter(
    speaker: Annotated[
        str | None,
        Query(max_length=500, description="Part of the speaker's name; case and accents ignored."),
    ] = None,
    change: Annotated[
        Change | None,
        Query(description="Only this kind of difference between the two renderings."),
    ] = None,
    story: Annotated[
        str | None, Query(max_length=100, description="Only variants within this story.")
    ] = None,
    since: Day = None,
    until: Day = None,
) -> Where:
    found = VariantFilter(speaker=speaker, change=change, story=story, since=since, until=until)
    return Where(variants=found)


ActorCode = Annotated[
    str | None,
    Query(max_length=100, description="An actor code or its prefix (RUS, RUSGOV); case ignored."),
]
ArticleId = Annotated[str | None, Query(max_length=200, description="One article's id.")]


def _entity_filter(
    article_id: ArticleId = None,
    actor: ActorCode = None,
    label: Annotated[
        str | None, Query(max_length=50, description="PERSON, ORG, GPE, ...; case ignored.")
    ] = None,
) -> Where:
    return Where(entities=EntityFilter(article_id=article_id, actor=actor, label=label))


def _quote_filter(
    speaker: Annotated[
        str | None,
        Query(
            max_length=500,
            description="Part of the speaker's name or the words the text uses for them; "
            "case and accents ignored.",
        ),
    ] = None,
    actor: ActorCode = None,
    outlet: Outlet = None,
    article_id: ArticleId = None,
    since: Day = None,
    until: Day = None,
    order: Annotated[
        Literal["reported", "newest"],
        Query(
            description="reported: by publication, then place in the article. newest: newest "
            "statement day first."
        ),
    ] = "reported",
) -> Where:
    found = QuoteFilter(
        speaker=speaker,
        actor=actor,
        outlet=outlet,
        article_id=article_id,
        since=since,
        until=until,
    )
    return Where(quotes=found, newest_first=order == "newest")


@dataclass(frozen=True)
class ListSpec:
    path: str  # under /api/v1
    name: str  # the reader's list
    view: type  # its read model
    item: type[BaseModel]
    filters: Callable[..., Where]
    summary: str


LISTS = (
    ListSpec(
        "articles",
        "articles",
        read.ArticleView,
        ArticleModel,
        _article_filter,
        "Stored articles by id; filter by outlet and publication date.",
    ),
    ListSpec(
        "quotes",
        "quotes",
        read.QuoteView,
        QuoteModel,
        _quote_filter,
        "Quotes with their speakers, by report or newest first; filter by speaker, actor, "
        "outlet, article and statement day.",
    ),
    ListSpec(
        "entities",
        "entities",
        read.EntityView,
        EntityModel,
        _entity_filter,
        "Entity and actor mentions, article by article in text order; filter by article, "
        "actor and label.",
    ),
    ListSpec(
        "links",
        "links",
        read.LinkView,
        LinkModel,
        _no_filter,
        "Relations between stored articles (near duplicates and trimmed copies), by kind.",
    ),
    ListSpec(
        "stories",
        "stories",
        read.StoryView,
        StoryModel,
        _story_filter,
        "Stories (articles grouped across outlets and days) in the export's order; filter by "
        "span, outlet and actor.",
    ),
    ListSpec(
        "variants",
        "variants",
        read.VariantView,
        VariantModel,
        _variant_filter,
        "How outlets rendered one statement: pairs of quotes with the kind of difference and "
        "the words that show it, newest statement first; filter by speaker, change, story and "
        "day.",
    ),
    ListSpec(
        "sources",
        "article_sources",
        read.SourceView,
        SourceModel,
        _no_filter,
        "Every input that gave an article, with the metadata it stated.",
    ),
    ListSpec(
        "failures",
        "failures",
        read.FailureView,
        FailureModel,
        _no_filter,
        "Inputs that did not become articles, with their kind and reason.",
    ),
    ListSpec(
        "runs", "runs", read.RunView, RunModel, _no_filter, "Every `newstrace run`, oldest first."
    ),
)


def create_app(db: str) -> FastAPI:
    """The API on store `db` (a SQLite path or a database URL), opened read-only now: a missing
    SQLite file is `StoreMissing` here, before any server starts."""
    store = Store(db, create=False, read_only=True)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="newstrace",
        version=__version__,
        summary="Who said what, as reported by which outlets: the store, read-only.",
        openapi_url=f"{API}/openapi.json",
        # FastAPI's Swagger UI and ReDoc pages load their scripts from a CDN; nothing here may.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    router = APIRouter(prefix=API, responses=_ERRORS)

    @router.get("", response_model=Index, operation_id="index", summary="What is served here.")
    def index() -> dict[str, Any]:
        return {
            "name": "newstrace",
            "version": __version__,
            "database": store.db,
            "lists": [
                f"{API}/{p}" for p in (*(spec.path for spec in LISTS), "events", "dyads", "actors")
            ],
            "openapi": f"{API}/openapi.json",
        }

    from .events import EVENTS, add_event_routes  # its own module: it imports this one's types

    for spec in (*LISTS, EVENTS):
        _add_list(router, store, spec)

    @router.get(
        "/articles/{article_id}",
        response_model=ArticleModel,
        operation_id="get_article",
        summary="One article: its cleaned text, metadata, warnings and stage versions.",
    )
    def get_article(article_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
        found = store.reader.article(article_id)
        if found is None:
            raise ApiError(404, "not_found", f"no article with id {article_id[:80]!r}")
        return as_row(found)

    @router.get(
        "/stories/{story_id}",
        response_model=StoryDetail,
        operation_id="get_story",
        summary="One story: its articles, who reported it and when, who did not, and how its "
        "outlets rendered the same statements. A merged story's id gives the story it joined.",
    )
    def get_story(story_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
        found = story_detail(store, story_id)
        if found is None:
            raise ApiError(404, "not_found", f"no story with id {story_id[:80]!r}")
        return found

    @router.get(
        "/stats",
        response_model=StatsModel,
        operation_id="get_stats",
        summary="What the store holds: counts by kind, reason, language and status.",
    )
    def get_stats() -> dict[str, Any]:
        return as_row(store.reader.stats())

    add_event_routes(router, store)
    _add_views(router, store)
    app.include_router(router)
    from .pages import add_pages  # the HTML twins of these routes

    add_pages(app, store)
    _add_error_handlers(app)
    app.add_middleware(_SecurityHeaders)
    return app


def _add_list(router: APIRouter, store: Store, spec: ListSpec) -> None:
    columns = [f.name for f in dataclasses.fields(spec.view)]

    def list_items(
        where: Annotated[Where, Depends(spec.filters)],
        cursor: Cursor = None,
        limit: Limit = 50,
        format: Format = "json",
    ) -> Any:
        if whole_list(format, cursor):
            return _export(store, spec, format, columns, where)
        page = store.reader.page(spec.name, after=cursor, limit=limit, **where.kwargs())
        return {"items": [as_row(item) for item in page.items], "next": page.next}

    router.add_api_route(
        f"/{spec.path}",
        list_items,
        methods=["GET"],
        response_model=page_model(spec.item, f"{spec.item.__name__}Page"),
        operation_id=f"list_{spec.path}",
        summary=spec.summary,
        responses={200: {"content": _FILES, "description": "A page, or the list as a file."}},
    )


SearchKind = Annotated[
    Literal["article", "quote"] | None,
    Query(description="Only articles or only quotes; both when omitted."),
]
SearchText = Annotated[
    str,
    Query(
        min_length=1,
        max_length=500,
        description='Words to find (all of them), or a "quoted phrase"; operators are words.',
    ),
]
Speaker = Annotated[
    str | None,
    Query(max_length=500, description="Part of a speaker's name; keeps quotes only."),
]


def search_filter(
    q: SearchText,
    kind: SearchKind = None,
    outlet: Outlet = None,
    speaker: Speaker = None,
    actor: ActorCode = None,
    since: Day = None,
    until: Day = None,
) -> SearchFilter:
    return SearchFilter(
        q=q, kind=kind, outlet=outlet, speaker=speaker, actor=actor, since=since, until=until
    )


def search_page(store: Store, sf: SearchFilter, cursor: str | None, limit: int) -> dict[str, Any]:
    """A search page as the API answers it (the page renders the same dict)."""
    found = store.reader.search(sf, after=cursor, limit=limit)
    hits = []
    for hit in found.hits:
        row = as_row(hit)
        parts = row.pop("snippet")
        hits.append(
            row | {"snippet": snippet_text(parts), "snippet_html": str(snippet_html(parts))}
        )
    facets = {name: [as_row(f) for f in values] for name, values in found.facets.items()}
    return {"q": sf.q, "total": found.total, "hits": hits, "facets": facets, "next": found.next}


STORY_VARIANTS = 200  # the most quote variants a story's page lists


def story_detail(store: Store, story_id: str) -> dict[str, Any] | None:
    """A story as its API route answers it (its page renders the same dict)."""
    reader = store.reader
    found = reader.story(story_id)
    if found is None:
        return None
    coverage = reader.coverage(found.id)
    variants = reader.page(
        "variants", variants=VariantFilter(story=found.id), limit=STORY_VARIANTS
    ).items
    return {
        "story": as_row(found),
        "articles": [as_row(m) for m in reader.story_articles(found.id)],
        "reported": [as_row(r) for r in coverage.reported] if coverage else [],
        "missed": list(coverage.missed) if coverage else [],
        "merged": [as_row(m) for m in reader.story_merges(found.id)],
        "variants": [as_row(v) for v in variants],
    }


def overview(store: Store) -> dict[str, Any]:
    reader = store.reader
    quotes = reader.page("quotes", limit=8, newest_first=True).items
    return {
        "stats": as_row(reader.stats()),
        "outlets": [{"value": o, "count": n} for o, n in reader.outlets(20)],
        "latest_articles": [as_row(a) for a in reader.latest_articles(8)],
        "recent_quotes": [as_row(q) for q in quotes],
        "most_active": [as_row(a) for a in reader.most_active(10)],
    }


# What a list answers besides its JSON page: an export file of each format.
_FILES: dict[str, Any] = {media.split(";")[0]: {} for media in FORMATS.values()}
ActorCodePath = Annotated[str, Path(min_length=1, max_length=100)]


def _add_views(router: APIRouter, store: Store) -> None:
    """Routes that are not one reader list: search, actors, the overview."""

    @router.get(
        "/search",
        response_model=SearchResponse,
        operation_id="search",
        summary="Full text over article titles and text and quote text, with the structured "
        "filters and facet counts (outlet, speaker, actor).",
        responses={200: {"content": _FILES, "description": "A page, or every hit as a file."}},
    )
    def search(
        sf: Annotated[SearchFilter, Depends(search_filter)],
        cursor: Cursor = None,
        limit: Annotated[int, Query(ge=1, le=100, description="Hits per page, 1 to 100.")] = 20,
        format: Format = "json",
    ) -> Any:
        if format != "json":
            if cursor is not None:
                raise ApiError(
                    400, "bad_request", f"format={format} exports every hit; drop the cursor"
                )
            columns = [*SearchHitModel.model_fields]
            return export_rows(_all_hits(store, sf), "search", format, columns)
        return search_page(store, sf, cursor, limit)

    @router.get(
        "/actors",
        response_model=page_model(ActorModel, "ActorPage"),
        operation_id="list_actors",
        summary="Every actor code in mentions, quotes or events, by code, with its counts.",
    )
    def actors(cursor: Cursor = None, limit: Limit = 50) -> dict[str, Any]:
        page = store.reader.actors(after=cursor, limit=limit)
        return {"items": [as_row(a) for a in page.items], "next": page.next}

    @router.get(
        "/actors/{code}",
        response_model=ActorPageModel,
        operation_id="get_actor",
        summary="One actor code: its names, counts, and statements per day and outlet (its "
        "quotes and events are the quotes and events lists with actor=CODE).",
    )
    def actor(code: ActorCodePath) -> dict[str, Any]:
        found = store.reader.actor(code)
        if found is None:
            raise ApiError(404, "not_found", f"no actor with code {code[:80]!r}")
        timeline = [as_row(t) for t in store.reader.quote_timeline(code)]
        return {"actor": as_row(found), "timeline": timeline}

    @router.get(
        "/overview",
        response_model=OverviewModel,
        operation_id="get_overview",
        summary="What the store holds: counts, outlets, latest articles, recent quotes and the "
        "most active actors.",
    )
    def get_overview() -> dict[str, Any]:
        return overview(store)


def _all_hits(store: Store, sf: SearchFilter) -> Any:
    cursor = None
    while True:
        page = search_page(store, sf, cursor, 100)
        yield from page["hits"]
        cursor = page["next"]
        if cursor is None:
            return


def whole_list(fmt: str, cursor: str | None) -> bool:
    """Whether a list route answers with the whole list as a file (any format but json); a
    file starts at the list's start, so a cursor with it is an error."""
    if fmt != "json" and cursor is not None:
        raise ApiError(
            400,
            "bad_request",
            f"format={fmt} exports the whole list from its start; drop the cursor",
        )
    return fmt != "json"


def _export(store: Store, spec: ListSpec, fmt: str, columns: list[str], where: Where) -> Response:
    """The whole filtered list as a download, read a page at a time as it is sent."""
    rows = (as_row(item) for item in store.reader.iterate(spec.name, **where.kwargs()))
    return export_rows(rows, spec.path, fmt, columns)


def export_rows(rows: Any, name: str, fmt: str, columns: list[str]) -> Response:
    """Rows as a download in `fmt`, with the writers of `newstrace export`."""
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "parquet":
        # Parquet is written whole (its footer indexes the file): built in memory, then sent.
        buffer = io.BytesIO()
        write_parquet(rows, buffer)
        return Response(buffer.getvalue(), media_type=FORMATS[fmt], headers=headers)
    chunks = jsonl_lines(rows) if fmt == "jsonl" else csv_chunks(rows, columns)
    # The first page is read before the answer starts, so a store that cannot be read is still
    # an error in the error shape; later failures can only cut the download short.
    first = next(chunks, "")
    return StreamingResponse(
        itertools.chain([first], chunks), media_type=FORMATS[fmt], headers=headers
    )


_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}


def _add_error_handlers(app: FastAPI) -> None:
    from .pages import PageError, render_error

    def answer(request: Request, status: int, code: str, message: str) -> Response:
        # A page's error is a page; the API's is the one JSON shape.
        if request.url.path == API or request.url.path.startswith(f"{API}/"):
            return _error(status, code, message)
        return render_error(status, message)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return answer(request, exc.status, exc.code, exc.message)

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError) -> Response:
        return answer(request, exc.status, _HTTP_CODES.get(exc.status, "bad_request"), exc.message)

    @app.exception_handler(CursorError)
    async def bad_cursor(request: Request, exc: CursorError) -> Response:
        return answer(request, 400, "bad_cursor", f"{exc}; start again without a cursor")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        log.error("store error: %s", exc)
        return answer(request, 500, "store_error", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for e in exc.errors():
            where = ".".join(str(part) for part in e.get("loc", ())[1:]) or "request"
            problems.append(f"{where}: {e.get('msg', 'invalid')}")
        return answer(request, 422, "invalid_parameter", "; ".join(problems) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        response = answer(request, exc.status_code, code, str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error", exc_info=exc)
        return answer(
            request, 500, "internal_error", "internal error; the server's log has the details"
        )


class _SecurityHeaders:
    """API answers are data, never pages: nothing a browser would load or run from them (a JSON
    string holding a script tag stays text). Pages load only this server's own style sheet and
    images, run no script at all (no inline script, no unsafe-inline), submit forms only here and
    cannot be framed. No MIME sniffing, and no referrer sent anywhere."""

    COMMON = (
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    )
    API_CSP = b"default-src 'none'; frame-ancestors 'none'"
    PAGE_CSP = (
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        path = scope.get("path", "")
        csp = self.API_CSP if path == API or path.startswith(f"{API}/") else self.PAGE_CSP
        headers = [*self.COMMON, (b"content-security-policy", csp)]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)

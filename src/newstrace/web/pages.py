"""The HTML pages: server-rendered with Jinja2 (autoescape on), plain CSS, no script.

Each page reads what its JSON twin under /api/v1 reads, and links to it and to its exports.
Everything shown from an article is untrusted: it reaches a page only through autoescaped
template values, links from articles only when http(s), with rel="noopener nofollow".
Query parameters come from GET forms, so an empty field means "no filter".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import __version__
from ..errors import CursorError
from ..events.escalation import THRESHOLD
from ..group.wording import CHANGES, differing_spans
from ..store import (
    ArticleFilter,
    DyadFilter,
    EntityFilter,
    EventFilter,
    QuoteFilter,
    SearchFilter,
    Store,
    StoryFilter,
    VariantFilter,
    split_dyad,
)
from ..store.models import VariantView, as_row
from .marks import changed_html, runs_of, safe_url

__all__ = ["NAV", "PageError", "add_nav", "add_pages", "render_error"]

# The navigation bar, in order: (path, label). Other products add their page with add_nav.
NAV: list[tuple[str, str]] = [
    ("/", "Overview"),
    ("/articles", "Articles"),
    ("/quotes", "Quotes"),
    ("/actors", "Actors"),
    ("/stories", "Stories"),
    ("/variants", "Variants"),
    ("/events", "Events"),
    ("/dyads", "Dyads"),
    ("/search", "Search"),
]
PAGE_SIZE = 50
_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MAX = 500  # the longest filter value read from a query string

env = Environment(
    loader=PackageLoader("newstrace.web", "templates"),
    autoescape=True,  # every template, whatever its name
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def add_nav(path: str, label: str) -> None:
    """Add a page to the navigation bar (its route is the caller's to add)."""
    if (path, label) not in NAV:
        NAV.append((path, label))


class PageError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def href(path: str, params: Mapping[str, Any] | None = None) -> str:
    """A link inside this site: the path as given, the non-empty parameters encoded."""
    kept = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    return path + ("?" + urlencode(kept) if kept else "")


def seg(value: str) -> str:
    """One path segment, every reserved character encoded."""
    return quote(value, safe="")


def variant_marks(v: VariantView) -> tuple[Markup, Markup]:
    """Both renderings of a variant, escaped, the words each does not share with the other
    marked: deleted in the first, inserted in the second."""
    spans_a, spans_b = differing_spans(v.a_text, v.b_text)
    return changed_html(v.a_text, spans_a, "del"), changed_html(v.b_text, spans_b, "ins")


env.globals.update(
    href=href,
    seg=seg,
    safe_url=safe_url,
    variant_marks=variant_marks,
    nav=NAV,
    version=__version__,
)


def render(name: str, http_status: int = 200, **values: Any) -> HTMLResponse:
    body = env.get_template(name).render(**values)
    return HTMLResponse(body, status_code=http_status)


def render_error(status: int, message: str) -> HTMLResponse:
    return render("error.html", status, title=f"Error {status}", status=status, message=message)


class _Params:
    """A page's query string, read as a GET form sends it."""

    def __init__(self, request: Request) -> None:
        self.query = request.query_params

    def text(self, name: str) -> str | None:
        value = self.query.get(name, "").strip()
        if len(value) > _MAX:
            raise PageError(400, f"{name}: at most {_MAX} characters")
        return value or None

    def day(self, name: str) -> str | None:
        value = self.text(name)
        if value is not None and not _DAY.match(value):
            raise PageError(400, f"{name}: give a date as YYYY-MM-DD, YYYY-MM or YYYY")
        return value

    def dyad(self, name: str) -> str | None:
        value = self.text(name)
        if value is not None:
            try:
                split_dyad(value)
            except ValueError as exc:
                raise PageError(400, f"{name}: {exc}") from None
        return value

    def choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        value = self.text(name)
        if value is not None and value not in allowed:
            raise PageError(400, f"{name}: one of {', '.join(allowed)}")
        return value


def _exports(api_path: str, filters: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        (fmt, href(api_path, {**filters, "format": fmt})) for fmt in ("jsonl", "csv", "parquet")
    ]


def add_pages(app: FastAPI, store: Store) -> None:
    from .app import API, overview, search_page, story_detail
    from .events import dyad_page

    reader = store.reader
    static = StaticFiles(packages=[("newstrace.web", "static")])
    app.mount("/static", static, name="static")

    def page_of(name: str, cursor: str | None, **where: Any) -> Any:
        try:
            return reader.page(name, after=cursor, limit=PAGE_SIZE, **where)
        except CursorError as exc:
            raise PageError(400, f"{exc}; start again from the first page") from None

    @app.get("/", include_in_schema=False)
    def overview_page() -> HTMLResponse:
        return render("overview.html", title="Overview", o=overview(store), twin=f"{API}/overview")

    @app.get("/articles", include_in_schema=False)
    def articles_page(request: Request) -> HTMLResponse:
        p = _Params(request)
        filters = {"outlet": p.text("outlet"), "since": p.day("since"), "until": p.day("until")}
        page = page_of("articles", p.text("cursor"), articles=ArticleFilter(**filters))
        return render(
            "articles.html",
            title="Articles",
            page=page,
            filters=filters,
            outlets=reader.outlets(100),
            twin=href(f"{API}/articles", filters),
            exports=_exports(f"{API}/articles", filters),
        )

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        found = reader.article(article_id[:200])
        if found is None:
            raise PageError(404, "no such article")
        quotes = list(reader.iterate("quotes", quotes=QuoteFilter(article_id=found.id)))
        entities = list(reader.iterate("entities", entities=EntityFilter(article_id=found.id)))
        events = list(reader.iterate("events", events=EventFilter(article_id=found.id)))
        links = reader.links_of([found.id])
        return render(
            "article.html",
            title=found.title or "Article",
            a=found,
            runs=runs_of(found.text, quotes, entities),
            quotes=quotes,
            actors=sorted({(e.actor, e.name or e.text) for e in entities if e.actor}),
            events=events,
            sources=reader.sources_of(found.id),
            links=[(link, link.b if link.a == found.id else link.a) for link in links],
            twin=f"{API}/articles/{seg(found.id)}",
        )

    @app.get("/quotes", include_in_schema=False)
    def quotes_page(request: Request) -> HTMLResponse:
        p = _Params(request)
        filters = {
            "speaker": p.text("speaker"),
            "actor": p.text("actor"),
            "outlet": p.text("outlet"),
            "since": p.day("since"),
            "until": p.day("until"),
        }
        order = p.choice("order", ("reported", "newest")) or "newest"
        page = page_of(
            "quotes",
            p.text("cursor"),
            quotes=QuoteFilter(**filters),
            newest_first=order == "newest",
        )
        listed = {**filters, "order": order}
        return render(
            "quotes.html",
            title="Quotes",
            page=page,
            filters=listed,
            outlets=reader.outlets(100),
            twin=href(f"{API}/quotes", listed),
            exports=_exports(f"{API}/quotes", listed),
        )

    @app.get("/actors", include_in_schema=False)
    def actors_page(request: Request) -> HTMLResponse:
        p = _Params(request)
        try:
            page = reader.actors(after=p.text("cursor"), limit=PAGE_SIZE)
        except CursorError as exc:
            raise PageError(400, f"{exc}; start again from the first page") from None
        return render("actors.html", title="Actors", page=page, filters={}, twin=f"{API}/actors")

    @app.get("/actors/{code:path}", include_in_schema=False)
    def actor_page(request: Request, code: str) -> HTMLResponse:
        found = reader.actor(code[:100])
        if found is None:
            raise PageError(404, "no actor with this code")
        p = _Params(request)
        timeline = reader.quote_timeline(found.code)
        outlets = sorted({t.outlet or "" for t in timeline})
        days: dict[str, dict[str, int]] = {}
        for t in timeline:
            days.setdefault(t.date or "", {})[t.outlet or ""] = t.count
        quotes = page_of(
            "quotes", p.text("cursor"), quotes=QuoteFilter(actor=found.code), newest_first=True
        )
        events = reader.page("events", limit=PAGE_SIZE, events=EventFilter(actor=found.code))
        return render(
            "actor.html",
            title=f"Actor {found.code}",
            actor=found,
            outlets=outlets,
            days=sorted(days.items()),
            quotes=quotes,
            events=events,
            filters={},
            twin=f"{API}/actors/{seg(found.code)}",
        )

    @app.get("/events", include_in_schema=False)
    def events_page(request: Request) -> HTMLResponse:
        p = _Params(request)
        filters = {
            "type": p.text("type"),
            "actor": p.text("actor"),
            "outlet": p.text("outlet"),
            "since": p.day("since"),
            "until": p.day("until"),
        }
        page = page_of("events", p.text("cursor"), events=EventFilter(**filters))
        return render(
            "events.html",
            title="Events",
            page=page,
            filters=filters,
            twin=href(f"{API}/events", filters),
            exports=_exports(f"{API}/events", filters),
        )

    @app.get("/events/{event_id}", include_in_schema=False)
    def event_page(event_id: str) -> HTMLResponse:
        found = reader.event(event_id[:200])
        if found is None:
            raise PageError(404, "no such event")
        named = ("negated", "hypothetical", "future", "claimed")
        return render(
            "event.html",
            title=f"Event {found.event_type or found.cameo}",
            e=found,
            flags=[flag for flag in named if getattr(found, flag)],
            reports=reader.reports(found.id),
            twin=f"{API}/events/{seg(found.id)}",
        )

    @app.get("/dyads", include_in_schema=False)
    def dyads_page(request: Request) -> HTMLResponse:
        p = _Params(request)
        filters = {
            "dyad": p.dyad("dyad"),
            "actor": p.text("actor"),
            "type": p.text("type"),
            "since": p.day("since"),
            "until": p.day("until"),
        }
        where = DyadFilter(**filters)
        try:
            page = dyad_page(store, where, p.text("cursor"), PAGE_SIZE)
        except CursorError as exc:
            raise PageError(400, f"{exc}; start again from the first page") from None
        return render(
            "dyads.html",
            title="Dyads",
            page=page,
            alert=THRESHOLD,
            filters=filters,
            twin=href(f"{API}/dyads", filters),
            exports=_exports(f"{API}/dyads", filters),
        )

    @app.get("/stories", include_in_schema=False)
    def stories_page(request: Request) -> HTMLResponse:
        p = _Params(request)
        filters = {
            "outlet": p.text("outlet"),
            "actor": p.text("actor"),
            "since": p.day("since"),
            "until": p.day("until"),
        }
        page = page_of("stories", p.text("cursor"), stories=StoryFilter(**filters))
        return render(
            "stories.html",
            title="Stories",
            page=page,
            filters=filters,
            outlets=reader.outlets(100),
            twin=href(f"{API}/stories", filters),
            exports=_exports(f"{API}/stories", filters),
        )

    @app.get("/stories/{story_id}", include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        found = story_detail(store, story_id[:100])
        if found is None:
            raise PageError(404, "no such story")
        found["variants"] = [VariantView(**v) for v in found["variants"]]
        return render(
            "story.html",
            title=found["story"]["title"] or f"Untitled story ({found['story']['id']})",
            d=found,
            asked=story_id[:100],
            twin=f"{API}/stories/{seg(found['story']['id'])}",
        )

    @app.get("/variants", include_in_schema=False)
    def variants_page(request: Request) -> HTMLResponse:
        p = _Params(request)
        filters = {
            "speaker": p.text("speaker"),
            "change": p.choice("change", CHANGES),
            "story": p.text("story"),
            "since": p.day("since"),
            "until": p.day("until"),
        }
        page = page_of("variants", p.text("cursor"), variants=VariantFilter(**filters))
        return render(
            "variants.html",
            title="Variants",
            page=page,
            filters=filters,
            changes=CHANGES,
            twin=href(f"{API}/variants", filters),
            exports=_exports(f"{API}/variants", filters),
        )

    @app.get("/search", include_in_schema=False)
    def search_html(request: Request) -> HTMLResponse:
        p = _Params(request)
        filters = {
            "q": p.text("q"),
            "kind": p.choice("kind", ("article", "quote")),
            "outlet": p.text("outlet"),
            "speaker": p.text("speaker"),
            "actor": p.text("actor"),
            "since": p.day("since"),
            "until": p.day("until"),
        }
        found = None
        if filters["q"]:
            sf = SearchFilter(**filters)  # type: ignore[arg-type]
            try:
                found = search_page(store, sf, p.text("cursor"), 20)
            except CursorError as exc:
                raise PageError(400, f"{exc}; start again from the first page") from None
            for hit in found["hits"]:
                hit["snippet_html"] = Markup(hit["snippet_html"])  # built escaped in marks.py
        return render(
            "search.html",
            title="Search",
            found=found,
            filters=filters,
            twin=href(f"{API}/search", filters) if filters["q"] else None,
            exports=_exports(f"{API}/search", filters) if filters["q"] else [],
        )

    # The row helpers the templates use.
    env.globals["as_row"] = as_row

"""The HTML cleaner on small hand-written pages: text, metadata sources, walls, encodings, hostile markup."""

from __future__ import annotations

import json
import textwrap

import pytest

from newstrace.clean.html import CLEANER_VERSION, clean_html, decode_html
from newstrace.clean.page import Site, strip_site_name
from newstrace.records import Article, Failure, Hints, RawDocument

# Invented article prose, long enough for a boilerplate remover to see a main text.
PARAGRAPHS = [
    "The harbour authority in Portvale said on Tuesday that the northern pier would close for "
    "repairs after engineers found cracks in three of its supporting columns during an inspection.",
    "Officials told reporters that ferries would be moved to the southern terminal, which can "
    "take two vessels at a time, and that passengers should expect delays of about twenty minutes.",
    "Local traders, who depend on visitors arriving by boat, asked the council to publish a "
    "timetable for the works and to keep at least one café on the pier open through the summer.",
    "The mayor said the repairs were overdue and that the town had set aside money for them in "
    "its budget, adding that safety came before convenience and that the pier would reopen soon.",
]


def page(
    head: str = "", body_top: str = "", paragraphs: list[str] | None = None, tail: str = ""
) -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in (PARAGRAPHS if paragraphs is None else paragraphs))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"{head}</head><body><header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"</header><main><article>{body_top}{paras}</article></main>{tail}"
        "<footer><p>Copyright Portvale Gazette. All rights reserved.</p></footer></body></html>"
    )


def raw(
    html: str | bytes,
    url: str | None = "https://www.portvale-gazette.co.uk/news/pier",
    **hints: object,
) -> RawDocument:
    content = html.encode("utf-8") if isinstance(html, str) else html
    return RawDocument(
        source="test.html", content=content, kind="html", hints=Hints(url=url, **hints)
    )  # type: ignore[arg-type]


def article(doc: RawDocument) -> Article:
    result = clean_html(doc)
    assert isinstance(result, Article), result
    return result


def test_main_text_paragraphs_are_separated_by_a_blank_line() -> None:
    a = article(raw(page()))
    paras = a.text.split("\n\n")
    assert len(paras) == len(PARAGRAPHS)
    assert paras[0].startswith("The harbour authority in Portvale")
    assert "Copyright" not in a.text and "Home" not in a.text.split()
    assert a.input_kind == "html"
    assert CLEANER_VERSION in a.stage_versions


def test_json_ld_article_gives_title_date_and_nested_authors() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "#site", "name": "Portvale Gazette"},
            {"@type": "Person", "@id": "#p1", "name": "Maria Lopez"},
            {
                "@type": "NewsArticle",
                "headline": "Northern pier to close for repairs",
                "datePublished": "2024-03-05T09:30:00+01:00",
                "dateModified": "2024-03-07T10:00:00+01:00",
                "author": [{"@id": "#p1"}, {"@type": "Person", "name": "Tom Reed"}],
                "citation": [
                    {
                        "@type": "ScholarlyArticle",
                        "author": "Someone Else",
                        "datePublished": "1999-01-01",
                    }
                ],
            },
        ],
    }
    head = f"<title>Pier closes | Portvale Gazette</title><script type='application/ld+json'>{json.dumps(ld)}</script>"
    a = article(raw(page(head=head)))
    assert a.title == "Northern pier to close for repairs"
    assert a.published == "2024-03-05"
    assert a.published_precision == "day"
    assert a.authors == ("Maria Lopez", "Tom Reed")
    assert a.outlet == "portvale-gazette.co.uk"
    assert a.url == "https://www.portvale-gazette.co.uk/news/pier"


def test_meta_tags_and_site_suffix_stripping() -> None:
    head = (
        "<title>Northern pier to close for repairs | Portvale Gazette</title>"
        "<meta property='og:title' content='Northern pier to close for repairs | Portvale Gazette'>"
        "<meta property='og:site_name' content='Portvale Gazette'>"
        "<meta property='article:published_time' content='2023-11-02T18:00:00Z'>"
        "<meta property='article:modified_time' content='2023-12-30T18:00:00Z'>"
        "<meta name='author' content='Maria Lopez'>"
    )
    a = article(raw(page(head=head)))
    assert a.title == "Northern pier to close for repairs"
    assert a.published == "2023-11-02"  # the publication date, never the modified one
    assert a.authors == ("Maria Lopez",)


def test_h1_confirmed_by_title_wins_over_a_logo_h1() -> None:
    head = "<title>Ferries move south as pier shuts - Portvale Gazette</title>"
    body_top = "<h1>Ferries move south as pier shuts</h1>"
    html = page(head=head, body_top=body_top).replace(
        "<header>", "<header><div class='site-logo'><h1>Portvale Gazette</h1></div>"
    )
    assert article(raw(html)).title == "Ferries move south as pier shuts"


def test_byline_in_markup() -> None:
    body_top = "<h1>Pier closes</h1><p class='byline'>By Jane Doe | March 5, 2024</p>"
    a = article(raw(page(body_top=body_top)))
    assert a.authors == ("Jane Doe",)  # the date after the pipe is not part of the name


def test_no_date_anywhere_gives_none_with_a_warning() -> None:
    a = article(raw(page(head="<title>Pier closes</title>"), url="https://example.org/pier"))
    assert a.published is None
    assert a.published_precision is None
    assert any(w.startswith("published:") for w in a.warnings)
    assert a.authors == ()
    assert any(w.startswith("authors:") for w in a.warnings)


def test_hints_from_the_container_win() -> None:
    head = "<meta property='article:published_time' content='2020-01-01'><title>Page title</title>"
    a = article(raw(page(head=head), title="Feed title", published="Tue, 05 Mar 2024 10:00:00 GMT"))
    assert a.title == "Feed title"
    assert a.published == "2024-03-05"


def test_hostile_markup_never_reaches_the_text() -> None:
    hostile = [
        'The council <a href="javascript:alert(\'pwned\')" onclick="steal()">published the plan</a> on its website today, '
        "and residents were invited to comment on it before the end of the month at the town hall.",
        *PARAGRAPHS,
    ]
    tail = (
        "<script>document.write('INJECTED-SCRIPT')</script>"
        "<style>.x{background:url(javascript:evil)}</style>"
        "<iframe src='https://evil.example/'>IFRAME-FALLBACK</iframe>"
        "<noscript><img src=x onerror=alert(1)></noscript>"
        "<template><p>TEMPLATE-CONTENT</p></template>"
        "<svg><script>SVG-SCRIPT</script></svg>"
        "<!-- HTML-COMMENT -->"
    )
    body_top = (
        "<img src='x' onerror=\"alert('img')\"><script>var injected = 'INLINE-SCRIPT';</script>"
    )
    a = article(raw(page(body_top=body_top, paragraphs=hostile, tail=tail)))
    for bad in (
        "INJECTED-SCRIPT",
        "INLINE-SCRIPT",
        "javascript",
        "alert",
        "onclick",
        "steal()",
        "IFRAME-FALLBACK",
        "TEMPLATE-CONTENT",
        "SVG-SCRIPT",
        "HTML-COMMENT",
        "<",
        ">",
    ):
        assert bad not in a.text, bad
    assert "published the plan" in a.text


def test_login_wall_is_skipped_with_a_named_reason() -> None:
    html = (
        "<html><head><title>Sign in</title></head><body><h1>Sign in to continue</h1>"
        "<form action='/login' method='post'><input type='email' name='u'>"
        "<input type='password' name='p'><button>Log in</button></form>"
        "<p>Forgot your password? Create an account to read our journalism.</p></body></html>"
    )
    result = clean_html(raw(html))
    assert isinstance(result, Failure)
    assert (result.kind, result.reason) == ("skip", "not-article")
    assert result.message.startswith("test.html: not an article")
    assert "\n" not in result.message


def test_paywall_teaser_is_skipped() -> None:
    html = page(
        head="<meta property='og:type' content='article'><title>Pier closes</title>",
        paragraphs=[PARAGRAPHS[0], "Subscribe now to continue reading this article."],
    )
    result = clean_html(raw(html))
    assert isinstance(result, Failure) and result.reason == "not-article"
    assert "wall" in result.message


def test_index_page_with_too_little_text_is_skipped() -> None:
    links = "".join(f"<li><a href='/news/{i}'>Headline number {i}</a></li>" for i in range(30))
    html = f"<html><head><title>News</title></head><body><ul>{links}</ul></body></html>"
    result = clean_html(raw(html))
    assert isinstance(result, Failure)
    assert result.reason == "not-article"


def test_empty_and_markup_only_pages_are_skipped() -> None:
    empty = clean_html(raw(b"   "))
    assert isinstance(empty, Failure) and empty.reason == "empty"
    bare = clean_html(raw("<html><body><div></div></body></html>"))
    assert isinstance(bare, Failure) and bare.reason == "not-article"


def test_charset_declared_in_a_meta_tag() -> None:
    html = page(head="<title>Caf\u00e9s \u2013 pier</title>").replace(
        "<meta charset='utf-8'>",
        "<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>",
    )
    html = html.replace("keep at least one café", "keep at least one caf\u00e9 \u2018open\u2019")
    a = article(raw(html.encode("cp1252")))
    assert "caf\u00e9 \u2018open\u2019" in a.text
    assert "\ufffd" not in a.text


def test_truncated_html_still_yields_the_text_it_has() -> None:
    full = page()
    cut = full[: full.index(PARAGRAPHS[3][:40]) + 60]  # stops mid-paragraph, tags left open
    a = article(raw(cut))
    assert PARAGRAPHS[0] in a.text
    assert PARAGRAPHS[3][:40] in a.text  # the cut paragraph keeps what it had


def test_absurdly_nested_markup_fails_cleanly() -> None:
    html = "<html><body>" + "<div>" * 100_000 + "word " * 50 + "</div>" * 100_000 + "</body></html>"
    result = clean_html(raw(html))
    assert isinstance(result, Failure)
    assert result.message.startswith("test.html: ") and "\n" not in result.message


def test_decode_html_order() -> None:
    text = "caf\u00e9 \u2019"
    assert decode_html(b"\xef\xbb\xbf" + text.encode()) == (text, "utf-8")
    assert decode_html(text.encode("cp1252"), "windows-1252")[0] == text
    # A page that declares latin-1 but is valid UTF-8 is read as UTF-8.
    mislabelled = f"<meta charset='iso-8859-1'><p>{text}</p>".encode()
    assert text in decode_html(mislabelled)[0]
    # An unknown declared label is ignored rather than crashing.
    assert decode_html(text.encode(), "no-such-codec")[0] == text


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Pier to close | Portvale Gazette", "Pier to close"),
        ("Portvale Gazette - Pier to close for repairs", "Pier to close for repairs"),
        (
            "Pier to close for repairs after inspection finds cracks - Gazette",
            "Pier to close for repairs after inspection finds cracks",
        ),
        (
            "Chapter 1: Prologue - Murdered by the tide",
            "Chapter 1: Prologue - Murdered by the tide",
        ),
        ("No separator here", "No separator here"),
    ],
)
def test_strip_site_name(title: str, expected: str) -> None:
    site = Site(["Portvale Gazette"], "https://portvale-gazette.example/")
    assert strip_site_name(title, site) == expected


def test_canonical_link_gives_url_and_outlet_when_the_container_has_none() -> None:
    head = (
        "<title>Pier closes</title><link rel='canonical' href='https://news.portvale.co.uk/pier'>"
    )
    a = article(raw(page(head=head), url=None))
    assert a.url == "https://news.portvale.co.uk/pier"
    assert a.outlet == "portvale.co.uk"
    bad = article(raw(page(head="<link rel='canonical' href='javascript:alert(1)'>"), url=None))
    assert bad.url is None


def test_a_table_of_figures_stays_in_the_text_without_its_header_rule() -> None:
    rows = "".join(f"<tr><td>{m}/1/2023</td><td>+{m}.5%</td></tr>" for m in range(1, 7))
    table = f"<table><tr><th>Month</th><th>Change</th></tr>{rows}</table>"
    a = article(raw(page(tail="", paragraphs=[*PARAGRAPHS[:2], table, *PARAGRAPHS[2:]])))
    lines = a.text.split("\n\n")
    figures = [line for line in lines if "/1/2023" in line]
    # Rows of figures hold no word, but they are the article's data, not site furniture.
    assert len(figures) == 6 and "+3.5%" in figures[2]
    assert not any(set(line) <= set("|-: ") for line in lines)


def test_html_comments_are_gone_and_the_text_around_them_is_kept() -> None:
    # Server-rendered React pages put empty comments between and inside paragraphs; left in the
    # tree, trafilatura dropped the words after a comment ("should" kept, "expect delays" lost).
    words = PARAGRAPHS[1].split()
    second = " ".join(words[:5]) + " <em>" + words[5] + "</em> <!-- -->" + " ".join(words[6:])
    paras = [PARAGRAPHS[0], second, PARAGRAPHS[2], f" <!-- -->{PARAGRAPHS[3]}<!-- --> "]
    html = (
        "<html><head><title>Pier to close</title></head><body><div><div class='post'>"
        "<!-- build 123 --><?php echo 1; ?>"
        + " <!-- --> ".join(f"<p>{p}</p>" for p in paras)
        + "</div></div></body></html>"
    )
    a = article(raw(html))
    assert a.text.split("\n\n") == PARAGRAPHS
    assert "build 123" not in a.text and "php" not in a.text


def test_hidden_microdata_is_left_out_of_the_body_but_read_as_metadata() -> None:
    import lxml.html

    from newstrace.clean.body import _without_hidden_microdata

    hidden = (
        "<div style='display: none;' itemscope itemtype='http://schema.org/NewsArticle'>"
        "<div itemprop='headline'>Northern pier to close for repairs</div>"
        "<div itemprop='keywords'>pier, ferries, Portvale harbour works</div>"
        "<div itemprop='datePublished'>2023-05-02T08:57:40+01:00</div>"
        "</div>"
    )
    shown = "<div itemscope itemtype='http://schema.org/Person'><span itemprop='name'>Ann Lee</span></div>"
    html = page(paragraphs=[*PARAGRAPHS, hidden, shown])
    tree = lxml.html.document_fromstring(html)
    body_tree = _without_hidden_microdata(tree)
    assert "Portvale harbour works" not in body_tree.text_content()
    assert "Ann Lee" in body_tree.text_content()  # microdata shown to readers stays
    assert "Portvale harbour works" in tree.text_content()  # the page's own tree is untouched
    a = article(raw(html))
    assert a.text.split("\n\n")[: len(PARAGRAPHS)] == PARAGRAPHS
    assert a.published == "2023-05-02"  # the hidden block's date is still the page's


def test_an_article_hidden_until_a_script_shows_it_is_kept() -> None:
    paras = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    a = article(raw(page(paragraphs=[f"<div style='display:none' class='story'>{paras}</div>"])))
    assert a.text.split("\n\n") == PARAGRAPHS


def _ld(body: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Pier to close"}
    data["articleBody"] = body
    # "</" is written "<\\/" inside a script, as pages do, so a "</p>" does not end the script.
    text = json.dumps(data).replace("</", "<\\/")
    return f"<script type='application/ld+json'>{text}</script>"


def test_a_scripted_page_takes_its_text_from_json_ld_article_body() -> None:
    # The markup holds a teaser line; the text is written by a script, and stated in JSON-LD.
    html = page(head=_ld("\n".join(PARAGRAPHS)), paragraphs=["Loading the story..."])
    a = article(raw(html))
    assert a.text.split("\n\n") == PARAGRAPHS
    assert any("JSON-LD articleBody" in w for w in a.warnings)


def test_an_article_body_written_as_html_is_read_for_its_text_only() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])
    body += "<script>document.title='owned'</script><style>p{color:red}</style>"
    a = article(raw(page(head=_ld(body), paragraphs=[""])))
    assert a.text.split("\n\n") == PARAGRAPHS[:3]
    assert "owned" not in a.text and "color" not in a.text


def test_an_article_body_escaped_twice_is_read_as_html() -> None:
    body = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in PARAGRAPHS[:3])
    a = article(raw(page(head=_ld(body), paragraphs=[""])))
    assert a.text.split("\n\n") == PARAGRAPHS[:3]


def test_the_markup_text_wins_when_it_holds_the_article() -> None:
    a = article(raw(page(head=_ld(PARAGRAPHS[0] + " " + PARAGRAPHS[1]))))
    assert a.text.split("\n\n") == PARAGRAPHS
    assert not any("JSON-LD" in w for w in a.warnings)


def test_an_article_body_wrapped_at_a_width_keeps_its_paragraphs_whole() -> None:
    wrapped = "\n\n".join(textwrap.fill(p, 60) for p in PARAGRAPHS)
    a = article(raw(page(head=_ld(wrapped), paragraphs=["Loading the story..."])))
    assert a.text.split("\n\n") == PARAGRAPHS


@pytest.mark.parametrize(
    ("header", "day", "updated"),
    [
        ("<p class='byline'>By Ann Lee · 16 December 2025</p>", "2025-12-16", None),
        ("<p>Published March 3, 2025 · Updated March 5, 2025</p>", "2025-03-03", "2025-03-05"),
        ("<p>Last updated: Dec 4, 2025</p>", None, "2025-12-04"),
        ("<p>Medically reviewed on 2 May 2024</p>", None, None),  # a review is no new text
        ("<p>Updated 1203 GMT (2003 HKT) March 14, 2021</p>", None, "2021-03-14"),
        ("<nav>Archive: 1 May 2020</nav><p>By Ann Lee</p>", None, None),  # menus are not the header
        ("", None, None),
    ],
)
def test_the_date_shown_beside_the_headline(
    header: str, day: str | None, updated: str | None
) -> None:
    import lxml.html

    from newstrace.clean.published import _displayed_date

    html = page(body_top=f"<h1>Northern pier to close</h1>{header}")
    # A date deep in the body (the pier was built on it) is not the article's.
    html = html.replace(PARAGRAPHS[3], PARAGRAPHS[3] + " It opened on 9 June 1931.")
    tree = lxml.html.document_fromstring(html)
    shown = _displayed_date(tree, "Northern pier to close")
    assert (shown.day, shown.updated) == (day, updated)


_STALE_LD = (
    '{"@type": "NewsArticle", "headline": "Northern pier to close", "datePublished": "2015-04-06"}'
)


@pytest.mark.parametrize(
    ("header", "published", "warning"),
    [
        # Only the update is shown: that day dates the text; the markup's older day is said.
        (
            "<p>Last updated: Dec 4, 2025</p>",
            "2025-12-04",
            "published: the page shows only its update date; its other date statements point to "
            "2015-04-06",
        ),
        # A publication day shown beside it keeps the vote's answer, and nothing is said.
        ("<p>Published 6 April 2015 · Updated Dec 4, 2025</p>", "2015-04-06", None),
        ("<p>Medically reviewed on 4 Dec 2025</p>", "2015-04-06", None),
    ],
)
def test_a_page_showing_only_its_update_is_dated_by_it(
    header: str, published: str, warning: str | None
) -> None:
    html = page(
        head=f'<script type="application/ld+json">{_STALE_LD}</script>',
        body_top=f"<h1>Northern pier to close</h1>{header}",
    )
    a = article(raw(html))
    assert a.published == published
    dated = [w for w in a.warnings if w.startswith("published:")]
    assert dated == ([warning] if warning else [])


def test_a_shown_date_before_the_headline_counts_when_none_follows_it() -> None:
    import lxml.html

    from newstrace.clean.published import _displayed_date

    html = page(body_top="<p class='kicker'>Harbour · 8 Oct 2022</p><h1>Pier to close</h1>")
    assert _displayed_date(lxml.html.document_fromstring(html), "Pier to close").day == "2022-10-08"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "<div class='meta'><span>By Sofia Gonzalez</span> December 2, 2025</div>",
            "Sofia Gonzalez",
        ),
        ("<p>By Sofia Gonzalez December 2, 2025</p>", "Sofia Gonzalez"),
        ("<p>Published August 7, 2023 by Nicole Burke</p>", "Nicole Burke"),
        ("<p>By Chris McNamara ⋅ Founder and Editor-in-Chief</p>", "Chris McNamara"),
        ("<p>By Ann Lee and Tom Berg | Harbour desk</p>", "Ann Lee; Tom Berg"),
        ("<h2>By Land and Sea</h2>", None),  # a subhead, not a byline
        ("", None),
    ],
)
def test_a_byline_written_under_the_headline(header: str, expected: str | None) -> None:
    import lxml.html

    from newstrace.clean.authors import header_authors

    html = page(body_top=f"<h1>Northern pier to close</h1>{header}")
    tree = lxml.html.document_fromstring(html)
    assert header_authors(tree, "Northern pier to close") == expected


def test_a_byline_under_the_headline_is_used_only_when_the_page_names_no_author() -> None:
    top = "<h1>Northern pier to close</h1><p>By Sofia Gonzalez</p>"
    assert article(raw(page(body_top=top))).authors == ("Sofia Gonzalez",)
    meta = "<meta name='author' content='Ann Lee'>"
    assert article(raw(page(head=meta, body_top=top))).authors == ("Ann Lee",)


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ("Theresa May", ("Theresa May",)),  # a month name that is part of the name
        ("J.R. Stone Thursday", ("J.R. Stone",)),  # a weekday left from a split date
        ("Emily Burack 8 January 2021, 3:51 pm 11 Edit", ("Emily Burack",)),
        ("CM Craig McCarthy", ("Craig McCarthy",)),  # the avatar's initials first
        ("CM Punk Fan", ("CM Punk Fan",)),  # letters that are not the name's initials stay
        ("Ann Lee, Diplomatic Editor", ("Ann Lee",)),
        ("May Lee", ("May Lee",)),  # a month name that is the name itself
    ],
)
def test_stated_authors_lose_what_is_not_the_name(stated: str, expected: tuple[str, ...]) -> None:
    meta = f"<meta name='author' content='{stated}'>"
    assert article(raw(page(head=meta))).authors == expected

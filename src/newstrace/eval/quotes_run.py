"""The quote benchmark through the run path: what a user of `newstrace run` gets.

Each gold document is written as a plain `.txt` file into a temporary folder, the folder goes
through `newstrace.api.run` (ingest, cleaning, NLP, quote stage, into a real temporary SQLite
store), and the stored quotes are read back. Stored offsets point into the *cleaned* text, so
each stored segment is found again in the gold document's text (the nearest verbatim
occurrence after the previous one; whitespace may differ) to be scored by the same scorer as
the component path. A segment that cannot be found is counted in `unplaced` and scored as a
prediction with no words (so it can neither match nor count as a false positive; the count
says how many there were).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["run_path_predictions"]


def _file_name(doc_id: str) -> str:
    return re.sub(r"[^\w.-]+", "__", doc_id) + ".txt"


def _find(text: str, piece: str, hint: int) -> tuple[int, int] | None:
    """Where `piece` occurs in `text`: at or after `hint` first, then anywhere; whitespace runs
    in the piece match any whitespace run (cleaning normalises spaces and breaks)."""
    if not piece.strip():
        return None
    at = text.find(piece, hint)
    if at == -1:
        at = text.find(piece)
    if at != -1:
        return at, at + len(piece)
    pattern = re.compile(r"\s+".join(re.escape(w) for w in piece.split()))
    m = pattern.search(text, hint) or pattern.search(text)
    return (m.start(), m.end()) if m else None


def _place_speaker(
    text: str, source: str, q: Any, segments: list[tuple[int, int]]
) -> tuple[tuple[int, int], ...] | None:
    """The stored speaker mention's offsets in the gold text: shifted as the quote's first
    segment was, when the words there are the mention; else the occurrence nearest the quote."""
    if not q.speaker_mention or not segments:
        return None
    mention = q.speaker_mention
    if q.speaker_start is not None and q.speaker_end is not None:
        shift = segments[0][0] - q.segments[0][0]
        a = q.speaker_start + shift
        if text[a : a + len(mention)] == mention:
            return ((a, a + len(mention)),)
        found = _find(text, source[q.speaker_start : q.speaker_end], max(0, a - 200))
        if found is not None and abs(found[0] - a) < 400:
            return (found,)
    lo = max(0, segments[0][0] - 400)
    window = text[lo : segments[-1][1] + 400]
    hits = [m.start() for m in re.finditer(re.escape(mention), window)]
    if not hits:
        return None
    mid = segments[0][0] - lo
    best = min(hits, key=lambda h: abs(h - mid))
    return ((lo + best, lo + best + len(mention)),)


def run_path_predictions(
    docs: Sequence[Any], n_process: int = 1
) -> tuple[dict[str, list[Any]], dict[str, int]]:
    """{doc_id: [PredQuote]} for the gold documents `docs` (`_GoldDoc`s), through `run`, and
    counts of what could not be scored (`unplaced` segments, `not_stored` documents)."""
    from ..api import open_store, read_quotes
    from ..api import run as api_run
    from .quotes import PredQuote

    counts = {"unplaced": 0, "not_stored": 0, "quotes": 0}
    out: dict[str, list[Any]] = {d.doc_id: [] for d in docs}
    with tempfile.TemporaryDirectory(prefix="newstrace-eval-") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        by_file: dict[str, Any] = {}
        for d in docs:
            name = _file_name(d.doc_id)
            (folder / name).write_text(d.text, encoding="utf-8")
            by_file[name] = d
        db = Path(tmp) / "eval.db"
        api_run([folder], db=db, n_process=n_process)
        store = open_store(db, read_only=True)
        try:
            sources = list(store.reader.iterate("article_sources"))
            articles = {a.id: a for a in store.reader.iterate("articles")}
            quotes = read_quotes(store)
        finally:
            store.close()
        docs_of: dict[str, list[Any]] = {}
        for s in sources:
            d = by_file.get(Path(s.source.split("#")[0]).name)
            if d is not None:
                docs_of.setdefault(s.article_id, []).append(d)
        stored = {d.doc_id for ds in docs_of.values() for d in ds}
        counts["not_stored"] = sum(1 for d in docs if d.doc_id not in stored)
        for q in quotes:
            article = articles.get(q.article_id)
            if article is None:
                continue
            source = (article.title or "") if q.in_title else article.text
            for d in docs_of.get(q.article_id, []):
                counts["quotes"] += 1
                segments: list[tuple[int, int]] = []
                hint = 0
                for a, b in q.segments:
                    found = _find(d.text, source[a:b], hint)
                    if found is None:
                        counts["unplaced"] += 1
                        continue
                    segments.append(found)
                    hint = found[1]
                speaker = _place_speaker(d.text, source, q, segments)
                out[d.doc_id].append(
                    PredQuote(tuple(segments), speaker, q.speaker or q.speaker_mention, q.cue)
                )
    return out, counts

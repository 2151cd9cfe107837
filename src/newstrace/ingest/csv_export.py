"""CSV and TSV exports, streamed: a header row, then one document per data row."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from .common import Item, StreamError, failure, mib
from .fields import record_document
from .options import ReadOptions

__all__ = ["read_csv"]

_DELIMITERS = ",;\t|"


class _LineTooLong(Exception):
    pass


def _encoding(head: bytes) -> str:
    """The head's encoding: a BOM, else UTF-8 if it decodes, else charset-normalizer's guess."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(head)
    best = matches.best()
    if best is None:
        return "cp1252"  # decodes nearly any byte; non-UTF-8 spreadsheet exports are mostly Windows ones
    # On a short sample several code pages fit equally well; then the commonest one is the best bet.
    tied = {m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    return "cp1252" if "cp1252" in tied else best.encoding


def _delimiter(sample: str, tsv: bool) -> str:
    if tsv:
        return "\t"
    # A few rows decide it; csv.Sniffer's regexes get slow on long samples full of quotes.
    lines = sample[:16384].splitlines()[:30]
    # The last line of a cut sample is usually partial; keep it out of the vote.
    sample = "\n".join(lines[:-1] if len(lines) > 2 else lines)
    try:
        found = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return ","
    header = lines[0] if lines else ""
    if found not in header and "," in header:
        return ","
    return found


def _lines(text: io.TextIOWrapper, limit: int) -> Iterator[str]:
    while True:
        line = text.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(("\n", "\r")):
            raise _LineTooLong
        yield line


def _row_bytes(row: list[str], delimiter: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerow(row)
    return out.getvalue().encode("utf-8", "replace")


def read_csv(
    source: str, stream: BinaryIO, head: bytes, options: ReadOptions, *, tsv: bool = False
) -> Iterator[Item]:
    """Rows keyed by the header, numbered from 1 after it; a bad row fails alone."""
    # Article bodies are often longer than the csv module's 128 KiB default field limit.
    if csv.field_size_limit() < options.max_bytes:
        csv.field_size_limit(options.max_bytes)
    encoding = _encoding(head)
    delimiter = _delimiter(head.decode(encoding, "ignore"), tsv)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    reader = csv.reader(_lines(text, options.max_bytes), delimiter=delimiter, strict=False)
    try:
        yield from _rows(source, reader, delimiter, options)
    except _LineTooLong:
        yield failure(
            source,
            "too-large",
            f"line {reader.line_num + 1} is longer than {mib(options.max_bytes)}; stopped reading",
        )
    except UnicodeDecodeError as error:
        yield failure(
            source,
            "bad-csv",
            f"not valid {encoding} near line {reader.line_num + 1} ({error.reason}); "
            "re-save the file as UTF-8",
        )
    except StreamError as error:
        yield failure(source, error.reason, f"{error.detail} (near line {reader.line_num})")
    finally:
        # Leave the underlying stream open: it belongs to the caller (it may be stdin).
        with contextlib.suppress(ValueError):
            text.detach()


def _rows(
    source: str, reader: Iterator[list[str]], delimiter: str, options: ReadOptions
) -> Iterator[Item]:
    try:
        header_row = next(reader)
    except StopIteration:
        yield failure(source, "empty", "no rows, nothing to read")
        return
    except csv.Error as error:
        yield failure(source, "bad-csv", f"the header row does not parse: {error}")
        return
    header = [name.strip().lstrip("\ufeff") for name in header_row]
    if not any(header):
        yield failure(source, "bad-csv", "the first row is empty; expected a header row")
        return
    row_no = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            row_no += 1
            reason = "too-large" if "field limit" in str(error) else "bad-csv"
            yield failure(f"{source}#{row_no}", reason, f"row does not parse: {error}")
            continue
        if not row:
            continue  # a blank line
        row_no += 1
        member = f"{source}#{row_no}"
        if len(row) != len(header):
            yield failure(
                member,
                "bad-csv",
                f"row has {len(row)} fields but the header has {len(header)}",
                raw=_row_bytes(row, delimiter),
            )
            continue
        record: dict[str, str] = {}
        for name, value in zip(header, row, strict=True):
            record.setdefault(name, value)  # a repeated column name: the first one counts
        yield record_document(member, record, options.field_map)
    if row_no == 0:
        yield failure(source, "empty", "only a header row, no data rows")

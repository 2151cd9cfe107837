"""The export formats (JSONL, CSV, Parquet) that `newstrace export` and the API's `format=` write.

One place, so a file downloaded from the API is the file the command line writes. Rows are
`store.models.as_row` of read models; lists and dicts become JSON text in CSV cells.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

__all__ = ["FORMATS", "csv_chunks", "jsonl_lines", "tsv_lines", "write_parquet"]

# Each format and its media type. Parquet's is the one IANA registered in 2024.
FORMATS = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line, non-ASCII kept as it is."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def _flat(value: Any) -> Any:
    return (
        json.dumps(value, ensure_ascii=False) if isinstance(value, list | tuple | dict) else value
    )


def csv_chunks(
    rows: Iterable[dict[str, Any]], columns: Sequence[str] | None = None
) -> Iterator[str]:
    """CSV text a row at a time: a header (from `columns`, else the first row's keys), then rows.
    With `columns` given, an empty list is its header alone."""
    buffer = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    if columns is not None:
        writer = csv.DictWriter(buffer, fieldnames=list(columns))
        writer.writeheader()
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(row))
            writer.writeheader()
        writer.writerow({k: _flat(v) for k, v in row.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def tsv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Tab-separated lines without a header (GDELT's files): None is blank, and a tab or line
    break inside a value becomes a space, so every row stays one line of fixed columns."""
    for row in rows:
        cells = ("" if v is None else " ".join(str(v).split("\t")) for v in row)
        yield "\t".join(" ".join(c.splitlines()) for c in cells) + "\n"


def write_parquet(rows: Iterable[dict[str, Any]], target: Path | IO[bytes]) -> None:
    """A Parquet file of the rows, its column types inferred from them (as the exports always
    were). The whole table is built in memory first."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(list(rows)), target)

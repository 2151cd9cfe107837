"""CSV and TSV exports: header mapping, quoting, huge fields, encodings, bad rows."""

from __future__ import annotations

import csv
from pathlib import Path

from newstrace.ingest import ReadOptions, read
from newstrace.records import Failure, RawDocument


def _read(path: Path, **options: object) -> list[RawDocument | Failure]:
    return list(read([str(path)], options=ReadOptions(**options)))  # type: ignore[arg-type]


def _write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def test_rows_become_documents_numbered_after_the_header(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "export.csv",
        [
            ["Title", "Text", "URL", "Date", "Authors"],
            [
                "One",
                'He said: "no", then left.\nSecond line.',
                "https://a.example/1",
                "2022-01-01",
                "Jane Roe",
            ],
            ["Two", "<p>Markup</p><p>body</p>", "https://a.example/2", "", ""],
        ],
    )
    first, second = _read(path)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert (first.source, second.source) == (f"{path}#1", f"{path}#2")
    assert first.content == b'He said: "no", then left.\nSecond line.'
    assert first.kind == "text" and second.kind == "html"
    assert first.hints.title == "One"
    assert first.hints.url == "https://a.example/1"
    assert first.hints.published == "2022-01-01"
    assert first.hints.authors == ("Jane Roe",)
    assert second.hints.published is None and second.hints.authors == ()


def test_field_bigger_than_the_csv_module_default(tmp_path: Path) -> None:
    body = "word " * 60_000  # 300 kB, over csv's 128 KiB default field limit
    path = _write_csv(tmp_path / "big.csv", [["title", "text"], ["Big", body]])
    [doc] = _read(path)
    assert isinstance(doc, RawDocument) and doc.content == body.strip().encode()


def test_field_over_max_bytes_is_too_large(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "big.csv", [["title", "text"], ["Big", "y" * 5000], ["Small", "ok"]]
    )
    items = _read(path, max_bytes=2000)
    assert isinstance(items[0], Failure) and items[0].reason == "too-large"


def test_tsv_by_extension(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "export.tsv", [["title", "text"], ["A, with comma", "Body, with commas."]], "\t"
    )
    [doc] = _read(path)
    assert isinstance(doc, RawDocument)
    assert doc.hints.title == "A, with comma" and doc.content == b"Body, with commas."


def test_semicolon_delimiter_is_sniffed(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "excel.csv",
        [
            ["title", "text", "date"],
            ["A", "Body one, with a comma.", "1.2.2022"],
            ["B", "Two", "2.2.2022"],
        ],
        ";",
    )
    docs = _read(path)
    assert [d.content for d in docs if isinstance(d, RawDocument)] == [
        b"Body one, with a comma.",
        b"Two",
    ]


def test_rows_with_the_wrong_number_of_fields_fail_alone(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("title,text\nA,ok\nB,too,many\n\nC,fine\nD\n", encoding="utf-8")
    items = _read(path)
    assert [(i.source, type(i).__name__) for i in items] == [
        (f"{path}#1", "RawDocument"),
        (f"{path}#2", "Failure"),
        (f"{path}#3", "RawDocument"),  # the blank line is not a data row
        (f"{path}#4", "Failure"),
    ]
    bad = items[1]
    assert isinstance(bad, Failure)
    assert (bad.reason, bad.kind) == ("bad-csv", "quarantine")
    assert "3 fields but the header has 2" in bad.message
    assert bad.raw == b"B,too,many\r\n"


def test_windows_1252_export(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(
        "title,text\nCaf\xe9,\u201cQuoted\u201d na\xefve caf\xe9 text\n".encode("cp1252")
    )
    [doc] = _read(path)
    assert isinstance(doc, RawDocument)
    assert doc.hints.title == "Caf\xe9"
    assert doc.content.decode("utf-8") == "\u201cQuoted\u201d na\xefve caf\xe9 text"


def test_utf8_bom_header(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbftext,title\nBody,T\n")
    [doc] = _read(path)
    assert isinstance(doc, RawDocument) and doc.content == b"Body" and doc.hints.title == "T"


def test_header_only_and_empty(tmp_path: Path) -> None:
    header_only = tmp_path / "h.csv"
    header_only.write_text("title,text\n")
    [item] = _read(header_only)
    assert isinstance(item, Failure) and item.reason == "empty"
    assert "only a header" in item.message


def test_rows_without_text_name_the_columns(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "a.csv", [["headline", "story"], ["H", "S"]])
    [item] = _read(path)
    assert isinstance(item, Failure) and item.reason == "empty"
    assert "'story'" in item.message


def test_field_map_applies_to_csv(tmp_path: Path) -> None:
    from newstrace.ingest import FieldMap

    path = _write_csv(tmp_path / "a.csv", [["headline", "story"], ["H", "S"]])
    [doc] = _read(path, field_map=FieldMap.from_specs(["text=story"]))
    assert isinstance(doc, RawDocument) and doc.content == b"S" and doc.hints.title == "H"

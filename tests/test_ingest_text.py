"""Plain text and HTML files, directory walks, stdin, and the per-file failures."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from newstrace.ingest import ReadOptions, read
from newstrace.records import Failure, RawDocument


def _read(*inputs: str, options: ReadOptions | None = None) -> list[RawDocument | Failure]:
    return list(read(list(inputs), options=options or ReadOptions()))


def test_text_file_bytes_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("examples").mkdir()
    raw = "Caf\xe9 talks\r\nMinisters met.\r\n".encode("latin-1")
    Path("examples/a.txt").write_bytes(raw)
    [doc] = _read("examples/a.txt")
    assert isinstance(doc, RawDocument)
    assert doc.source == "examples/a.txt"
    assert doc.kind == "text"
    assert doc.content == raw
    assert doc.encoding is None  # a file declares no encoding; the cleaner decides


def test_html_by_extension_and_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    page = b"<!doctype html><html><body><p>Hi</p></body></html>"
    Path("page.htm").write_bytes(page)
    Path("lying.txt").write_bytes(page)
    docs = _read("page.htm", "lying.txt")
    assert [(d.source, d.kind) for d in docs if isinstance(d, RawDocument)] == [
        ("page.htm", "html"),
        ("lying.txt", "html"),
    ]


def test_html_named_file_without_markup_is_text(tmp_path: Path) -> None:
    path = tmp_path / "x.html"
    path.write_bytes(b"Only words here.")
    [doc] = _read(str(path))
    assert isinstance(doc, RawDocument) and doc.kind == "text"


@pytest.mark.parametrize(
    ("content", "reason", "kind"),
    [
        (b"", "empty", "skip"),
        (b"  \n\n\t ", "empty", "skip"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "binary", "skip"),
        (b"%PDF-1.4 whatever", "binary", "skip"),
        (b"some\x00binary\x00junk", "binary", "skip"),
    ],
)
def test_not_articles_are_skipped_with_a_reason(
    tmp_path: Path, content: bytes, reason: str, kind: str
) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    [item] = _read(str(path))
    assert isinstance(item, Failure)
    assert (item.reason, item.kind) == (reason, kind)
    assert item.message.startswith(f"{path}: ")
    assert "\n" not in item.message


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300)
    [item] = _read(str(path), options=ReadOptions(max_bytes=1000))
    assert isinstance(item, Failure) and item.reason == "too-large"
    [doc] = _read(str(path), options=ReadOptions(max_bytes=1500))
    assert isinstance(doc, RawDocument) and len(doc.content) == 1500


def test_not_found_and_broken_symlink(tmp_path: Path) -> None:
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    items = _read(str(tmp_path / "missing.txt"), str(tmp_path / "dangling"))
    assert [(i.reason, i.message.split(": ", 1)[1]) for i in items if isinstance(i, Failure)] == [
        ("not-found", "no such file or directory"),
        ("not-found", "broken symbolic link"),
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_bytes(b"secret")
    path.chmod(0)
    try:
        [item] = _read(str(path))
    finally:
        path.chmod(0o600)
    assert isinstance(item, Failure) and item.reason == "unreadable"
    assert "permission denied" in item.message


def test_directory_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = Path("examples")
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b.txt").write_text("b")
    (root / "a.txt").write_text("a")
    (root / "sub" / "a.txt").write_text("sub a")
    (root / "sub" / "deeper" / "z.html").write_text("<p>z</p><p>zz</p>")
    (root / "c.txt").write_text("c")
    (root / ".hidden.txt").write_text("hidden")
    (root / ".git" / "config.txt").write_text("hidden dir")
    (root / "sub" / "loop").symlink_to("..")  # a symlink loop back to examples/
    (root / "empty.txt").write_text("")
    # The folder's own documentation is not an article; a name that only starts alike is.
    (root / "README.md").write_text("# About this folder")
    (root / "sub" / "LICENSE").write_text("licence text")
    (root / "sub" / "readme-notes.txt").write_text("notes")
    items = _read("examples")
    assert [i.source for i in items] == [
        "examples/a.txt",
        "examples/b.txt",
        "examples/c.txt",
        "examples/empty.txt",
        "examples/sub/a.txt",
        "examples/sub/deeper/z.html",
        "examples/sub/readme-notes.txt",
    ]
    assert isinstance(items[3], Failure) and items[3].reason == "empty"
    # Named as an input itself, a README is read like any file.
    assert [i.source for i in _read("examples/README.md")] == ["examples/README.md"]
    # Same order on a second walk, and a trailing slash does not change the names.
    assert [i.source for i in _read("examples/")] == [i.source for i in items]


def test_symlinked_directory_is_followed_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text("a")
    (tmp_path / "link").symlink_to(real)
    sources = [i.source for i in _read(str(tmp_path))]
    assert sources == [str(tmp_path / "link" / "a.txt")]


def test_pipe_in_a_walk_is_reported_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    [item] = _read(str(tmp_path))
    assert isinstance(item, Failure) and item.reason == "unsupported-format"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"<html><body><p>From a pipe.</p></body></html>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [doc] = _read("-")
    assert isinstance(doc, RawDocument)
    assert (doc.source, doc.kind, doc.content) == ("-", "html", data)


def test_stdin_members_and_quarantine_keep_the_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'{"text": "one"}\n{"text": "two"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert [i.source for i in _read("-")] == ["-#1", "-#2"]
    bad = b'[{"text": "one"}, {"text": '
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bad)))
    [item] = _read("-")
    assert isinstance(item, Failure) and item.reason == "bad-json"
    assert item.raw == bad


def test_other_schemes_are_refused() -> None:
    [item] = _read("ftp://example.com/a.txt")
    assert isinstance(item, Failure) and item.reason == "unsupported-format"
    assert item.source == "ftp://example.com/a.txt"


def test_inputs_keep_their_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_text(name)
    order = [str(tmp_path / "b.txt"), str(tmp_path / "missing"), str(tmp_path / "a.txt")]
    assert [i.source for i in _read(*order)] == order


def test_permission_error_maps_to_unreadable() -> None:
    # Running as root (as CI containers do) no file is unreadable, so check the mapping itself.
    from newstrace.ingest.files import _os_failure

    item = _os_failure("x.txt", PermissionError(13, "Permission denied"))
    assert (item.reason, item.kind, item.message) == (
        "unreadable",
        "skip",
        "x.txt: permission denied",
    )


def test_path_objects_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("words")
    [doc] = list(read([path]))  # type: ignore[list-item]
    assert isinstance(doc, RawDocument) and doc.source == str(path)

"""What every reader shares: failure reasons and messages, stream peeking, capped reads."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import BinaryIO, TypeAlias

from ..errors import REASONS, NewstraceError
from ..records import Failure, Hints, RawDocument

__all__ = [
    "HEAD_BYTES",
    "NO_HINTS",
    "REASONS",
    "Item",
    "PassThrough",
    "SafeReader",
    "StreamError",
    "failure",
    "iter_lines",
    "mib",
    "one_line",
    "parse_content_type",
    "peek",
    "read_capped",
    "read_upto",
    "scrub",
]

Item: TypeAlias = RawDocument | Failure

NO_HINTS = Hints()

# Enough to see a format's signature, a JSON first line or a CSV header, without reading a file whole.
HEAD_BYTES = 64 * 1024


class StreamError(NewstraceError):
    """Raised by stream wrappers (gzip, file reads) so that a reader can turn it into a Failure."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """Replace lone surrogates (from `\\ud800` JSON escapes or undecodable file names) with U+FFFD.

    They cannot be encoded to UTF-8, so a store or a terminal would fail on them later.
    """
    return _SURROGATE.sub("\ufffd", text)


def one_line(text: str, limit: int = 400) -> str:
    """Collapse newlines and control characters so a message stays one printable line."""
    text = _CONTROL.sub(" ", text).strip()
    text = scrub(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failure(
    source: str,
    reason: str,
    detail: str,
    *,
    raw: bytes | None = None,
    kind: str | None = None,
) -> Failure:
    """Build a Failure whose message names the input first, then says what went wrong."""
    default_kind = REASONS[reason][0]
    kind = kind or default_kind
    return Failure(
        source=source,
        kind=kind,
        reason=reason,
        message=one_line(f"{source}: {detail}"),
        raw=raw if kind == "quarantine" else None,
    )


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into (mime type, charset); an unknown charset is dropped."""
    if not value:
        return None, None
    parts = value.split(";")
    mime = parts[0].strip().lower() or None
    charset = None
    for param in parts[1:]:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            val = val.strip().strip("\"'").strip().lower()
            try:
                codecs.lookup(val)
            except (LookupError, ValueError):
                continue
            charset = val
    return mime, charset


class _Replay(io.RawIOBase):
    """A non-seekable stream with bytes already taken from its front put back.

    If taking them ended in an error (a truncated gzip), the error is raised again once the
    head is used up, at the point where the reader would have met it.
    """

    def __init__(self, head: bytes, rest: BinaryIO, error: StreamError | None = None) -> None:
        self._head = memoryview(head)
        self._rest = rest
        self._error = error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        if self._error is not None:
            raise self._error
        data = self._rest.read(len(buffer))
        if not data:
            return 0
        buffer[: len(data)] = data
        return len(data)


class PassThrough(io.RawIOBase):
    """A raw reader that hands on what it reads and shows each chunk to `seen` first: the one
    place the readers that count or record a one-pass stream get their bytes from."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw

    def readable(self) -> bool:
        return True

    def seen(self, data: bytes) -> None:
        """Called with every chunk read, before it is handed on."""

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        if not data:
            return 0
        buffer[: len(data)] = data
        self.seen(data)
        return len(data)


class SafeReader(io.BufferedIOBase):
    """Buffered reading over a raw stream that may fail part-way (a truncated gzip).

    `io.BufferedReader` drops the bytes it gathered in a call when the raw stream raises inside
    it; here they are returned first and the error is raised on the next call, so a reader yields
    every record before the damage and then reports it.
    """

    def __init__(self, raw: BinaryIO, chunk: int = HEAD_BYTES) -> None:
        self._raw = raw
        self._chunk = chunk
        self._buf = bytearray()
        self._error: StreamError | None = None
        self._eof = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> bool:
        """Add one raw read to the buffer; False at EOF. Raises only with an empty buffer."""
        if self._eof:
            return False
        if self._error is not None:
            if self._buf:
                return False
            raise self._error
        try:
            data = self._raw.read(self._chunk)
        except StreamError as error:
            self._error = error
            if self._buf:
                return False
            raise
        if not data:
            self._eof = True
            return False
        self._buf += data
        return True

    def _take(self, n: int) -> bytes:
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            while self._fill():
                pass
            return self._take(len(self._buf))
        while len(self._buf) < size and self._fill():
            pass
        return self._take(size)

    def read1(self, size: int = -1) -> bytes:
        if not self._buf:
            self._fill()
        return self._take(len(self._buf) if size < 0 else size)

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = -1 if size is None else size
        start = 0
        while True:
            end = self._buf.find(b"\n", start)
            if end >= 0:
                n = end + 1
                break
            if 0 <= limit <= len(self._buf):
                n = limit
                break
            start = len(self._buf)
            if not self._fill():
                if self._error is not None:
                    # A line cut short by damage is part of the damage, not a line to parse.
                    self._buf.clear()
                    raise self._error
                n = len(self._buf)
                break
        if 0 <= limit < n:
            n = limit
        return self._take(n)


def read_upto(stream: BinaryIO, n: int) -> bytes:
    """Read n bytes or until EOF: pipes and decompressors may return short reads."""
    chunks: list[bytes] = []
    _read_into(chunks, stream, n)
    return b"".join(chunks)


def _read_into(chunks: list[bytes], stream: BinaryIO, n: int) -> None:
    """Append up to n bytes from the stream to `chunks`; what was read stays there if a read
    raises (peek keeps a damaged stream's readable start)."""
    got = 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)


def peek(stream: BinaryIO, n: int = HEAD_BYTES) -> tuple[bytes, BinaryIO]:
    """Return the first n bytes and a stream that still starts at the beginning."""
    try:
        seekable = stream.seekable()
    except (OSError, ValueError):
        seekable = False
    if seekable:
        start = stream.tell()
        head = read_upto(stream, n)
        stream.seek(start)
        return head, stream
    chunks: list[bytes] = []
    error: StreamError | None = None
    try:
        _read_into(chunks, stream, n)
    except StreamError as caught:
        if not chunks:
            raise
        error = caught
    head = b"".join(chunks)
    return head, SafeReader(_Replay(head, stream, error))  # type: ignore[arg-type,return-value]


def read_capped(stream: BinaryIO, max_bytes: int) -> bytes | None:
    """Read a whole stream, or return None once it proves longer than max_bytes."""
    data = read_upto(stream, max_bytes + 1)
    return None if len(data) > max_bytes else data


def mib(n: int) -> str:
    """A byte count as people read it in a message."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} bytes"


def iter_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, line) with lines capped at max_bytes; an over-long line yields None.

    The rest of an over-long line is skipped in bounded chunks, so one giant line neither fills
    memory nor stops the lines after it from being read.
    """
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(HEAD_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line

"""gzip-compressed inputs: streaming decompression that reports damage and stops gzip bombs."""

from __future__ import annotations

import gzip
import io
import zlib
from typing import BinaryIO

from .common import PassThrough, StreamError, mib

__all__ = ["MAX_RATIO", "GzipStream"]

# Real text compresses 3-10x; far beyond this, past max_bytes, the input is a decompression bomb.
MAX_RATIO = 100


class _Counting(PassThrough):
    """Counts the compressed bytes consumed, to compare with what they decompress to."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__(raw)
        self.count = 0

    def seen(self, data: bytes) -> None:
        self.count += len(data)


class GzipStream(io.RawIOBase):
    """A read-only view of the decompressed data, multi-member gzip included.

    Truncation and damage raise `StreamError("corrupt-gzip")` and read errors of the file below
    `StreamError("unreadable")`, so the reader above can report them and keep what it already
    yielded. Output past `max_bytes` at more than `MAX_RATIO` times the input raises
    `StreamError("too-large")`.
    """

    def __init__(self, raw: BinaryIO, max_bytes: int) -> None:
        self._counting = _Counting(raw)
        self._gzip = gzip.GzipFile(fileobj=self._counting, mode="rb")
        self._max_bytes = max_bytes
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        try:
            # read1: one decompression step at a time, so the data before a damaged spot is
            # returned before the error rather than lost with it.
            data = self._gzip.read1(len(buffer))
        except (EOFError, gzip.BadGzipFile, zlib.error) as error:
            raise StreamError(
                "corrupt-gzip",
                f"gzip data is truncated or damaged after {mib(self.produced)} "
                f"decompressed ({error})",
            ) from error
        except OSError as error:
            raise StreamError("unreadable", f"read error: {error.strerror or error}") from error
        n = len(data)
        buffer[:n] = data
        self.produced += n
        if self.produced > self._max_bytes and self.produced > MAX_RATIO * self._counting.count:
            raise StreamError(
                "too-large",
                f"decompresses to more than {MAX_RATIO} times its size "
                f"({mib(self.produced)} so far), a likely gzip bomb; not reading further",
            )
        return n

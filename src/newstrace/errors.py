"""The one error tree of newstrace, and the table of every reason an input can fail with.

Every error newstrace raises for a user to read is a `NewstraceError`; its message is one line
that names the input or the setting and says what to do next. The command line catches the root
class in one place. The tree::

    NewstraceError
    ├── ConfigError        a config file, variable or flag is malformed or unknown
    ├── PipelineError      stages assembled in an order that cannot work, or an unknown stage
    ├── StoreError         the database cannot be opened, migrated, read or written
    │   ├── StoreMissing   a command that only reads was pointed at a store that does not exist
    │   └── CursorError    a page cursor that the list did not give out (forged, or of another list)
    ├── ModelError         the spaCy model is not installed or cannot be loaded
    ├── RegistryError      the actor registry cannot be built from its files
    │   └── DictionaryError  a user's PETRARCH/Phoenix dictionary cannot be read at all
    ├── InputError         an input given on the command line cannot be read at all
    └── EvalDataError      evaluation data is malformed
        └── EvalDataMissing  evaluation data is not where it was looked for

Inputs that fail one by one are not exceptions: they become a `records.Failure` with a reason
from `REASONS`, are counted in the run summary, and the run goes on.
"""

from __future__ import annotations

__all__ = [
    "REASONS",
    "ConfigError",
    "CursorError",
    "DictionaryError",
    "EvalDataError",
    "EvalDataMissing",
    "InputError",
    "ModelError",
    "NewstraceError",
    "PipelineError",
    "RegistryError",
    "StoreBehind",
    "StoreError",
    "StoreMissing",
    "failure_kind",
]


class NewstraceError(Exception):
    """The root: anything newstrace raises for a user, with a one-line message. `exit_code` is
    what the command line exits with."""

    exit_code = 2


class ConfigError(NewstraceError, ValueError):
    """A config file or variable is malformed or names a setting that does not exist."""


class PipelineError(NewstraceError, ValueError):
    """The pipeline is misconfigured: a stage requires something no earlier stage assigns, or a
    stage name is not registered."""


class StoreError(NewstraceError, RuntimeError):
    """The database cannot be opened, migrated or written; the message says which and why."""


class StoreMissing(StoreError):
    """A command that only reads was given a SQLite file that does not exist (none is created)."""


class CursorError(StoreError, ValueError):
    """A page cursor that is not one the list gave out: forged, truncated, or of another list or
    order. The API answers it with 400; start again without a cursor."""


class StoreBehind(StoreError):
    """A read-only handle was asked of a store whose schema is older than this newstrace's: it
    must be opened for writing once, which migrates it."""


class ModelError(NewstraceError, RuntimeError):
    """The configured spaCy model cannot be loaded; the message says how to install it."""


class RegistryError(NewstraceError, ValueError):
    """The actor registry cannot be loaded (a packaged or imported file is unreadable)."""


class DictionaryError(RegistryError):
    """A PETRARCH/Phoenix dictionary file cannot be read at all (missing, binary, not text)."""


class InputError(NewstraceError, ValueError):
    """An input named on the command line cannot be used at all (none of the paths exist)."""

    exit_code = 1  # as when inputs were read but none gave an article


class EvalDataError(NewstraceError, ValueError):
    """Evaluation data is malformed: the message names the file and the line."""


class EvalDataMissing(EvalDataError, FileNotFoundError):
    """Evaluation data is not where it was looked for."""


# Every reason code a failed input can have, with the failure kind it gets by default and what it
# means. The run summary counts by these codes and `newstrace export failures` carries them, so
# they are a stable contract: add, never rename. A test checks that every reason in the code is
# listed here, and docs/errors.md lists them for users.
REASONS: dict[str, tuple[str, str]] = {
    # reading (ingest)
    "empty": ("skip", "no content: 0 bytes, only whitespace, or a record without text"),
    "binary": ("skip", "binary content (image, PDF, archive, NUL bytes), not an article"),
    "unsupported-format": ("skip", "a format newstrace does not read (xz, tar, sitemap XML, ...)"),
    "too-large": ("skip", "larger than max_bytes; raise the limit to read it"),
    "not-found": ("skip", "the path or a symlink target does not exist"),
    "unreadable": ("skip", "the operating system refused to read it (permissions, I/O error)"),
    "corrupt-gzip": ("quarantine", "gzip data truncated or damaged"),
    "corrupt-warc": ("quarantine", "WARC archive truncated or damaged"),
    "bad-json": ("quarantine", "invalid JSON, or JSON that is not an object per record"),
    "bad-csv": ("quarantine", "a CSV row that does not parse or does not match the header"),
    "bad-feed": ("quarantine", "not a parseable RSS or Atom feed"),
    "fetch-error": ("retry", "network failure: DNS, connection, timeout, TLS"),
    "http-status": ("skip", "the server answered 4xx/5xx (5xx and 429 are retried)"),
    "robots-disallowed": ("skip", "robots.txt forbids fetching this URL"),
    # cleaning
    "not-article": ("skip", "a page with no article text: a login wall, an index, a photo page"),
    "undecodable": ("quarantine", "bytes that decode to no readable text in any likely encoding"),
    "extract-error": ("quarantine", "the HTML extractor failed on the page"),
    "clean-error": ("quarantine", "the cleaner failed unexpectedly on this input"),
    "too-deep": ("quarantine", "markup nested too deeply to parse"),
}


def failure_kind(reason: str) -> str:
    """The default kind (skip, quarantine, retry) of a registered reason."""
    return REASONS[reason][0]

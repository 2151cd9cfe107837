"""The command line: a thin layer over the readers, pipeline, store, eval and bench."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .config import ConfigError, Settings, load_settings
from .store import TABLES, Store, StoreError, display_db

app = typer.Typer(
    help="newstrace: turn raw news into a sourced record of who said what, and who did what to whom.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
actors_app = typer.Typer(help="Manage the actor registry.", no_args_is_help=True)
app.add_typer(actors_app, name="actors")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or SQLAlchemy URL (default: ./newstrace.db)."),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="A TOML config file (default: user and ./newstrace.toml)."),
]


def fail(message: str, code: int = 2) -> None:
    """Print one line on stderr and exit: errors name the input and the reason, never a traceback."""
    err.print(f"newstrace: error: {message}", markup=False)
    raise typer.Exit(code)


def settings_from(config: Path | None, **cli: Any) -> Settings:
    try:
        return load_settings(config, **cli)
    except ConfigError as exc:
        fail(str(exc))
        raise AssertionError from exc  # unreachable: fail() exits


def open_existing_store(settings: Settings) -> Store:
    """The store for a command that only reads one: a missing SQLite file is an error, not a new
    empty store."""
    if "://" not in settings.db and not Path(settings.db).exists():
        fail(
            f"database {settings.db}: not found; run `newstrace run PATH --db {settings.db}` first"
        )
    return open_store(settings)


def open_store(settings: Settings) -> Store:
    try:
        return Store(settings.db)
    except StoreError as exc:
        fail(str(exc))
        raise AssertionError from exc


@actors_app.command("import")
def actors_import(
    path: Annotated[Path, typer.Argument(help="A PETRARCH/Phoenix actor or agent dictionary.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    actors_dir: Annotated[
        str | None, typer.Option(help="Where dictionaries are kept (default: beside the store).")
    ] = None,
) -> None:
    """Check a dictionary against the registry and keep it for later runs; re-importing is safe."""
    from .actors import DictionaryError, RegistryError, import_dictionary
    from .pipeline import actors_dir as dictionaries

    settings = settings_from(config, db=db, actors_dir=actors_dir)
    try:
        report = import_dictionary(path, store_dir=dictionaries(settings))
    except (DictionaryError, RegistryError) as exc:
        fail(str(exc))
        return
    out.print(
        f"{report.path}: {report.added} actors added, {report.updated} updated, "
        f"{report.skipped} unchanged; kept as {report.stored_as}",
        markup=False,
    )
    for line in report.errors[:20]:
        err.print(f"newstrace: {path}: skipped {line}", markup=False)
    if len(report.errors) > 20:
        err.print(f"newstrace: {path}: {len(report.errors) - 20} more lines skipped", markup=False)


@actors_app.command("resolve")
def actors_resolve(
    text: Annotated[str, typer.Argument(help="A name or description, e.g. 'the Kremlin'.")],
    date: Annotated[
        str | None, typer.Option(help="The day it is said on (YYYY-MM-DD); roles are dated.")
    ] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Show what a mention resolves to with the registry in force (packaged plus imported)."""
    from .actors import DictionaryError, RegistryError
    from .pipeline import load_registry

    settings = settings_from(config, db=db)
    try:
        found = load_registry(settings).resolve(text, when=date)
    except (DictionaryError, RegistryError, ValueError) as exc:
        fail(str(exc))
        return
    if found is None:
        fail(f"{text!r}: no actor in the registry or the description grammar", 1)
        return
    from dataclasses import asdict

    out.print(json.dumps(asdict(found), ensure_ascii=False), markup=False)


def version_callback(value: bool) -> None:
    if value:
        out.print(f"newstrace {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """newstrace: who said what, and who did what to whom, when, as reported by which outlets."""


@app.command()
def run(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders, .gz/.warc archives, feeds, http(s) URLs, or - for stdin."
        ),
    ],
    db: DbOpt = None,
    config: ConfigOpt = None,
    batch_size: Annotated[int | None, typer.Option(help="Articles per committed batch.")] = None,
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field", help="Map a record field for JSON/CSV input, e.g. --field text=body."
        ),
    ] = None,
    analyse: Annotated[
        bool | None,
        typer.Option(
            "--analyse/--no-analyse",
            help="Parse new articles for entities and quotes (default on).",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option(help="Exit non-zero when any input failed.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary table.")
    ] = False,
) -> None:
    """Ingest and process everything given, into the store. Re-running is safe and idempotent."""
    from .actors import DictionaryError, RegistryError
    from .ingest import read
    from .nlp.model import ModelError
    from .pipeline import run as run_pipeline

    settings = settings_from(config, db=db, batch_size=batch_size, analyse=analyse)
    store = open_store(settings)
    options = _read_options(settings, field or [])
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed} inputs"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )
    with progress:
        task = progress.add_task("ingesting", total=None)

        def on_item(source: str, outcome: str) -> None:
            progress.advance(task)

        try:
            summary = run_pipeline(
                read(inputs, options=options), store, settings, inputs=inputs, on_item=on_item
            )
        except (StoreError, ModelError, RegistryError, DictionaryError) as exc:
            fail(str(exc))
            return
        except KeyboardInterrupt:
            fail("interrupted; whole batches already committed are kept, re-run to resume", 130)
            return
    for message in summary.messages:
        err.print(f"newstrace: {message}", markup=False)
    if not quiet:
        _print_summary(summary.as_dict(), display_db(settings.db))
        if settings.analyse:
            out.print(f"{summary.quotes} quotes found in the articles this run added", markup=False)
    if summary.stored == 0:
        fail("nothing could be ingested from the given inputs", 1)
    if strict and summary.failed:
        fail(f"{summary.failed} input(s) failed (--strict)", 1)


@app.command()
def analyse(
    db: DbOpt = None,
    config: ConfigOpt = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Re-analyse every stored article, not only the pending.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
) -> None:
    """Analyse stored articles the current NLP and quote stages have not seen: those stored with
    --no-analyse, or by an older stage version. Safe to interrupt and re-run."""
    from .actors import DictionaryError, RegistryError
    from .nlp.model import ModelError
    from .pipeline import analyse_stored

    settings = settings_from(config, db=db)
    store = open_existing_store(settings)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]analysing"),
        TextColumn("{task.completed} articles"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )
    with progress:
        task = progress.add_task("analysing", total=None)
        try:
            n = analyse_stored(
                store, settings, everything=everything, on_batch=lambda k: progress.advance(task, k)
            )
        except (StoreError, ModelError, RegistryError, DictionaryError) as exc:
            fail(str(exc))
            return
        except KeyboardInterrupt:
            fail("interrupted; batches already committed are kept, re-run to resume", 130)
            return
    if not quiet:
        out.print(f"{n} articles analysed ({display_db(settings.db)})", markup=False)


def _read_options(settings: Settings, fields: list[str]) -> Any:
    from .ingest import FieldMap, ReadOptions

    field_map = FieldMap()
    for spec in fields:
        name, sep, column = spec.partition("=")
        if not sep or not column:
            fail(f"--field {spec!r}: expected NAME=COLUMN, e.g. text=body")
        try:
            field_map = field_map.with_field(name.strip(), column.strip())
        except ValueError as exc:
            fail(f"--field {spec!r}: {exc}")
    return ReadOptions(
        max_bytes=settings.max_bytes,
        field_map=field_map,
        timeout=settings.fetch_timeout,
        user_agent=settings.user_agent,
        respect_robots=settings.respect_robots,
        min_delay=settings.fetch_delay,
    )


def _print_summary(counts: dict[str, dict[str, int]], db: str) -> None:
    table = Table(title=f"run summary ({db})", title_justify="left")
    table.add_column("outcome")
    table.add_column("reason")
    table.add_column("inputs", justify="right")
    for outcome, reasons in counts.items():
        for reason, n in reasons.items():
            table.add_row(outcome, reason, str(n))
    out.print(table)


@app.command()
def export(
    table: Annotated[str, typer.Argument(help=f"One of: {', '.join(TABLES)}.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet.")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export a table: JSONL to stdout by default."""
    if table not in TABLES:
        fail(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    if format not in {"jsonl", "csv", "parquet"}:
        fail(f"unknown format {format!r}; choose jsonl, csv or parquet")
    if format == "parquet" and output is None:
        fail("parquet is binary: give a file with -o")
    settings = settings_from(config, db=db)
    store = open_existing_store(settings)
    rows = store.rows(table)
    try:
        if format == "parquet":
            _write_parquet(list(rows), output)  # type: ignore[arg-type]
            return
        stream: Any = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            if format == "jsonl":
                for row in rows:
                    stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                _write_csv(rows, stream)
        finally:
            if output:
                stream.close()
    except BrokenPipeError:
        raise  # `export ... | head`: the reader has what it wanted; main() ends quietly
    except OSError as exc:
        fail(f"{output or 'stdout'}: {exc.strerror or exc}")


def _flat(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def _write_csv(rows: Any, stream: io.TextIOBase) -> None:
    writer = None
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(stream, fieldnames=list(row))
            writer.writeheader()
        writer.writerow({k: _flat(v) for k, v in row.items()})


def _write_parquet(rows: list[dict[str, Any]], output: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), output)


@app.command()
def stats(db: DbOpt = None, config: ConfigOpt = None) -> None:
    """What the store holds: articles, sources, failures by reason, languages, date range."""
    settings = settings_from(config, db=db)
    store = open_existing_store(settings)
    counts = store.counts()
    table = Table(
        title=f"store {store.db} (schema v{store.schema_version()})", title_justify="left"
    )
    table.add_column("what")
    table.add_column("value", justify="right")
    for key, value in counts.items():
        if isinstance(value, dict):
            for sub, n in value.items():
                table.add_row(f"{key}: {sub}", str(n))
        else:
            table.add_row(key, json.dumps(value) if isinstance(value, list) else str(value))
    out.print(table)


@app.command()
def quotes(
    db: DbOpt = None,
    config: ConfigOpt = None,
    speaker: Annotated[str | None, typer.Option(help="Part of the speaker's name.")] = None,
    actor: Annotated[
        str | None, typer.Option(help="Speaker's actor code or its prefix (RUS, RUSGOV).")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 20,
) -> None:
    """Who said what, when, as reported by which outlet: the stored quotes, newest first."""
    settings = settings_from(config, db=db)
    rows = open_existing_store(settings).find_quotes(speaker=speaker, actor=actor, limit=limit)
    if not rows:
        out.print("no quotes match", markup=False)
    # One block per quote reads at any terminal width. Article text is untrusted: printed with
    # markup off, so brackets in it never become styling.
    for r in rows:
        who = r["speaker"] or "(speaker unknown)"
        actor_code = f" [{r['speaker_actor']}]" if r["speaker_actor"] else ""
        where = ", ".join(x for x in (r["outlet"], r["kind"]) if x)
        out.print(f"{r['date'] or '????-??-??'}  {who}{actor_code} ({where})", markup=False)
        text = r["text"] if len(r["text"]) <= 300 else r["text"][:297] + "..."
        out.print(f"    {text}", markup=False)


EVAL_TASKS = ("extraction", "quotes")


@app.command("eval")
def eval_(
    task: Annotated[str, typer.Argument(help=f"One of: {', '.join(EVAL_TASKS)}.")],
    split: Annotated[str, typer.Option(help="dev (tune here) or test (report here).")] = "dev",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    data: Annotated[
        Path | None, typer.Option(help="Data folder (default: ../shared/eval/TASK).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(help="Score only the first N items of each set.")
    ] = None,
    system: Annotated[
        list[str] | None,
        typer.Option("--system", help="Run only these systems (ours and anchors)."),
    ] = None,
) -> None:
    """Score ours and the anchors on a public benchmark, side by side, with the same scorer."""
    import importlib

    if task not in EVAL_TASKS:
        fail(f"unknown eval task {task!r}; choose one of {', '.join(EVAL_TASKS)}")
    if split not in {"dev", "test"}:
        fail(f"unknown split {split!r}; choose dev or test")
    module = importlib.import_module(f"newstrace.eval.{task}")
    try:
        configured = settings_from(None).shared_dir
        if data is None and configured:
            from .eval.paths import shared_dir

            data = shared_dir(configured) / "eval" / task
        result = module.run(split=split, data=data, systems=system, limit=limit)
    except FileNotFoundError as exc:
        fail(
            f"eval {task}: data not found ({exc}); pass --data DIR, or set the shared_dir "
            "setting (NEWSTRACE_SHARED_DIR) to the folder holding eval/"
        )
        return
    if as_json:
        out.print(json.dumps(result, ensure_ascii=False), markup=False)
        return
    _print_results(result)


def _print_results(result: dict[str, Any]) -> None:
    for dataset, systems in result["results"].items():
        metrics = sorted({m for s in systems.values() for m in s})
        table = Table(
            title=f"{result['task']} / {dataset} ({result['split']})", title_justify="left"
        )
        table.add_column("system")
        for m in metrics:
            table.add_column(m, justify="right")
        for name, scores in systems.items():
            table.add_row(name, *[_fmt(scores.get(m)) for m in metrics])
        out.print(table)


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


@app.command()
def bench(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Run only these benchmarks.")
    ] = None,
    repeat: Annotated[int, typer.Option(help="Runs per benchmark; the median is reported.")] = 3,
) -> None:
    """Throughput of our stages beside a reference measured in the same run."""
    from .eval.bench import run as run_bench

    try:
        result = run_bench(only=only, repeat=repeat)
    except ValueError as exc:
        fail(str(exc))
        return
    if as_json:
        out.print(json.dumps(result), markup=False)
        return
    table = Table(title="newstrace bench", title_justify="left")
    for col in ("name", "ours_per_s", "reference", "reference_per_s", "ratio", "n"):
        table.add_column(col)
    for b in result["benchmarks"]:
        table.add_row(
            *[
                _fmt(b.get(c))
                for c in ("name", "ours_per_s", "reference", "reference_per_s", "ratio", "n")
            ]
        )
    out.print(table)


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `newstrace export articles | head` is normal use
        sys.stderr.close()


if __name__ == "__main__":
    main()

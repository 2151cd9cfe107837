"""The command line: a thin layer over the readers, pipeline, store, eval and bench."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .config import Settings, load_settings
from .errors import REASONS, InputError, NewstraceError
from .formats import csv_chunks, jsonl_lines, write_parquet
from .store import LISTS, QuoteFilter, Store, VariantFilter, display_db

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
    return load_settings(config, **cli)


def existing_store(settings: Settings) -> Store:
    """The store for a command that only reads: read-only (it never waits for a run's write lock);
    a missing SQLite file is an error (StoreMissing), and none is created."""
    return Store.for_reading(settings.db)


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
    from .actors import import_dictionary
    from .config import actors_dir as dictionaries

    settings = settings_from(config, db=db, actors_dir=actors_dir)
    report = import_dictionary(path, store_dir=dictionaries(settings))
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
    from .config import actors_dir as dictionaries
    from .registry import actor_registry

    settings = settings_from(config, db=db)
    try:
        found = actor_registry([str(dictionaries(settings))]).resolve(text, when=date)
    except ValueError as exc:  # a malformed --date
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
    from .ingest import read, survey
    from .pipeline import run as run_pipeline

    settings = settings_from(config, db=db, batch_size=batch_size, analyse=analyse)
    options = _read_options(settings, field or [])
    found = survey(inputs)
    for path in found.missing:
        err.print(f"newstrace: {path}: no such file or directory", markup=False)
    if not found.readable:
        # Nothing to read: say so before a store is created for nothing.
        raise InputError("nothing to ingest: none of the given inputs exists")
    store = Store(settings.db)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=None),
        TextColumn("{task.fields[files]}"),
        TextColumn("{task.fields[inputs]} inputs, {task.fields[rate]}/s"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )
    with progress:
        task = progress.add_task("ingesting", total=found.files, files="", inputs=0, rate="0.0")
        meter = _Meter(progress, task, found.files)
        try:
            summary = run_pipeline(
                read(inputs, options=options),
                store,
                settings,
                inputs=inputs,
                on_read=meter.read,
            )
        except KeyboardInterrupt:
            fail("interrupted; whole batches already committed are kept, re-run to resume", 130)
            return
    for message in summary.messages:
        err.print(f"newstrace: {message}", markup=False)
    if not quiet:
        _print_summary(summary.as_dict(), display_db(settings.db))
        if summary.products:
            # Events are counted by happening elsewhere; what the articles hold are reports.
            label = {"events": "event reports"}
            found_line = ", ".join(
                f"{n} {label.get(name, name)}" for name, n in sorted(summary.products.items())
            )
            out.print(f"found in the articles this run added: {found_line}", markup=False)
    if summary.stored == 0:
        fail("nothing could be ingested from the given inputs", 1)
    if strict and summary.failed:
        fail(f"{summary.failed} input(s) failed (--strict)", 1)


class _Meter:
    """Moves the progress bar as each input is read: files done of the total where it is known
    (plain files and folders), inputs read, and the rate."""

    def __init__(self, progress: Progress, task: Any, files: int | None) -> None:
        self.progress, self.task, self.total = progress, task, files
        self.inputs = 0
        self.files: set[str] = set()
        self.started = time.monotonic()

    def read(self, item: Any) -> None:
        self.inputs += 1
        self.files.add(item.source.split("#", 1)[0])
        done = min(len(self.files), self.total) if self.total is not None else None
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.progress.update(
            self.task,
            completed=done if done is not None else self.inputs,
            files=f"{done}/{self.total} files" if done is not None else "",
            inputs=self.inputs,
            rate=f"{self.inputs / elapsed:.1f}",
        )


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
    from .pipeline import analyse_stored

    settings = settings_from(config, db=db)
    store = Store(settings.db, create=False)  # writes, but only to a store that exists
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
        except KeyboardInterrupt:
            fail("interrupted; batches already committed are kept, re-run to resume", 130)
            return
    if not quiet:
        out.print(f"{n} articles analysed ({display_db(settings.db)})", markup=False)


def _read_options(settings: Settings, fields: list[str]) -> Any:
    from .ingest import FieldMap, ReadOptions

    try:
        field_map = FieldMap.from_specs(fields)
    except ValueError as exc:
        fail(f"--field: {exc}")
    return ReadOptions.from_settings(settings, field_map=field_map)


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
    table: Annotated[str, typer.Argument(help=f"One of: {', '.join(LISTS)}.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="jsonl, csv or parquet; for events also plover (PLOVER JSON lines) or gdelt "
            "(GDELT 2.0 event and mentions tables, tab-separated: give -o).",
        ),
    ] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    raw: Annotated[
        Path | None,
        typer.Option(
            "--raw",
            help="With `failures`: also write each quarantined input's raw bytes into this "
            "folder, to fix and re-run them (`newstrace run FOLDER`).",
        ),
    ] = None,
) -> None:
    """Export a table: JSONL to stdout by default."""
    if table not in LISTS:
        fail(f"unknown table {table!r}; choose one of {', '.join(LISTS)}")
    from .events_cli import EVENT_FORMATS, export_events, rows_of

    if format in EVENT_FORMATS and table != "events":
        fail(f"--format {format} goes with `export events`")
    if format not in {"jsonl", "csv", "parquet", *EVENT_FORMATS}:
        fail(f"unknown format {format!r}; choose jsonl, csv, parquet, plover or gdelt")
    if format == "parquet" and output is None:
        fail("parquet is binary: give a file with -o")
    if raw is not None and table != "failures":
        fail("--raw goes with `export failures`: only quarantined inputs keep raw bytes")
    settings = settings_from(config, db=db)
    store = existing_store(settings)
    if raw is not None:
        _write_raw(store, raw)
    if format in EVENT_FORMATS:
        export_events(store, format, output)
        return
    rows = rows_of(store, table)
    try:
        if format == "parquet":
            write_parquet(rows, output)  # type: ignore[arg-type]
            return
        stream: Any = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            chunks = jsonl_lines(rows) if format == "jsonl" else csv_chunks(rows)
            for chunk in chunks:
                stream.write(chunk)
        finally:
            if output:
                stream.close()
    except BrokenPipeError:
        raise  # `export ... | head`: the reader has what it wanted; main() ends quietly
    except OSError as exc:
        fail(f"{output or 'stdout'}: {exc.strerror or exc}")


# Hidden, so that `newstrace run FOLDER` reads the inputs and not the list of them.
MANIFEST = ".newstrace-manifest.jsonl"


def _write_raw(store: Store, folder: Path) -> None:
    """Each quarantined input's bytes as `<failure id>-<reason><ext>` in `folder`, and a
    manifest (`.newstrace-manifest.jsonl`) saying which source each came from. Names are built from the id and the
    reason code only: a source is untrusted text and never part of a path."""
    from .ingest.sniff import extension_for

    try:
        folder.mkdir(parents=True, exist_ok=True)
        # What an earlier export wrote here would be re-run with these: only this export's stay.
        for old in folder.glob("[0-9][0-9][0-9][0-9][0-9][0-9]-*"):
            if old.is_file():
                old.unlink()
        written = 0
        with (folder / MANIFEST).open("w", encoding="utf-8") as manifest:
            for failure, data in store.reader.failure_raw():
                # A reason not in the table (a store written by something else) names nothing.
                reason = failure.reason if failure.reason in REASONS else "unknown"
                name = f"{failure.id:06d}-{reason}{extension_for(failure.source, data)}"
                (folder / name).write_bytes(data)
                entry = {"file": name, "source": failure.source, "reason": failure.reason}
                manifest.write(
                    json.dumps(entry | {"message": failure.message}, ensure_ascii=False) + "\n"
                )
                written += 1
    except OSError as exc:
        fail(f"{folder}: {exc.strerror or exc}")
        return
    err.print(
        f"newstrace: wrote {written} quarantined input(s) to {folder} (list: {folder / MANIFEST})",
        markup=False,
    )


@app.command()
def stats(db: DbOpt = None, config: ConfigOpt = None) -> None:
    """What the store holds: articles, sources, failures by reason, languages, date range."""
    from dataclasses import asdict

    settings = settings_from(config, db=db)
    store = existing_store(settings)
    table = Table(
        title=f"store {store.db} (schema v{store.schema_version()})", title_justify="left"
    )
    table.add_column("what")
    table.add_column("value", justify="right")
    for key, value in asdict(store.reader.stats()).items():
        if isinstance(value, dict):
            for sub, n in value.items():
                table.add_row(f"{key}: {sub}", str(n))
        else:
            table.add_row(key, json.dumps(value) if isinstance(value, tuple) else str(value))
    out.print(table)


@app.command()
def report(
    db: DbOpt = None,
    config: ConfigOpt = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")] = Path(
        "report.html"
    ),
) -> None:
    """Write one self-contained HTML file (no external requests) with the overview's figures and
    the latest quotes, to send by e-mail."""
    from .web.report import write_report

    settings = settings_from(config, db=db)
    store = existing_store(settings)
    if output.parent and not output.parent.is_dir():
        raise typer.BadParameter(f"{output}: folder {output.parent} does not exist")
    size = write_report(store, output)
    err.print(f"newstrace: wrote {output} ({size} bytes) from {store.db}", markup=False)


@app.command()
def quotes(
    db: DbOpt = None,
    config: ConfigOpt = None,
    speaker: Annotated[
        str | None,
        typer.Option(help="Part of the speaker's name (case and accents ignored)."),
    ] = None,
    actor: Annotated[
        str | None, typer.Option(help="Speaker's actor code or its prefix (RUS, RUSGOV).")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 20,
) -> None:
    """Who said what, when, as reported by which outlet: the stored quotes, newest first."""
    settings = settings_from(config, db=db)
    wanted = QuoteFilter(speaker=speaker, actor=actor)
    found = existing_store(settings).reader.page(
        "quotes", quotes=wanted, limit=limit, newest_first=True
    )
    if not found.items:
        out.print("no quotes match", markup=False)
    # One block per quote reads at any terminal width. Article text is untrusted: printed with
    # markup off, so brackets in it never become styling.
    for q in found.items:
        who = q.speaker or "(speaker unknown)"
        actor_code = f" [{q.speaker_actor}]" if q.speaker_actor else ""
        where = ", ".join(x for x in (q.outlet, q.kind) if x)
        out.print(f"{q.date or '????-??-??'}  {who}{actor_code} ({where})", markup=False)
        text = q.text if len(q.text) <= 300 else q.text[:297] + "..."
        out.print(f"    {text}", markup=False)


@app.command()
def variants(
    db: DbOpt = None,
    config: ConfigOpt = None,
    speaker: Annotated[
        str | None,
        typer.Option(help="Part of the speaker's name (case and accents ignored)."),
    ] = None,
    change: Annotated[
        str | None,
        typer.Option(
            help="Only this change: verbatim, punctuation, wording, trimmed, meaning_changed."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 20,
) -> None:
    """How outlets rendered the same statement: each pair of renderings, newest first, with the
    words that differ marked (red in the first rendering, green in the second)."""
    from rich.text import Text

    from .group.wording import CHANGES, differing_spans

    if change is not None and change not in CHANGES:
        fail(f"unknown change {change!r}; choose one of {', '.join(CHANGES)}")
    settings = settings_from(config, db=db)
    wanted = VariantFilter(speaker=speaker, change=change)
    found = existing_store(settings).reader.page("variants", variants=wanted, limit=limit).items
    if not found:
        out.print("no quote variants match", markup=False)
    # Article text is untrusted: it goes into Text objects, never through markup.
    for v in found:
        who = v.b_speaker or v.a_speaker or "(speaker unknown)"
        actor = v.b_speaker_actor or v.a_speaker_actor
        actor_code = f" [{actor}]" if actor else ""
        head = Text(f"{v.b_date or '????-??-??'}  {who}{actor_code}  ")
        head.append(v.change or "", style="bold red" if v.change == "meaning_changed" else "bold")
        head.append(f"  (score {v.score:.2f})")
        out.print(head)
        marks_a, marks_b = differing_spans(v.a_text, v.b_text)
        sides = (
            ("a", v.a_published, v.a_outlet, v.a_kind, v.a_text, marks_a, "red"),
            ("b", v.b_published, v.b_outlet, v.b_kind, v.b_text, marks_b, "green"),
        )
        for side, published, outlet, kind, words, marks, style in sides:
            line = Text(f"  {side} {published or '????-??-??'} {outlet or '?'} ({kind}): ")
            shown = Text(words)
            for start, end in marks:
                shown.stylize(f"bold {style} underline", start, end)
            line.append_text(shown)
            out.print(line)
        if v.detail:
            out.print(Text(f"    {v.detail}", style="dim"))


@app.command()
def stories(
    db: DbOpt = None,
    config: ConfigOpt = None,
    since: Annotated[
        str | None, typer.Option(help="Stories still running on or after this day (YYYY-MM-DD).")
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Stories this outlet carried.")] = None,
    actor: Annotated[
        str | None, typer.Option(help="Stories whose articles mention this actor code or prefix.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 20,
) -> None:
    """The stories in the store, latest first: span, size, outlets and title."""
    from .store import StoryFilter

    settings = settings_from(config, db=db)
    wanted = StoryFilter(since=since, outlet=outlet, actor=actor)
    found = existing_store(settings).reader.page(
        "stories", stories=wanted, limit=limit, newest_first=True
    )
    if not found.items:
        out.print("no stories match", markup=False)
    # Titles are article text: printed with markup off.
    for s in found.items:
        span = f"{s.first_date or '????-??-??'}..{s.last_date or '????-??-??'}"
        out.print(f"{s.id}  {span}  {s.size} articles  {', '.join(s.outlets) or '-'}", markup=False)
        out.print(f"    {s.title or '(no headline)'}", markup=False)


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="A story id, as `newstrace stories` shows.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """One story: its articles, the outlets that reported it and when, and who did not."""
    settings = settings_from(config, db=db)
    reader = existing_store(settings).reader
    found = reader.story(story_id)
    if found is None:
        fail(f"story {story_id!r}: no such story in {display_db(settings.db)}", 1)
        return
    coverage = reader.coverage(found.id)
    assert coverage is not None
    if found.id != story_id:
        out.print(f"{story_id} was merged into {found.id}", markup=False)
    out.print(f"{found.id}  {found.title or '(no headline)'}", markup=False)
    span = f"{found.first_date or '?'} .. {found.last_date or '?'}"
    out.print(f"dates: {span}; actors: {', '.join(found.actors) or '-'}", markup=False)
    out.print("articles:", markup=False)
    for m in reader.story_articles(found.id):
        where = ", ".join(x for x in (m.published, m.outlet) if x) or "undated, outlet unknown"
        out.print(f"  {m.article_id}  {where}  ({m.basis} {m.score:.2f})", markup=False)
        out.print(f"      {m.title or '(no headline)'}", markup=False)
    out.print("reported by:", markup=False)
    for r in coverage.reported:
        out.print(f"  {r.outlet}: first {r.first_date or 'undated'}, {r.articles} article(s)",
                  markup=False)  # fmt: skip
    missed = ", ".join(coverage.missed) if coverage.missed else "none"
    out.print(f"not reported by (active in its span): {missed}", markup=False)
    for merge in reader.story_merges(found.id):
        out.print(f"merged in: {merge.merged} (score {merge.score:.2f})", markup=False)


@app.command()
def serve(
    db: DbOpt = None,
    config: ConfigOpt = None,
    host: Annotated[
        str,
        typer.Option(help="Address to listen on; the default is loopback, this machine only."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the store read-only: HTML pages at /, a JSON API under /api/v1 (Ctrl-C stops).
    Reads while a run writes; there are no write endpoints."""
    import uvicorn

    from .web import create_app

    settings = settings_from(config, db=db)
    api = create_app(settings.db)  # a missing or unreadable store fails here, in one line
    if host not in {"127.0.0.1", "localhost", "::1"}:
        err.print(
            f"newstrace: warning: listening on {host}: anyone who can reach it reads the store",
            markup=False,
        )
    shown = f"[{host}]" if ":" in host else host
    err.print(
        f"newstrace: serving {display_db(settings.db)} at http://{shown}:{port}/ (pages) and "
        f"http://{shown}:{port}/api/v1/ (OpenAPI: /api/v1/openapi.json); Ctrl-C stops",
        markup=False,
    )
    uvicorn.run(api, host=host, port=port, log_level="warning")


EVAL_TASKS = ("extraction", "quotes", "events", "similarity", "clustering", "grouping")


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
    generated: Annotated[
        int | None,
        typer.Option(help="grouping: how many generated articles to run and score."),
    ] = None,
    seed: Annotated[int, typer.Option(help="grouping: the generator's seed.")] = 0,
) -> None:
    """Score ours and the anchors on a public benchmark, side by side, with the same scorer
    (`grouping`: on generated articles with known truth, run as `newstrace run` runs them)."""
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
        extra = {"generated": generated, "seed": seed} if task == "grouping" else {}
        result = module.run(split=split, data=data, systems=system, limit=limit, **extra)
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


# `events`, `dyads`, `alerts` and the event exports live beside this module; importing it adds
# them to `app`.
from . import events_cli  # noqa: E402, F401


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `newstrace export articles | head` is normal use
        sys.stderr.close()
    except NewstraceError as exc:  # every error meant for a user: one line, no traceback
        err.print(f"newstrace: error: {exc}", markup=False)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    # Run as a script (`python -m newstrace.cli`), this file is `__main__`, and the commands of
    # events_cli were added to the app of the module `newstrace.cli`: run that one.
    from newstrace.cli import main as package_main

    package_main()

"""The command line of events: `newstrace events`, `dyads`, `alerts`, and the event exports
(PLOVER JSON, GDELT 2.0 tables). Kept beside cli.py, which registers these on its app."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from .cli import ConfigOpt, DbOpt, app, err, existing_store, fail, out, settings_from
from .events.escalation import THRESHOLD, alerts, history_start, scored
from .formats import jsonl_lines, tsv_lines
from .store import DyadFilter, EventFilter, Store, split_dyad
from .store.models import as_row

__all__ = ["EVENT_FORMATS", "export_events", "rows_of"]

EVENT_FORMATS = ("plover", "gdelt")

ActorOpt = Annotated[
    str | None, typer.Option(help="Actor code or its prefix on either side (RUS, RUSGOV).")
]
DyadOpt = Annotated[
    str | None, typer.Option(help="A directed pair of country codes: RUS-UKR (source-target).")
]
TypeOpt = Annotated[str | None, typer.Option("--type", help="A PLOVER type: ACCUSE, THREATEN...")]
SinceOpt = Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD (inclusive).")]
UntilOpt = Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD, YYYY-MM or YYYY.")]


def _checked(dyad: str | None, since: str | None, until: str | None) -> None:
    """Bad filters are one-line errors here, before any store is read."""
    import re

    if dyad is not None:
        try:
            split_dyad(dyad)
        except ValueError as exc:
            fail(f"--dyad: {exc}")
    for name, value in (("--since", since), ("--until", until)):
        if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            fail(f"{name} {value[:40]!r}: give a day as YYYY-MM-DD (or YYYY-MM, YYYY)")


def _reports(n: int) -> str:
    return f"{n} report{'s' if n != 1 else ''}"


def _arrow(source: str | None, target: str | None) -> str:
    return f"{source or '?'}→{target or '-'}"


@app.command()
def events(
    db: DbOpt = None,
    config: ConfigOpt = None,
    actor: ActorOpt = None,
    dyad: DyadOpt = None,
    type_: TypeOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: Annotated[int, typer.Option(help="How many to show.", min=1)] = 20,
) -> None:
    """Who did what to whom, when: the stored events, newest first, each with its reports."""
    _checked(dyad, since, until)
    settings = settings_from(config, db=db)
    wanted = EventFilter(actor=actor, dyad=dyad, type=type_, since=since, until=until)
    found = existing_store(settings).reader.page(
        "events", events=wanted, limit=limit, newest_first=True
    )
    if not found.items:
        out.print("no events match", markup=False)
    # Article text is untrusted: printed with markup off, so brackets in it never style.
    for e in found.items:
        flags = [f for f in ("negated", "hypothetical", "future", "claimed") if getattr(e, f)]
        gold = "" if e.goldstein is None else f", {e.goldstein:+g}"
        head = f"{e.date or '????-??-??'}  {_arrow(e.source_country, e.target_country)} "
        head += f"{e.event_type or '-'} (CAMEO {e.cameo}{gold})"
        if flags:
            head += f" [{', '.join(flags)}]"
        head += f"  {_reports(e.reports)}, {e.outlets} outlet{'s' if e.outlets != 1 else ''}"
        out.print(head, markup=False)
        who = " ".join(x for x in (e.source_actor, "→", e.target_actor or "-") if x)
        out.print(f"    {who}; {e.outlet or 'outlet unknown'}", markup=False)
        text = e.sentence if len(e.sentence) <= 300 else e.sentence[:297] + "..."
        out.print(f"    {text}", markup=False)


@app.command()
def dyads(
    db: DbOpt = None,
    config: ConfigOpt = None,
    actor: Annotated[str | None, typer.Option(help="A country code on either side.")] = None,
    dyad: DyadOpt = None,
    type_: TypeOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: Annotated[int, typer.Option(help="How many dyad-days to show.", min=1)] = 50,
) -> None:
    """Daily events and Goldstein intensity per directed dyad, counted by events (not reports),
    with the escalation score (docs/events-serving.md)."""
    _checked(dyad, since, until)
    settings = settings_from(config, db=db)
    store = existing_store(settings)
    rows = _scored(store, DyadFilter(actor=actor, dyad=dyad, type=type_, since=since, until=until))
    table = Table(title=f"dyads ({store.db})", title_justify="left")
    for col in ("dyad", "date", "events", "goldstein", "conflict", "baseline", "score"):
        table.add_column(col, justify="left" if col in ("dyad", "date") else "right")
    for r in rows[:limit]:
        table.add_row(
            _arrow(r.source, r.target), r.date, str(r.events), f"{r.goldstein:+.1f}",
            f"{r.conflict:.1f}", f"{r.baseline_mean:.2f}", f"{r.score:.2f}",
        )  # fmt: skip
    if not rows:
        out.print("no dyad-days match", markup=False)
        return
    out.print(table)
    if len(rows) > limit:
        out.print(f"{len(rows) - limit} more dyad-days (--limit)", markup=False)


def _scored(store: Store, wanted: DyadFilter) -> list[Any]:
    """The dyad-days of `wanted`, scored against the days before `since` as well."""
    history = DyadFilter(wanted.actor, wanted.dyad, wanted.type, history_start(wanted.since),
                         wanted.until)  # fmt: skip
    rows = scored(store.reader.iterate("dyads", dyads=history))
    return [r for r in rows if not wanted.since or r.date >= wanted.since]


@app.command("alerts")
def alerts_command(
    db: DbOpt = None,
    config: ConfigOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    threshold: Annotated[
        float, typer.Option(help="Escalation score at or above which a dyad-day is listed.")
    ] = THRESHOLD,
    dyad: DyadOpt = None,
) -> None:
    """Dyads whose escalation score crossed the threshold between --since and --until, highest
    first, with the events that drove each (see docs/events-serving.md for the score)."""
    _checked(dyad, since, until)
    settings = settings_from(config, db=db)
    store = existing_store(settings)
    days = store.reader.iterate("dyads", dyads=DyadFilter(dyad=dyad, since=history_start(since)))
    found = alerts(
        days, since=since, until=until, threshold=threshold, drivers=store.reader.dyad_events
    )
    if not found:
        out.print(f"no dyad crossed {threshold:g}", markup=False)
        return
    for a in found:
        out.print(
            f"{a.date}  {_arrow(a.source, a.target)}  score {a.score:.2f}  conflict "
            f"{a.conflict:.1f} against a baseline of {a.baseline_mean:.2f} "
            f"(sd {a.baseline_sd:.2f}); {a.events} events",
            markup=False,
        )
        for event_id in a.drivers:
            e = store.reader.event(event_id)
            if e is None:
                continue
            text = e.sentence if len(e.sentence) <= 200 else e.sentence[:197] + "..."
            out.print(
                f"    {e.id}  {e.event_type} {e.goldstein:+g}  ({_reports(e.reports)})  {text}",
                markup=False,
            )


def rows_of(store: Store, table: str) -> Any:
    """The rows `newstrace export TABLE` writes: dyads with their escalation scores."""
    if table == "dyads":
        days = scored(store.reader.iterate("dyads"), store.reader.dyad_events)
        return (as_row(r) for r in days)
    return (as_row(item) for item in store.reader.iterate(table))


def export_events(store: Store, format: str, output: Path | None) -> None:
    """`export events --format plover` (JSONL) or `--format gdelt` (two TSV files)."""
    from .events.interchange import exportable, gdelt_event, gdelt_mentions, plover_record

    happened = (e for e in store.reader.iterate("events") if exportable(e))
    try:
        if format == "plover":
            records = (plover_record(e, store.reader.reports(e.id)) for e in happened)
            _write(jsonl_lines(records), output)
            return
        if output is None:
            fail("gdelt writes two tables (events and mentions): give a file with -o")
            return
        mentions = output.with_name(f"{output.stem}.mentions{output.suffix or '.tsv'}")
        with (
            output.open("w", encoding="utf-8", newline="") as ev,
            mentions.open("w", encoding="utf-8", newline="") as mv,
        ):
            for e in happened:
                ev.writelines(tsv_lines([gdelt_event(e)]))
                mv.writelines(tsv_lines(gdelt_mentions(e, store.reader.reports(e.id))))
        err.print(f"newstrace: wrote {output} and {mentions}", markup=False)
    except BrokenPipeError:
        raise
    except OSError as exc:
        fail(f"{output or 'stdout'}: {exc.strerror or exc}")


def _write(chunks: Any, output: Path | None) -> None:
    stream: Any = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        for chunk in chunks:
            stream.write(chunk)
    finally:
        if output:
            stream.close()

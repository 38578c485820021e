"""``claimwatch crawl``: one full cycle (crawl, analyse, deliver) over the enabled sources."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from claimwatch.cli import cli
from claimwatch.cli.context import App, console, pass_app
from claimwatch.crawler.pipelines import Outcome
from claimwatch.errors import ExitCode
from claimwatch.pipeline import Analysis, CycleResult, import_sources, run_cycle
from claimwatch.report.base import plural

PROGRESS_MIN_SOURCES = 4  # fewer finish before a bar would be read


@cli.command()
@click.option(
    "--source", "names", multiple=True, metavar="NAME", help="Only these sources (repeatable)."
)
@click.option("--due", is_flag=True, help="Only the sources that are due now (for cron).")
@click.option("--fail-on-error", is_flag=True, help="Exit 5 if any source failed.")
@pass_app
def crawl(app: App, names: tuple[str, ...], due: bool, fail_on_error: bool) -> None:
    """Fetch, analyse and alert once over every enabled source, then print a summary.

    On a terminal a progress bar follows long runs; off a terminal each fetch is logged on
    one line as it is stored, then what analysis found.

    Exits 0 when the cycle completed even if some sources failed (failures are data:
    see the summary and 'history'); --fail-on-error makes any failed source exit 5.
    """
    store = app.store()
    import_sources(store, app.cfg)
    jobs = [app.source(n) for n in names] if names else store.sources(enabled_only=True)
    if due:
        from claimwatch.scheduler.due import due_sources

        jobs = due_sources(store, jobs, app.cfg)
    started = time.monotonic()
    with crawl_progress(console(), len(jobs)) as progress:
        result = run_cycle(store, app.cfg, jobs, progress=progress)
    print_summary(result, time.monotonic() - started)
    if fail_on_error and result.failed:
        sys.exit(ExitCode.SOURCES_FAILED)


@contextmanager
def crawl_progress(out: Console, total: int) -> Iterator[Callable[[Outcome], None] | None]:
    """A progress callback for ``run_cycle``: a bar on a terminal, a line per source off it.

    The callback runs on the crawler's thread as each fetch is stored; rich's Progress is
    thread-safe, and each log line is written whole.
    """
    if not out.is_terminal:
        yield lambda o: click.echo(outcome_line(o))
        return
    if total < PROGRESS_MIN_SOURCES:
        yield None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=out, transient=True) as bar:
        task = bar.add_task("crawling", total=total)

        def advance(o: Outcome) -> None:
            bar.update(task, advance=1, description=f"{o.source}: {o.status}")

        yield advance
        bar.update(task, description="analysing")


def outcome_line(o: Outcome) -> str:
    """One fetch as a log line: ``name  status  version  size  time``."""
    status = o.status if o.status != "error" else f"error: {o.error}"
    cells = [o.source, status, f"v{o.version}" if o.version else ""]
    cells += [f"{o.text_len} chars" if o.text_len else "", f"{o.ms} ms"]
    return "  ".join(c for c in cells if c)


def _claims_cell(a: Analysis | None) -> str:
    if a is None:
        return ""
    if a.baseline:
        return f"{plural(a.claims, 'claim')} (baseline)"
    if a.suspect:
        return f"SUSPECT: {a.suspect}"
    minor = a.changed_minor + a.minor
    return f"+{a.added} -{a.removed} ~{a.changed_significant} significant, {minor} minor"


def print_summary(result: CycleResult, seconds: float) -> None:
    """Per source: status, version, size of main text, time, claim changes."""
    out = console()
    names = {o.source for o in result.outcomes}
    if not out.is_terminal:
        # Each fetch was logged as it happened: add what analysis found, and the totals.
        lines = [
            f"{o.source}  v{o.version}  {_claims_cell(result.analyses[o.source_id])}"
            for o in sorted(result.outcomes, key=lambda o: o.source)
            if o.version and o.source_id in result.analyses
        ]
        lines.append(f"{len(names)} sources, {len(result.failed)} failed, {seconds:.1f}s")
        click.echo("\n".join(lines))
        return
    table = Table(
        title=f"claimwatch crawl: {len(names)} sources in {seconds:.1f}s", show_edge=False
    )
    for col in ("source", "status", "version", "text", "time", "claims"):
        table.add_column(col)
    for o in sorted(result.outcomes, key=lambda o: o.source):
        analysis = result.analyses.get(o.source_id) if o.version else None
        status = o.status if o.status != "error" else f"error: {o.error}"
        table.add_row(
            o.source,
            status,
            str(o.version or ""),
            f"{o.text_len} chars" if o.text_len else "",
            f"{o.ms} ms",
            _claims_cell(analysis),
        )
    out.print(table)

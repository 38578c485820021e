"""``claimwatch crawl``: one full cycle (crawl, analyse, deliver) over the enabled sources."""

from __future__ import annotations

import sys
import time

import click
from rich.table import Table

from claimwatch.cli import cli
from claimwatch.cli.context import App, console, pass_app
from claimwatch.errors import ExitCode
from claimwatch.pipeline import Analysis, CycleResult, import_sources, run_cycle


@cli.command()
@click.option(
    "--source", "names", multiple=True, metavar="NAME", help="Only these sources (repeatable)."
)
@click.option("--due", is_flag=True, help="Only the sources that are due now (for cron).")
@click.option("--fail-on-error", is_flag=True, help="Exit 5 if any source failed.")
@pass_app
def crawl(app: App, names: tuple[str, ...], due: bool, fail_on_error: bool) -> None:
    """Fetch, analyse and alert once over every enabled source, then print a summary.

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
    result = run_cycle(store, app.cfg, jobs)
    print_summary(result, time.monotonic() - started)
    if fail_on_error and result.failed:
        sys.exit(ExitCode.SOURCES_FAILED)


def _claims_cell(a: Analysis | None) -> str:
    if a is None:
        return ""
    if a.baseline:
        return f"{a.claims} claims (baseline)"
    if a.suspect:
        return f"SUSPECT: {a.suspect}"
    minor = a.changed_minor + a.minor
    return f"+{a.added} -{a.removed} ~{a.changed_significant} significant, {minor} minor"


def print_summary(result: CycleResult, seconds: float) -> None:
    """Per source: status, version, size of main text, time, claim changes."""
    out = console()
    names = {o.source: o for o in result.outcomes}
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
    if out.is_terminal:
        out.print(table)
    else:
        rows = zip(*(c.cells for c in table.columns), strict=True)
        lines = ["  ".join(str(c) for c in row if c != "") for row in rows]
        lines.append(f"{len(names)} sources, {len(result.failed)} failed, {seconds:.1f}s")
        click.echo("\n".join(lines))

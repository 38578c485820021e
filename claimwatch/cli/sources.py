"""``claimwatch sources``: the watched set, kept in the database.

The database's ``sources`` table is the watched set. ``crawl``, ``schedule`` and every
``sources`` command first import the sources file (``--sources``; default: the bundled
seeds): sources named there are created or updated, and nothing else is touched. A source
added here lives only in the database; ``remove`` keeps its history and keeps it from
coming back on the next import.
"""

from __future__ import annotations

import json

import click
from rich.table import Table

from claimwatch.cli import cli
from claimwatch.cli.context import App, console, pass_app
from claimwatch.config import check_interval, normalise_url
from claimwatch.errors import ClaimwatchError
from claimwatch.pipeline import import_sources


@cli.group()
def sources() -> None:
    """List and edit the watched sources (stored in the database)."""


def _store(app: App):  # noqa: ANN202 - Store
    store = app.store()
    import_sources(store, app.cfg)
    return store


@sources.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include removed sources.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def list_(app: App, show_all: bool, fmt: str) -> None:
    """List sources with their URL, state and last fetch."""
    rows = _store(app).sources(include_removed=show_all)
    if fmt == "json":
        keys = (
            "name",
            "url",
            "selector",
            "interval",
            "enabled",
            "origin",
            "removed_at",
            "last_fetch_at",
            "last_status",
            "consecutive_failures",
        )
        click.echo(
            json.dumps({"sources": [{k: getattr(r, k) for k in keys} for r in rows]}, indent=2)
        )
        return
    table = Table(show_edge=False)
    for col in ("name", "url", "state", "last fetch"):
        table.add_column(col, overflow="fold")
    for r in rows:
        state = "removed" if r.removed_at else "enabled" if r.enabled else "disabled"
        last = f"{r.last_fetch_at or 'never'} {r.last_status or ''}".strip()
        table.add_row(r.name, r.url, state, last)
    console().print(table)


@sources.command()
@click.argument("name")
@click.argument("url")
@click.option("--selector", metavar="CSS", help="CSS selector narrowing the page to the article.")
@click.option(
    "--interval", metavar="EVERY", help="Schedule: 30m, 6h, 1d, 'cron: 0 */6 * * *' or adaptive."
)
@pass_app
def add(app: App, name: str, url: str, selector: str | None, interval: str | None) -> None:
    """Watch URL as NAME (http, https or file; a bare path is relative to the current folder)."""
    from pathlib import Path

    if interval is not None:
        check_interval(interval, name, "command line", "--interval")
    spec = {
        "name": name,
        "url": normalise_url(url, Path.cwd(), "command line", "URL"),
        "selector": selector,
        "interval": interval,
    }
    try:
        _store(app).add_source(spec)
    except KeyError:
        raise ClaimwatchError(f"a source named '{name}' already exists") from None
    click.echo(f"added {name}: {spec['url']}")


@sources.command()
@click.argument("name")
@click.option("--purge", is_flag=True, help="Also delete its versions, claims and changes.")
@pass_app
def remove(app: App, name: str, purge: bool) -> None:
    """Stop watching NAME (history is kept unless --purge)."""
    _store(app)
    app.source(name)
    app.store().remove_source(name, purge=purge)
    click.echo(f"removed {name}" + (" and its history" if purge else " (history kept)"))


@sources.command()
@click.argument("name")
@pass_app
def enable(app: App, name: str) -> None:
    """Resume watching NAME."""
    _set_enabled(app, name, True)


@sources.command()
@click.argument("name")
@pass_app
def disable(app: App, name: str) -> None:
    """Pause watching NAME (kept across imports of the sources file)."""
    _set_enabled(app, name, False)


def _set_enabled(app: App, name: str, enabled: bool) -> None:
    _store(app)
    app.source(name)  # a clear error for an unknown name
    app.store().set_enabled(name, enabled)
    click.echo(f"{'enabled' if enabled else 'disabled'} {name}")

"""Read-only views of one source: ``history``, ``show`` and ``claims``."""

from __future__ import annotations

import json
import sys

import click
from rich.table import Table

from claimwatch.cli import cli
from claimwatch.cli.context import App, console, pass_app
from claimwatch.errors import UnknownSource
from claimwatch.storage import SnapshotRow


def _version(app: App, source_id: int, version: int | None) -> SnapshotRow:
    store = app.store(must_exist=True)
    snap = (
        store.latest_snapshot(source_id) if version is None else store.snapshot(source_id, version)
    )
    if snap is None:
        raise UnknownSource("no such version" if version else "no version stored yet")
    return snap


@cli.command()
@click.argument("source")
@click.option("--limit", default=20, show_default=True, help="How many fetches to list.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def history(app: App, source: str, limit: int, fmt: str) -> None:
    """Versions of SOURCE (dates, hashes, sizes) and its latest fetches (status, errors)."""
    src = app.source(source)
    store = app.store()
    versions = store.snapshots(src.id)
    fetches = store.fetches(src.id, limit)
    if fmt == "json":
        vkeys = (
            "version",
            "fetched_at",
            "text_hash",
            "text_len",
            "raw_len",
            "title",
            "claim_count",
            "suspect",
        )
        data = {
            "source": src.name,
            "url": src.url,
            "versions": [{k: getattr(v, k) for k in vkeys} for v in versions],
            "fetches": fetches,
        }
        click.echo(json.dumps(data, indent=2))
        return
    out = console()
    out.print(f"{src.name}  {src.url}", markup=False)
    vt = Table(title="versions", show_edge=False)
    for col in ("version", "fetched", "text hash", "text", "raw", "claims", "note"):
        vt.add_column(col)
    for v in versions:
        vt.add_row(
            str(v.version),
            v.fetched_at,
            v.text_hash[:12],
            f"{v.text_len} chars",
            f"{v.raw_len} B",
            "" if v.claim_count is None else str(v.claim_count),
            v.suspect or "",
        )
    out.print(vt)
    ft = Table(title=f"last {len(fetches)} fetches", show_edge=False)
    for col in ("time", "status", "http", "ms", "version", "error"):
        ft.add_column(col, overflow="fold")
    for f in fetches:
        ft.add_row(
            f["started_at"],
            f["status"],
            str(f["http_status"] or ""),
            str(f["ms"]),
            str(f["version"] or ""),
            f["error"] or "",
        )
    out.print(ft)


@cli.command()
@click.argument("source")
@click.option("--version", "version", type=int, help="Version number (default: the latest).")
@click.option("--raw", is_flag=True, help="The stored HTML instead of the extracted text.")
@pass_app
def show(app: App, source: str, version: int | None, raw: bool) -> None:
    """Print the extracted main text (or, with --raw, the HTML) of a version of SOURCE."""
    src = app.source(source)
    snap = _version(app, src.id, version)
    if raw:
        sys.stdout.buffer.write(app.store().snapshot_raw(snap.id))
        sys.stdout.flush()
    else:
        click.echo(app.store().snapshot_text(snap.id))


@cli.command()
@click.argument("source", required=False)
@click.option("--version", "version", type=int, help="Version number (default: the latest).")
@click.option("--search", "query", metavar="TEXT", help="Full-text search over claims instead.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def claims(app: App, source: str | None, version: int | None, query: str | None, fmt: str) -> None:
    """The claims of a version of SOURCE, with category and facets."""
    if query is not None or source is None:
        raise click.UsageError("give a SOURCE (search is not available in this version)")
    src = app.source(source)
    snap = _version(app, src.id, version)
    rows = app.store().claims_of(snap.id)
    if fmt == "json":
        data = {
            "source": src.name,
            "version": snap.version,
            "claims": [
                {
                    "position": c.position,
                    "text": c.text,
                    "category": c.category,
                    "facets": c.facets,
                    "lineage_id": c.lineage_id,
                }
                for c in rows
            ],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    out = console()
    out.print(f"{src.name} version {snap.version}: {len(rows)} claims", markup=False)
    for c in rows:
        out.print(f"[{c.position}] ({c.category}) {c.text}", markup=False)
        facets = {k: v for k, v in c.facets.items() if v}
        if facets:
            out.print("    " + json.dumps(facets, ensure_ascii=False), markup=False, style="dim")

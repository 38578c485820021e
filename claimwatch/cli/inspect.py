"""Read-only views of one source: ``history``, ``show`` and ``claims``."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.table import Table

from claimwatch.cli import cli
from claimwatch.cli.context import App, console, pass_app
from claimwatch.errors import UnknownSource
from claimwatch.report.base import plural, printable
from claimwatch.storage import SnapshotRow, SourceRow
from claimwatch.storage.search import SearchHit, search_claims


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
@click.option(
    "--search", "query", metavar="TEXT", help='Full-text search over claims: words or "a phrase".'
)
@click.option("--source", "source_opt", metavar="NAME", help="With --search: only this source.")
@click.option("--category", metavar="NAME", help="With --search: only claims of this category.")
@click.option(
    "--history", is_flag=True, help="With --search: past claims too, not only current ones."
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    metavar="N",
    help="With --search: at most N results.",
)
@click.option("--ever", is_flag=True, help="Every claim SOURCE has ever had, with versions.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def claims(
    app: App,
    source: str | None,
    version: int | None,
    query: str | None,
    source_opt: str | None,
    category: str | None,
    history: bool,
    limit: int,
    ever: bool,
    fmt: str,
) -> None:
    """The claims of a version of SOURCE, with category and facets; or --search them all.

    --search ranks claims by relevance (bm25, with stemming: "shell" finds "shells") over
    each source's current claims, or with --history over every claim ever seen, and shows
    source, version and the date the claim was first seen.
    """
    if query is not None:
        if version is not None:
            raise click.UsageError("--version does not apply to --search (try --history)")
        _search(app, query, source_opt or source, category, history, limit, fmt)
        return
    if source is None:
        raise click.UsageError("give a SOURCE, or --search TEXT")
    src = app.source(source)
    if ever:
        _ever(app, src, fmt)
        return
    snap = _version(app, src.id, version)
    rows = app.store().claims_of(snap.id)
    _complete(app, rows)
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


def _complete(app: App, rows: list[Any]) -> None:
    """Facets are stored thin (they follow from the text): compute them for display."""
    from claimwatch.differ import Claim, complete_facets
    from claimwatch.pipeline import load_topic

    claims = [Claim(c.text, c.position, c.norm_hash, c.category, c.facets) for c in rows]
    complete_facets(claims, load_topic(app.cfg))


def _search(
    app: App,
    query: str,
    source: str | None,
    category: str | None,
    history: bool,
    limit: int,
    fmt: str,
) -> None:
    store = app.store(must_exist=True)
    if source:
        app.source(source)
    try:
        hits = search_claims(
            store, query, source=source, category=category, history=history, limit=limit
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--search") from None
    if fmt == "json":
        keys = ("text", "source", "url", "category", "version", "first_version", "first_seen")
        data = [{**{k: getattr(h, k) for k in keys}, "current": h.current} for h in hits]
        click.echo(json.dumps({"query": query, "claims": data}, indent=2, ensure_ascii=False))
        return
    _print_hits(hits, query, history)


def _print_hits(hits: list[SearchHit], query: str, history: bool) -> None:
    from rich.text import Text

    out = console()
    scope = "current and past" if history else "current"
    verb = "matches" if len(hits) == 1 else "match"
    out.print(f"{plural(len(hits), scope + ' claim')} {verb} '{query}'", markup=False)
    plain = not out.is_terminal or out.no_color
    for h in hits:
        line = Text()
        for is_match, raw in h.parts:
            piece = printable(raw)
            if is_match and plain:
                line.append(f"*{piece}*")
            else:
                line.append(piece, style="bold yellow" if is_match else "")
        out.print(line)
        held = f"v{h.first_version}" + (f"–v{h.version}" if h.version != h.first_version else "")
        now = "" if h.current else " · no longer claimed"
        where = (
            f"    {printable(h.source)} {held} · {h.category} · first seen {h.first_seen[:10]}{now}"
        )
        out.print(Text(where, style="dim"))


def _ever(app: App, src: SourceRow, fmt: str) -> None:
    """Every distinct claim of a source, first and last version it appeared in."""
    rows = app.store().claims_ever(src.id)
    newest = app.store().latest_snapshot(src.id)
    # "gone" against the latest trusted version: the history holds trusted versions only
    latest = newest and app.store().baseline(src.id, newest.version + 1)
    if fmt == "json":
        click.echo(json.dumps({"source": src.name, "claims": rows}, indent=2, ensure_ascii=False))
        return
    out = console()
    out.print(f"{src.name}: {len(rows)} claims ever seen", markup=False)
    for r in rows:
        span = f"v{r['first_version']}" + (
            "" if r["first_version"] == r["last_version"] else f"-v{r['last_version']}"
        )
        gone = "" if latest and r["last_version"] == latest.version else " (gone)"
        out.print(f"[{span}{gone}] ({r['category']}) {r['text']}", markup=False)

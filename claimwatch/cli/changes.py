"""Claim changes: ``diff`` (two versions of one source), ``report`` (all sources), ``reanalyse``."""

from __future__ import annotations

import sys

import click

from claimwatch.cli import cli
from claimwatch.cli.context import App, pass_app
from claimwatch.errors import UnknownSource
from claimwatch.pipeline import analyse_pending, load_topic
from claimwatch.report import Renderer, ReportData, parse_since


def report_formats() -> click.Choice:
    """The registered report formats, for ``--format``."""
    return click.Choice(sorted(Renderer.registry))


def emit_report(fmt: str, data: ReportData, output: str | None) -> None:
    """Render ``data`` as ``fmt`` to ``output`` (a file) or stdout."""
    renderer = Renderer.get(fmt)
    if output:
        with open(output, "w", encoding="utf-8") as f:
            renderer.write(data, f)
    else:
        renderer.write(data, sys.stdout)


@cli.command()
@click.option("--since", metavar="WHEN", help="ISO-8601 time, or relative: 30m, 24h, 7d.")
@click.option("--source", "names", multiple=True, metavar="NAME", help="Only these sources.")
@click.option("--all", "show_all", is_flag=True, help="Include minor changes.")
@click.option("--format", "fmt", type=report_formats(), default="text", show_default=True)
@click.option("--output", metavar="FILE", help="Write to FILE instead of stdout.")
@pass_app
def report(
    app: App,
    since: str | None,
    names: tuple[str, ...],
    show_all: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Claim changes detected by crawls that started at or after WHEN, over every source.

    Significant changes only, unless --all. Formats: text (the terminal; plain off a
    terminal or with NO_COLOR), markdown (for an issue or a chat), html (one self-contained
    page), atom (a feed of significant changes), json (for scripts).
    """
    try:
        since_ts = parse_since(since) if since else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    store = app.store(must_exist=True)
    for n in names:
        app.source(n)
    rows = store.changes(since=since_ts, sources=names, significant_only=not show_all)
    known = store.sources(include_removed=True)
    shown = [s for s in known if s.name in names] if names else known
    data = ReportData(changes=rows, since=since_ts, sources=shown)
    emit_report(fmt, data, output)


@cli.command()
@click.argument("source")
@click.option("--from", "frm", type=int, metavar="N", help="Older version (default: its baseline).")
@click.option("--to", "to", type=int, metavar="M", help="Newer version (default: the latest).")
@click.option("--format", "fmt", type=report_formats(), default="text", show_default=True)
@pass_app
def diff(app: App, source: str, frm: int | None, to: int | None, fmt: str) -> None:
    """Claim changes of SOURCE between two versions, significant first, with reasons."""
    from claimwatch.differ import Claim, diff_claims

    src = app.source(source)
    store = app.store()
    new = store.latest_snapshot(src.id) if to is None else store.snapshot(src.id, to)
    if new is None:
        raise UnknownSource(
            f"{source} has no version {to}" if to else f"{source} has no version yet"
        )
    old = store.baseline(src.id, new.version) if frm is None else store.snapshot(src.id, frm)
    if old is None:
        raise UnknownSource(
            f"{source} has no version {frm}"
            if frm
            else f"{source} version {new.version} has no earlier version to compare"
        )
    if frm is None:
        rows = store.changes(to_snapshot=new.id)
    else:

        def claims_of(snap_id: int) -> list[Claim]:
            return [
                Claim(c.text, c.position, c.norm_hash, c.category, c.facets)
                for c in store.claims_of(snap_id)
            ]

        rows = [
            {
                "id": i,
                "source": src.name,
                "url": src.url,
                "kind": ch.kind,
                "old_text": ch.old.text if ch.old else None,
                "new_text": ch.new.text if ch.new else None,
                "significant": ch.significant,
                "reason": ch.reason,
                "from_version": old.version,
                "to_version": new.version,
                "detected_at": new.fetched_at,
                "category": None,
                "detail": ch.detail,
            }
            for i, ch in enumerate(
                diff_claims(claims_of(old.id), claims_of(new.id), topic=load_topic(app.cfg))
            )
        ]
    title = f"{src.name}: version {old.version} → {new.version}"
    emit_report(fmt, ReportData(changes=rows, title=title, sources=[src]), None)


@cli.command()
@click.argument("source", required=False)
@pass_app
def reanalyse(app: App, source: str | None) -> None:
    """Recompute claims and changes over stored history (no refetch, no new alerts)."""
    store = app.store(must_exist=True)
    src_id = app.source(source).id if source else None
    load_topic(app.cfg)  # a broken topic file fails before anything is reset
    count = store.reset_analysis(src_id)
    analyse_pending(store, app.cfg, src_id, alerts=False)
    click.echo(f"reanalysed {count} versions")

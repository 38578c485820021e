"""``claimwatch schedule`` (the daemon) and ``claimwatch status`` (what it will do next)."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from typing import Any

import click
from rich.table import Table

from claimwatch.cli import cli
from claimwatch.cli.context import App, console, pass_app
from claimwatch.errors import ExitCode
from claimwatch.pipeline import import_sources, load_topic

log = logging.getLogger("claimwatch.scheduler")


@cli.command()
@pass_app
def schedule(app: App) -> None:
    """Run in the foreground until stopped, refetching each enabled source on its schedule.

    A source's schedule is its interval (a duration, 'cron: ...' or adaptive; sources
    without one use [schedule] default_interval). Each look at what is due runs one cycle
    (crawl, analyse, deliver) over all due sources. Overdue sources run at once. SIGTERM or
    Ctrl-C stops it cleanly (exit 0); a second daemon on the same database exits 6.
    """
    from claimwatch.scheduler.daemon import STOP_GRACE, Daemon, exit_now
    from claimwatch.scheduler.lock import DaemonLock

    if log.getEffectiveLevel() > logging.INFO:
        log.setLevel(logging.INFO)  # a daemon says what it does
    cfg = app.cfg
    with DaemonLock(cfg.db) as lock:
        store = app.store()
        import_sources(store, cfg)
        load_topic(cfg)  # a broken topic file fails now, not on every cycle
        daemon = Daemon(store, cfg)
        count = len(store.sources(enabled_only=True))
        log.info(
            "started (pid %d) on %s: enabled sources: %d, a look every %gs; lock %s",
            os.getpid(),
            cfg.db,
            count,
            float(daemon.settings["tick"]),
            lock.path,
        )
        if not daemon.run():
            log.error(
                "the cycle in progress did not end within %gs; exiting anyway (every fetch"
                " and analysis is its own transaction, so nothing is half-written)",
                STOP_GRACE,
            )
            exit_now(ExitCode.OK)
        log.info("stopped after %d cycles", daemon.cycles)


@cli.command()
@click.option("--all", "show_all", is_flag=True, help="Include removed sources.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def status(app: App, show_all: bool, fmt: str) -> None:
    """Per source: last fetch, last version, next scheduled run, consecutive failures.

    Also says whether 'claimwatch schedule' runs on this database. Imports nothing.
    """
    data = status_data(app, show_all)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return
    out = console()
    daemon = data["daemon"]
    if daemon["running"]:
        pid = daemon["pid"] or "unknown"
        out.print(f"daemon: running (pid {pid}) on {data['db']}", markup=False)
    else:
        out.print(f"daemon: not running on {data['db']}", markup=False)
    table = Table(show_edge=False, caption="times in UTC")
    for col in ("source", "state", "interval", "last fetch", "version", "next run", "failures"):
        table.add_column(col, overflow="fold")
    for s in data["sources"]:
        table.add_row(
            s["name"],
            s["state"],
            s["interval"] + (" (default)" if s["default_interval"] else ""),
            _fetch_cell(s),
            f"{s['last_version']} ({_short(s['last_version_at'])})" if s["last_version"] else "",
            _next_cell(s),
            str(s["consecutive_failures"]),
        )
    out.print(table)


def status_data(app: App, show_all: bool = False) -> dict[str, Any]:
    """What ``status`` shows, as JSON-ready data."""
    from claimwatch.scheduler.due import now_utc, plans
    from claimwatch.scheduler.lock import holder, lock_path
    from claimwatch.storage import iso
    from claimwatch.storage.schedule import latest_versions

    store = app.store(must_exist=True)
    now = now_utc()
    pid = holder(app.cfg.db)
    versions = latest_versions(store)
    rows = []
    for p in plans(store.sources(include_removed=show_all), app.cfg):
        s = p.source
        version, version_at = versions.get(s.id, (None, None))
        state = "removed" if s.removed_at else "enabled" if s.enabled else "disabled"
        scheduled = state == "enabled" and not p.error
        rows.append(
            {
                "name": s.name,
                "url": s.url,
                "state": state,
                "interval": p.interval.text if p.interval else (s.interval or ""),
                "default_interval": p.default,
                "schedule_error": p.error,
                "last_fetch_at": s.last_fetch_at,
                "last_status": s.last_status,
                "last_error": s.last_error,
                "last_version": version,
                "last_version_at": version_at,
                "last_change_at": s.last_change_at,
                "next_run_at": iso(p.next_run or now) if scheduled else None,
                "due": scheduled and p.due(now),
                "consecutive_failures": s.consecutive_failures,
            }
        )
    return {
        "db": str(app.cfg.db),
        "now": iso(now),
        "daemon": {
            "running": pid is not None,
            "pid": pid or None,
            "lock": str(lock_path(app.cfg.db)),
        },
        "sources": rows,
    }


def _short(ts: str | None) -> str:
    """A store timestamp to the second, for tables."""
    if not ts:
        return ""
    return datetime.fromisoformat(ts).strftime("%Y-%m-%d %H:%M:%S")


def _fetch_cell(s: dict[str, Any]) -> str:
    if not s["last_fetch_at"]:
        return "never"
    text = f"{_short(s['last_fetch_at'])} {s['last_status']}"
    return text + (f": {s['last_error']}" if s["last_error"] else "")


def _next_cell(s: dict[str, Any]) -> str:
    if s["schedule_error"]:
        return f"not scheduled: {s['schedule_error']}"
    if s["next_run_at"] is None:
        return "not scheduled"
    if s["due"]:
        return (
            "due now" if not s["last_fetch_at"] else f"due now (since {_short(s['next_run_at'])})"
        )
    return _short(s["next_run_at"])

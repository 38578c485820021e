"""The alert outbox and hooks: ``alerts list|retry|deliver`` and ``hooks list|test``."""

from __future__ import annotations

import json
import sys

import click
from rich.table import Table

from claimwatch.cli import cli
from claimwatch.cli.context import App, console, pass_app
from claimwatch.errors import ClaimwatchError, ExitCode
from claimwatch.storage import utcnow
from claimwatch.storage.outbox import DeliveryRow

STATUSES = ("pending", "sent", "failed", "dead")


@cli.group()
def alerts() -> None:
    """The alert outbox: what was delivered to which hook, what waits, what died."""


@alerts.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only deliveries in this state.")
@click.option("--limit", default=50, show_default=True, help="How many deliveries to list.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def list_(app: App, status: str | None, limit: int, fmt: str) -> None:
    """Deliveries of alerts to hooks, newest first, with attempts and the last error."""
    rows = app.store(must_exist=True).deliveries(status, limit)
    if fmt == "json":
        click.echo(json.dumps({"deliveries": [_as_json(d) for d in rows]}, indent=2))
    elif not rows:
        click.echo("no deliveries" + (f" with status {status}" if status else ""))
    else:
        _table(rows)


def _as_json(d: DeliveryRow) -> dict[str, object]:
    return {
        "id": d.id,
        "alert_id": d.alert_id,
        "alert_kind": d.alert.kind,
        "source": (d.alert.payload.get("source") or {}).get("name"),
        "hook": d.hook,
        "status": d.status,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at if d.status in ("pending", "failed") else None,
        "last_error": d.last_error,
        "created_at": d.created_at,
        "sent_at": d.sent_at,
        "idempotency_key": d.alert.idempotency_key,
    }


def _table(rows: list[DeliveryRow]) -> None:
    table = Table(show_edge=False)
    for col in ("id", "alert", "source", "hook", "status", "tries", "when", "last error"):
        table.add_column(col, overflow="fold")
    for d in rows:
        when = d.sent_at if d.status == "sent" else d.next_attempt_at
        table.add_row(
            str(d.id),
            f"{d.alert_id} {d.alert.kind}",
            (d.alert.payload.get("source") or {}).get("name", ""),
            d.hook,
            d.status,
            str(d.attempts),
            "" if d.status == "dead" else when or "",
            d.last_error or "",
        )
    console().print(table)


@alerts.command()
@click.argument("delivery_id", metavar="[ID]", type=int, required=False)
@click.option("--all", "retry_all", is_flag=True, help="Retry every failed and dead delivery.")
@pass_app
def retry(app: App, delivery_id: int | None, retry_all: bool) -> None:
    """Give delivery ID (or --all failed and dead ones) fresh attempts, and deliver now."""
    if delivery_id is not None and retry_all:
        raise click.UsageError("give a delivery ID or --all, not both")
    if delivery_id is None and not retry_all:
        raise click.UsageError("give a delivery ID or --all")
    store = app.store(must_exist=True)
    if delivery_id is not None:
        row = store.delivery(delivery_id)
        if row is None:
            raise ClaimwatchError(f"no delivery {delivery_id} (see 'claimwatch alerts list')")
        if row.status not in ("failed", "dead"):
            click.echo(f"delivery {delivery_id} is {row.status}: nothing to retry")
            return
        from claimwatch.alerts.outbox import hooks_of

        if row.hook not in {h.name for h in hooks_of(app.cfg)}:
            raise ClaimwatchError(
                f"delivery {delivery_id} is for hook '{row.hook}', not configured"
            )
    count = store.retry_deliveries(delivery_id)
    click.echo(f"{count} deliver{'y' if count == 1 else 'ies'} queued again")
    _deliver(app)


@alerts.command()
@pass_app
def deliver(app: App) -> None:
    """Deliver the alerts that are due now (what every crawl does at its end)."""
    _deliver(app)


def _deliver(app: App) -> None:
    from claimwatch.alerts.outbox import deliver_pending

    summary = deliver_pending(app.store(), app.cfg)
    for a in summary.attempts:  # failures are logged as warnings by the delivery stage
        if a.ok:
            click.echo(f"alert {a.alert_id} → {a.hook}: sent ({a.note})", err=True)
    counts = app.store().outbox_counts()
    click.echo(
        f"{summary.sent} sent, {summary.failed} failed; outbox: "
        + ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES)
    )


@cli.group()
def hooks() -> None:
    """The alert hooks of the config file."""


@hooks.command("list")
@pass_app
def hooks_list(app: App) -> None:
    """The configured hooks, their kind and filters (stdout when none is configured)."""
    from claimwatch.alerts.outbox import hooks_of

    for h in hooks_of(app.cfg):
        f = h.filters
        scope = ", ".join(
            f"{k}={v}" for k, v in vars(f).items() if v not in ([], True) and k != "health"
        )
        health = "" if f.health else ", no health alerts"
        click.echo(f"{h.name}\t{h.kind}\t{scope}{health}")


@hooks.command()
@click.argument("name", required=False)
@pass_app
def test(app: App, name: str | None) -> None:
    """Send a sample alert through hook NAME (default: every hook) and say what happened.

    The sample goes straight to the hook, not through the outbox; it carries "test": true.
    Exits 1 if any hook failed.
    """
    from claimwatch.alerts.outbox import hooks_of, send
    from claimwatch.alerts.payload import sample
    from claimwatch.errors import HookError

    hooks_ = hooks_of(app.cfg)
    if name is not None:
        hooks_ = [h for h in hooks_ if h.name == name]
        if not hooks_:
            known = ", ".join(h.name for h in hooks_of(app.cfg))
            raise ClaimwatchError(f"no hook named '{name}' (configured: {known})")
    failed = 0
    for hook in hooks_:
        try:
            note = send(hook, sample(hook.name, utcnow()))
            click.echo(f"{hook.name} ({hook.kind}): ok: {note}")
        except HookError as exc:
            failed += 1
            click.echo(f"{hook.name} ({hook.kind}): FAILED: {exc}")
    if failed:
        sys.exit(ExitCode.ERROR)

"""Source-health alerts: one "failing" per failure streak, one "recovered" after it."""

from __future__ import annotations

import pytest

from claimwatch.storage import Store
from tests.receiver import Receiver
from tests.site import article


@pytest.fixture
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


def health_kinds(receiver: Receiver) -> list[str]:
    return [r.json["kind"] for r in receiver.accepted if r.json["kind"] != "changes"]


@pytest.fixture
def watched(cw, site, receiver):
    """Sources 'a' (healthy) and 'b', a webhook, fast failures."""
    cw.config.write_text(
        "[crawl]\ntimeout = 1.5\nretries = 0\n[alerts]\nbackoff = 0\n"
        f'[[hook]]\nname = "web"\nkind = "webhook"\nurl = "{receiver.url()}"\n'
    )
    site.set("/a", article())
    site.set("/b", article())
    cw.write_sources({"a": site.url("/a"), "b": site.url("/b")})
    cw("crawl")
    return cw


def test_three_failures_raise_one_alert_and_success_one_recovery(watched, site, receiver):
    site.set("/b", "<h1>Server error</h1>", status=500)
    watched("crawl")
    watched("crawl")
    assert health_kinds(receiver) == []
    watched("crawl")
    assert health_kinds(receiver) == ["source_failing"]
    failing = receiver.accepted[-1].json
    assert failing["source"]["name"] == "b" and failing["consecutive_failures"] == 3
    assert "HTTP 500" in failing["last_error"]
    watched("crawl")
    watched("crawl")
    assert health_kinds(receiver) == ["source_failing"]  # no storm
    site.set("/b", article())
    watched("crawl")
    assert health_kinds(receiver) == ["source_failing", "source_recovered"]
    recovered = receiver.accepted[-1].json
    assert recovered["source"]["name"] == "b"
    assert recovered["failing_since"] == failing["failing_since"]
    assert recovered["idempotency_key"] != failing["idempotency_key"]
    watched("crawl")
    assert health_kinds(receiver) == ["source_failing", "source_recovered"]


def test_a_new_streak_after_recovery_alerts_again(watched, site, receiver):
    watched.config.write_text(
        watched.config.read_text().replace("backoff = 0", "backoff = 0\nfailure_threshold = 1")
    )
    site.set("/b", "gone", status=404)
    watched("crawl")
    site.set("/b", article())
    watched("crawl")
    site.set("/b", "gone", status=404)
    watched("crawl")
    assert health_kinds(receiver) == ["source_failing", "source_recovered", "source_failing"]
    keys = {r.json["idempotency_key"] for r in receiver.accepted}
    assert len(keys) == 3


def test_health_check_is_idempotent(watched, site, receiver):
    from claimwatch.alerts.health import raise_health_alerts
    from claimwatch.config import resolve

    site.set("/b", "<h1>down</h1>", status=503)
    for _ in range(3):
        watched("crawl")
    cfg = resolve(str(watched.db), str(watched.sources), str(watched.config))
    with Store(watched.db) as store:
        assert raise_health_alerts(store, cfg) == []  # already raised for this streak
        kinds = [d.alert.kind for d in store.deliveries()]
    assert kinds == ["source_failing"]


def test_health_alerts_can_be_filtered_out(watched, site, receiver):
    text = watched.config.read_text() + "health = false\n"
    watched.config.write_text(text)
    site.set("/b", "x", status=500)
    for _ in range(3):
        watched("crawl")
    assert health_kinds(receiver) == []

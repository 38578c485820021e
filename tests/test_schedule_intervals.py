"""Interval parsing and next-run arithmetic: durations, cron, adaptive, jitter, bad values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from claimwatch.config import Config
from claimwatch.scheduler.due import plan
from claimwatch.scheduler.intervals import jitter, parse_interval
from claimwatch.storage import SourceRow, iso

T0 = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text,seconds",
    [
        ("30s", 30),
        ("15m", 900),
        ("6h", 6 * 3600),
        ("1d", 86400),
        (" 2W ", 14 * 86400),
        ("1h30m", 5400),
        ("1.5h", 5400),
    ],
)
def test_durations(text, seconds):
    interval = parse_interval(text)
    assert interval.kind == "every" and interval.seconds == seconds
    assert interval.next_after(T0, None) == T0 + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "text,why",
    [
        ("", "interval must be"),
        ("5", "bad interval '5'"),
        ("5 parsecs", "allowed: a duration"),
        ("every 6h", "bad interval"),
        ("0s", "too short"),
        ("0.5s", "too short"),
        ("cron: * * *", "expected 5 fields"),
        ("cron: 61 * * * *", "bad cron expression"),
        ("cron: 0 9 * * 8", "bad weekday"),
        ("cron: 0 9 * * 5-2", "bad weekday"),
        ("cron:", "expected 5 fields"),
        ("adaptively", "bad interval"),
    ],
)
def test_bad_values_say_what_is_allowed(text, why):
    with pytest.raises(ValueError, match=why):
        parse_interval(text)


def test_non_string_is_refused():
    with pytest.raises(ValueError, match="interval must be"):
        parse_interval(6)


def test_cron_next_fire_is_strictly_after_the_last_fetch():
    interval = parse_interval("cron: 0 */6 * * *")
    assert interval.kind == "cron" and interval.cron == "0 */6 * * *"
    nxt = interval.next_after(T0, None)
    assert nxt > T0 and nxt.minute == 0 and nxt.hour % 6 == 0
    assert nxt - T0 <= timedelta(hours=6)
    # A fetch exactly at a fire time is not due again at once.
    assert interval.next_after(nxt, None) - nxt == timedelta(hours=6)
    assert interval.period(T0, None) == 6 * 3600


@pytest.mark.parametrize(
    "field,weekdays",
    [
        ("1", {0}),  # crontab: 1 is Monday (APScheduler 3 alone would say Tuesday)
        ("0", {6}),  # 0 is Sunday
        ("7", {6}),  # and so is 7
        ("1-5", {0, 1, 2, 3, 4}),
        ("*/2", {6, 1, 3, 5}),  # Sun, Tue, Thu, Sat
        ("sat,sun", {5, 6}),
    ],
)
def test_cron_weekdays_are_crontab_weekdays(field, weekdays):
    interval = parse_interval(f"cron: 0 9 * * {field}")
    seen, t = set(), T0
    for _ in range(14):
        t = interval.next_after(t, None)
        assert t.hour == 9 and t.minute == 0
        seen.add(t.weekday())
    assert seen == weekdays


@pytest.mark.parametrize(
    "age,wait",
    [
        (timedelta(0), timedelta(minutes=15)),
        (timedelta(hours=2, minutes=59), timedelta(minutes=15)),
        (timedelta(hours=3), timedelta(hours=1)),
        (timedelta(hours=23), timedelta(hours=1)),
        (timedelta(days=2), timedelta(hours=3)),
        (timedelta(days=10), timedelta(days=3)),
        (timedelta(days=45), timedelta(days=30)),
    ],
)
def test_adaptive_rechecks_often_while_changing_and_rarely_once_settled(age, wait):
    interval = parse_interval("Adaptive")
    assert interval.kind == "adaptive"
    assert interval.next_after(T0, T0 - age) == T0 + wait


def test_jitter_is_fixed_per_source_bounded_and_spread():
    values = {jitter(f"source-{i}", 6 * 3600, 30.0) for i in range(50)}
    assert all(timedelta(0) <= v < timedelta(seconds=30) for v in values)
    assert len(values) == 50, "sources sharing a schedule get different delays"
    assert jitter("a", 6 * 3600, 30.0) == jitter("a", 6 * 3600, 30.0)
    assert jitter("a", 10, 30.0) < timedelta(seconds=1), "at most 10 % of a short interval"
    assert jitter("a", 6 * 3600, 0) == timedelta(0)


def _src(**kw) -> SourceRow:
    base = dict(
        id=1,
        name="a",
        url="http://127.0.0.1/a",
        selector=None,
        interval=None,
        enabled=True,
        origin="test",
        created_at=iso(T0 - timedelta(days=60)),
        removed_at=None,
    )
    return SourceRow(**{**base, **kw})


def _cfg(**schedule) -> Config:
    return Config(sections={"schedule": {"jitter": 0, **schedule}})


def test_never_fetched_is_due_at_once():
    p = plan(_src(), _cfg())
    assert p.next_run is None and p.due(T0)


def test_missed_runs_coalesce_into_one():
    p = plan(_src(interval="1h", last_fetch_at=iso(T0 - timedelta(hours=10))), _cfg())
    assert p.due(T0)
    after = plan(_src(interval="1h", last_fetch_at=iso(T0)), _cfg())
    assert after.next_run == T0 + timedelta(hours=1), "one run catches up, the next is normal"


def test_default_interval_applies_to_sources_without_one():
    p = plan(_src(last_fetch_at=iso(T0)), _cfg(default_interval="2h"))
    assert p.default and p.interval.text == "2h" and p.next_run == T0 + timedelta(hours=2)


def test_adaptive_plan_uses_last_change_or_creation():
    changed = _src(interval="adaptive", last_fetch_at=iso(T0), last_change_at=iso(T0))
    assert plan(changed, _cfg()).next_run == T0 + timedelta(minutes=15)
    settled = _src(interval="adaptive", last_fetch_at=iso(T0))  # created 60 days ago
    assert plan(settled, _cfg()).next_run == T0 + timedelta(days=30)


def test_a_failed_attempt_in_memory_also_waits():
    src = _src(interval="1h", last_fetch_at=iso(T0 - timedelta(hours=5)))
    assert not plan(src, _cfg(), attempted=T0).due(T0 + timedelta(minutes=59))


def test_disabled_and_badly_stored_sources_are_never_due():
    assert not plan(_src(enabled=False), _cfg()).due(T0)
    bad = plan(_src(interval="sometimes"), _cfg())
    assert bad.error and "bad interval" in bad.error and not bad.due(T0)

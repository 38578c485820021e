"""Alert delivery end to end: a real crawl, a real loopback receiver, real subprocesses."""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimwatch.storage import Store
from tests.receiver import Receiver
from tests.site import PARAGRAPHS, article

ROOT = Path(__file__).resolve().parent.parent
NEW = [
    "Russia delivered fighter jets to North Korea in May, officials said.",
    "North Korea will send engineers to rebuild Russian-held towns, Moscow confirmed.",
]
SECRET = "s3cret-key"


@pytest.fixture
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


def webhook(url: str, name: str = "web", extra: str = "") -> str:
    return (
        f'[[hook]]\nname = "{name}"\nkind = "webhook"\nurl = "{url}"\n'
        f'secret = "{SECRET}"\ntimeout = 2\n{extra}\n'
    )


def configure(cw, hooks: str, **alerts: object) -> None:
    settings = {"backoff": 0, "max_attempts": 5, **alerts}
    table = "".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items())
    cw.config.write_text(f"[alerts]\n{table}\n{hooks}")


def two_versions(cw, site, extra: list[str] = NEW) -> None:
    """Crawl a baseline, then a version with new claims: one alert is queued."""
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    cw("crawl")
    site.set("/a", article(PARAGRAPHS + extra))
    cw("crawl")


def deliveries(cw) -> list:
    with Store(cw.db) as store:
        return store.deliveries()


def test_receiver_failing_first_requests_gets_the_alert_exactly_once_signed(cw, site, receiver):
    receiver.fail_first(2, status=503)
    configure(cw, webhook(receiver.url()))
    two_versions(cw, site)
    accepted = receiver.wait_for(1)
    assert len(accepted) == 1 and len(receiver.requests) == 3
    req = accepted[0]
    ts, sig = req.headers["X-Claimwatch-Timestamp"], req.headers["X-Claimwatch-Signature"]
    mac = hmac.new(SECRET.encode(), ts.encode() + b"." + req.body, hashlib.sha256)
    assert sig == "sha256=" + mac.hexdigest()
    assert abs(time.time() - int(ts)) < 600
    payload = req.json
    assert payload["schema"] == "claimwatch.alert/1" and payload["kind"] == "changes"
    assert req.headers["Idempotency-Key"] == payload["idempotency_key"]
    assert payload["source"]["name"] == "a" and payload["to_version"] == 2
    # One alert per source per cycle, carrying all its changes.
    added = [c["new_text"] for c in payload["changes"] if c["kind"] == "added"]
    assert any("fighter jets" in t for t in added) and any("engineers" in t for t in added)
    [d] = deliveries(cw)
    assert (d.status, d.attempts, d.last_error) == ("sent", 3, None)
    cw("crawl")  # nothing new: nothing sent again
    assert len(receiver.requests) == 3
    listed = json.loads(cw("alerts", "list", "--status", "sent", "--format", "json").stdout)
    assert [x["hook"] for x in listed["deliveries"]] == ["web"]


def test_not_found_is_a_failure_then_dead_then_retry_delivers(cw, site, receiver):
    receiver.always_status = 404
    configure(cw, webhook(receiver.url()), max_attempts=2)
    two_versions(cw, site)
    [d] = deliveries(cw)
    assert (d.status, d.attempts) == ("dead", 2) and "HTTP 404" in d.last_error
    assert "dead" in cw("alerts", "list", "--status", "dead").stdout
    receiver.always_status = None
    out = cw("alerts", "retry", "--all").stdout
    assert "1 delivery queued again" in out and "1 sent" in out
    assert len(receiver.wait_for(1)) == 1
    assert deliveries(cw)[0].status == "sent"


def test_redirect_is_not_a_delivery(cw, site, receiver):
    receiver.fail_first(1, status=302)
    configure(cw, webhook(receiver.url()), max_attempts=1)
    two_versions(cw, site)
    [d] = deliveries(cw)
    assert d.status == "dead" and "302" in d.last_error
    assert [r.path for r in receiver.requests] == ["/hook"]  # never followed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cw, *args: str, **kw) -> subprocess.CompletedProcess:
    argv = [
        sys.executable,
        "-m",
        "claimwatch",
        "--db",
        str(cw.db),
        "--sources",
        str(cw.sources),
        "--config",
        str(cw.config),
        *args,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, **kw)


def test_receiver_down_across_a_restart_gets_the_alert_after_it(cw, site):
    port = _free_port()
    down = Receiver(port)
    configure(cw, webhook(down.url()), backoff=0.5, max_attempts=50)
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    assert _run(cw, "crawl").returncode == 0
    site.set("/a", article(PARAGRAPHS + NEW))
    first = _run(cw, "crawl")
    assert first.returncode == 0, first.stderr
    [d] = deliveries(cw)
    assert d.status == "failed" and "cannot connect" in d.last_error
    up = Receiver(port).start()
    try:
        deadline = time.monotonic() + 20
        while not up.accepted and time.monotonic() < deadline:  # until the retry is due
            again = _run(cw, "crawl")  # a new process: the outbox survived in the database
            assert again.returncode == 0, again.stderr
        assert len(up.accepted) == 1
        assert up.accepted[0].json["to_version"] == 2
        assert deliveries(cw)[0].status == "sent"
    finally:
        up.stop()


def test_killed_delivery_is_sent_again_by_the_next_process(cw, site, receiver):
    two_versions(cw, site)  # queued; only the default stdout hook had it
    configure(cw, webhook(receiver.url()), lease=0)
    receiver.hang_s = 5
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "claimwatch", "--db", str(cw.db), "--config", str(cw.config)]
    argv += ["alerts", "deliver"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not receiver.arrived and time.monotonic() < deadline:
        time.sleep(0.02)
    assert receiver.arrived == 1 and _claimed(cw), "the delivery never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert receiver.accepted == []
    # The lease (hook timeout + 0 s) runs out; the next process delivers.
    deadline = time.monotonic() + 20
    while not receiver.accepted and time.monotonic() < deadline:
        _run(cw, "alerts", "deliver")
    assert len(receiver.accepted) == 1
    [d] = [d for d in deliveries(cw) if d.hook == "web"]
    assert d.status == "sent" and d.attempts == 2


def _claimed(cw) -> bool:
    if not cw.db.exists():
        return False
    with Store(cw.db) as store:
        return any(d.attempts > 0 for d in store.deliveries() if d.hook == "web")


def test_command_hook_gets_json_on_stdin_and_page_text_runs_nothing(cw, site, tmp_path):
    marker = tmp_path / "pwned"
    nasty = (
        f'Russia and North Korea signed "$(touch {marker})" arms deals, `touch {marker}` & '
        f"echo $HOME | tee {marker} > /dev/null && rm -rf '{tmp_path}/x' <b>bold</b> too."
    )
    out = tmp_path / "stdin.json"
    script = (
        "import json, os, sys; data = sys.stdin.buffer.read(); "
        f"open({str(out)!r}, 'wb').write(data); "
        f"json.dump({{k: v for k, v in os.environ.items() if k.startswith('CLAIMWATCH_')}}, "
        f"open({str(out) + '.env'!r}, 'w'))"
    )
    argv = json.dumps([sys.executable, "-c", script])
    configure(cw, f'[[hook]]\nname = "cmd"\nkind = "command"\nargv = {argv}\n')
    two_versions(cw, site, extra=[html.escape(nasty)])
    payload = json.loads(out.read_bytes())
    assert nasty in [c["new_text"] for c in payload["changes"]]
    env = json.loads(Path(str(out) + ".env").read_text())
    assert env["CLAIMWATCH_SOURCE"] == "a" and env["CLAIMWATCH_ALERT_KIND"] == "changes"
    assert env["CLAIMWATCH_IDEMPOTENCY_KEY"] == payload["idempotency_key"]
    assert not any(nasty in v for v in env.values())
    assert not marker.exists()
    assert deliveries(cw)[0].status == "sent"


def test_failing_command_does_not_block_the_webhook_and_its_reason_is_kept(cw, site, receiver):
    argv = json.dumps([sys.executable, "-c", "import sys; print('boom', file=sys.stderr); exit(3)"])
    hooks = f'[[hook]]\nname = "bad"\nkind = "command"\nargv = {argv}\n' + webhook(receiver.url())
    configure(cw, hooks, max_attempts=2)
    two_versions(cw, site)
    assert len(receiver.wait_for(1)) == 1
    by_hook = {d.hook: d for d in deliveries(cw)}
    assert by_hook["web"].status == "sent"
    assert by_hook["bad"].status == "dead" and by_hook["bad"].last_error == "exit status 3: boom"


def test_command_timeout_kills_it(cw, site, tmp_path):
    argv = json.dumps([sys.executable, "-c", "import time; time.sleep(60)"])
    configure(
        cw,
        f'[[hook]]\nname = "slow"\nkind = "command"\nargv = {argv}\ntimeout = 0.5\n',
        max_attempts=1,
    )
    two_versions(cw, site)
    [d] = deliveries(cw)
    assert d.status == "dead" and "killed after 0.5 s" in d.last_error


def test_apprise_json_url_delivers_to_the_receiver(cw, site, receiver):
    url = receiver.url("/apprise").replace("http://", "json://")
    configure(cw, f'[[hook]]\nname = "chat"\nkind = "apprise"\nurls = ["{url}"]\n')
    two_versions(cw, site)
    [req] = receiver.wait_for(1)
    assert req.path == "/apprise"
    body = req.json
    assert "a v1 → v2" in body["title"] and "claim change" in body["title"]
    assert "fighter jets" in body["message"] and "**added**" in body["message"]
    assert deliveries(cw)[0].status == "sent"


def test_stdout_is_the_default_hook(cw, site):
    site.set("/a", article())
    cw.write_sources({"a": site.url("/a")})
    cw("crawl")
    site.set("/a", article(PARAGRAPHS + NEW))
    out = cw("crawl").stdout
    assert re.search(r"claimwatch: a v1 → v2: \d+ claim changes? \(\d+ significant\)", out)
    assert "fighter jets" in out
    assert [d.hook for d in deliveries(cw)] == ["stdout"]


def test_hook_added_later_receives_earlier_alerts(cw, site, receiver):
    two_versions(cw, site)  # no hook configured: stdout got it
    configure(cw, webhook(receiver.url()))
    assert "1 sent" in cw("alerts", "deliver").stdout
    assert receiver.wait_for(1)[0].json["to_version"] == 2
    assert {d.hook: d.status for d in deliveries(cw)} == {"stdout": "sent", "web": "sent"}


def test_hooks_test_reports_what_happened(cw, receiver):
    down = f"http://127.0.0.1:{_free_port()}/x"
    configure(cw, webhook(receiver.url()) + webhook(down, name="down"))
    ok = cw("hooks", "test", "web")
    assert "web (webhook): ok: HTTP 200" in ok.stdout
    sample = receiver.wait_for(1)[0].json
    assert sample["test"] is True and sample["schema"] == "claimwatch.alert/1"
    res = cw("hooks", "test", ok=False)
    assert res.exit_code == 1
    assert "down (webhook): FAILED: cannot connect" in res.stdout
    assert "no hook named 'nope'" in cw("hooks", "test", "nope", ok=False).stderr


def test_delivery_dropped_when_the_hook_filters_change(cw, site, receiver):
    receiver.always_status = 500
    configure(cw, webhook(receiver.url()), backoff=0.5, max_attempts=50)
    two_versions(cw, site)
    assert [d.status for d in deliveries(cw)] == ["failed"]
    receiver.always_status = None
    configure(cw, webhook(receiver.url(), extra='sources = ["other"]'), backoff=0.5)
    deadline = time.monotonic() + 10
    while deliveries(cw) and time.monotonic() < deadline:
        cw("alerts", "deliver")
    assert deliveries(cw) == [] and receiver.accepted == []


def test_backlog_bounds_what_a_new_hook_receives(cw, site, receiver):
    two_versions(cw, site)  # alert for v2, before the webhook existed
    configure(cw, webhook(receiver.url()), backlog_days=0)
    cw("alerts", "deliver")
    assert receiver.requests == []
    site.set("/a", article(PARAGRAPHS + NEW + ["Russia and North Korea opened a new rail link."]))
    cw("crawl")
    assert [r.json["to_version"] for r in receiver.wait_for(1)] == [3]

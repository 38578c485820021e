"""Memory over many scheduler cycles: does the daemon's RSS stay flat?

Two ways, both against a loopback site (``tests/site.py``) whose pages change every few
cycles, so cycles store new versions and analyse them as well as answering 304s:

- in-process (default): the daemon's own ``tick`` called N times in this process;
- ``--daemon``: ``claimwatch schedule`` as a subprocess with 1 s intervals, its RSS read from
  /proc while it runs N cycles (about N seconds).

Run from the repository root:  python bench/rss_cycles.py [--cycles 300] [--daemon]
Prints a table and writes bench/results/rss_cycles[-daemon].json.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimwatch.config import Config  # noqa: E402
from claimwatch.scheduler.daemon import Daemon  # noqa: E402
from claimwatch.storage import Store  # noqa: E402
from tests.site import PARAGRAPHS, Site, article  # noqa: E402

EXTRA = [
    "Russia delivered fighter jets to North Korea in May.",
    "Putin and Kim met again in Vladivostok.",
    "North Korea sent more than three million shells to Russia, officials in Seoul said.",
]


def rss_kib(pid: int | str = "self") -> int:
    """Resident set size from /proc, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def page(cycle: int, k: int) -> str:
    """Source k's page at a cycle: a new paragraph every ``change_every`` cycles."""
    return article(PARAGRAPHS + [EXTRA[(cycle + k) % len(EXTRA)]])


def write_sources(path: Path, site: Site, n: int) -> None:
    lines = [
        f'[[source]]\nname = "s{k}"\nurl = "{site.url(f"/s{k}")}"\ninterval = "1s"\n'
        for k in range(n)
    ]
    path.write_text("\n".join(lines))


def in_process(args: argparse.Namespace, site: Site, tmp: Path) -> list[dict]:
    from claimwatch.pipeline import import_sources

    cfg = Config(db=tmp / "cw.db", sources=tmp / "sources.toml")
    cfg.sections = {"schedule": {"jitter": 0}}
    store = Store(cfg.db)
    import_sources(store, cfg)
    daemon = Daemon(store, cfg)
    samples = []
    started = time.monotonic()
    for cycle in range(1, args.cycles + 1):
        if cycle % args.change_every == 0:
            for k in range(args.sources):
                site.set(f"/s{k}", page(cycle // args.change_every, k))
        # Each call looks at a later "now", so every source is due: one batched cycle each.
        result = daemon.tick(datetime.now(UTC) + timedelta(days=cycle))
        assert result is not None and len(result.outcomes) == args.sources, cycle
        site.requests.clear()  # the site's request log lives in this process: not the daemon's
        if cycle in args.marks:
            samples.append(sample(cycle, rss_kib(), started, store))
    store.close()
    return samples


def as_daemon(args: argparse.Namespace, site: Site, tmp: Path) -> list[dict]:
    (tmp / "config.toml").write_text("[schedule]\ntick = 0.2\njitter = 0\n")
    argv = [
        sys.executable,
        "-m",
        "claimwatch",
        "--db",
        str(tmp / "cw.db"),
        "--sources",
        str(tmp / "sources.toml"),
        "--config",
        str(tmp / "config.toml"),
        "schedule",
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(argv, env=env, stderr=subprocess.DEVNULL)
    samples, started, changed = [], time.monotonic(), 0
    try:
        while True:
            cycles = site.hits("/s0")
            if cycles // args.change_every > changed:
                changed = cycles // args.change_every
                for k in range(args.sources):
                    site.set(f"/s{k}", page(changed, k))
            due = [m for m in args.marks if m <= cycles and m not in {s["cycle"] for s in samples}]
            if due:
                samples.append(sample(due[-1], rss_kib(proc.pid), started, None))
            if cycles >= args.cycles or proc.poll() is not None:
                break
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    return samples


def sample(cycle: int, kib: int, started: float, store: Store | None) -> dict:
    row = {
        "cycle": cycle,
        "rss_mib": round(kib / 1024, 1),
        "seconds": round(time.monotonic() - started, 1),
    }
    if store is not None:
        row["versions"] = store.db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0]
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cycles", type=int, default=300)
    ap.add_argument("--sources", type=int, default=5)
    ap.add_argument("--change-every", type=int, default=10, help="cycles between page changes")
    ap.add_argument("--daemon", action="store_true", help="measure a real 'claimwatch schedule'")
    args = ap.parse_args()
    step = max(1, args.cycles // 6)
    args.marks = sorted({1, 10, 50, args.cycles} | set(range(step, args.cycles + 1, step)))
    site = Site().start()
    try:
        for k in range(args.sources):
            site.set(f"/s{k}", page(0, k))
        with tempfile.TemporaryDirectory() as d:
            tmp = Path(d)
            write_sources(tmp / "sources.toml", site, args.sources)
            run = as_daemon if args.daemon else in_process
            samples = run(args, site, tmp)
    finally:
        site.stop()
    for s in samples:
        print("  ".join(f"{k}={v}" for k, v in s.items()))
    by = {s["cycle"]: s["rss_mib"] for s in samples}
    base = by.get(50) or samples[0]["rss_mib"]
    growth = samples[-1]["rss_mib"] - base
    print(f"RSS growth from cycle 50 to {samples[-1]['cycle']}: {growth:+.1f} MiB")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    name = "rss_cycles-daemon.json" if args.daemon else "rss_cycles.json"
    (out / name).write_text(
        json.dumps(
            {
                "args": {k: v for k, v in vars(args).items()},
                "samples": samples,
                "growth_mib": growth,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

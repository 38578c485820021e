"""claimwatch benchmark: claimwatch vs urlwatch vs a bare Scrapy spider on a loopback site.

    python bench/run.py [--sizes 500,2000] [--repeat 3] [--out bench/results/latest.json]
                        [--tools claimwatch,urlwatch,urlwatch-plain,scrapy] [--growth] [--rss10k]

See bench/README.md for what each tool and scenario means and the fairness choices.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import growth  # noqa: E402
from report import SCENARIOS, aggregate, evaluate_targets, print_report  # noqa: E402
from tools import (  # noqa: E402
    BENCH_DIR,
    Leg,
    LegUnavailable,
    SiteProcess,
    child_env,
    machine_busy_seconds,
    make_leg,
    process_cpu_seconds,
    run_measured,
    wait_until_idle,
    write_sources,
)

RSS_N = 10_000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="500,2000", help="comma-separated page counts")
    p.add_argument("--repeat", type=int, default=3, help="runs per scenario (median reported)")
    p.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "latest.json")
    p.add_argument(
        "--tools",
        default="claimwatch,urlwatch,urlwatch-plain,scrapy",
        help="any of claimwatch, urlwatch, urlwatch-re, urlwatch-plain, scrapy, scrapy-lean",
    )
    p.add_argument("--change-fraction", type=float, default=0.05)
    p.add_argument("--concurrency", type=int, default=16, help="Scrapy floor concurrency")
    p.add_argument("--no-speed", action="store_true", help="skip the speed scenarios")
    p.add_argument("--growth", action="store_true", help="measure claimwatch DB growth")
    p.add_argument("--growth-n", type=int, default=2000)
    p.add_argument("--growth-cli-versions", type=int, default=100)
    p.add_argument("--rss10k", action="store_true", help="claimwatch peak RSS at N=10,000")
    p.add_argument("--differ", action="store_true", help="differ micro-benchmarks too")
    p.add_argument("--rss-n", type=int, default=RSS_N, help=argparse.SUPPRESS)  # for testing
    p.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "bench-scratch")
    p.add_argument("--seconds-per-page", type=float, default=0.2, help="run timeout budget")
    p.add_argument(
        "--wait-idle",
        type=float,
        default=5.0,
        help="before each run, wait up to this many seconds for the machine to go idle",
    )
    p.add_argument(
        "--nice",
        type=int,
        default=0,
        help="change the runner's niceness first (inherited by the site and every tool); "
        "e.g. -10 as root keeps other work on a shared machine from distorting wall times",
    )
    p.add_argument(
        "--retries",
        type=int,
        default=0,
        help="repeat a sequence (at most this often) when other processes used > 0.25 CPU-s "
        "per wall-s during one of its runs; the disturbed attempt is kept in the JSON, unused",
    )
    return p.parse_args(argv)


def run_sequence(
    leg: Leg, site: SiteProcess, sources: Path, urls: list[str], rep: int, args: argparse.Namespace
) -> list[dict[str, Any]]:
    """first -> unchanged -> changed for one tool from a fresh state; one record per scenario."""
    n = len(urls)
    site.control("reset")
    records = []
    with tempfile.TemporaryDirectory(dir=args.scratch) as tmp:
        workdir = Path(tmp)
        leg.prepare(workdir, sources, urls)
        env = child_env(workdir)
        env["BENCH_CONCURRENCY"] = str(args.concurrency)
        for scenario in SCENARIOS:
            changed = 0
            if scenario == "changed":
                changed = site.control(f"change?fraction={args.change_fraction}")["changed"]
            site.control("stats?reset=1")
            idle_busy = wait_until_idle(args.wait_idle) if args.wait_idle > 0 else None
            load_before = os.getloadavg()[0]
            timeout = 60 + n * args.seconds_per_page
            busy0, site0 = machine_busy_seconds(), process_cpu_seconds(site.pid)
            m = run_measured(leg.command(workdir, sources), workdir, env, timeout, leg.cwd)
            site_cpu = process_cpu_seconds(site.pid) - site0
            foreign = max(0.0, machine_busy_seconds() - busy0 - m.cpu_s - site_cpu)
            http = {k: v for k, v in site.control("stats?reset=1").items() if k != "body_bytes"}
            answered = http.get("200", 0) + http.get("304", 0)
            ok = m.returncode == 0 and not m.timed_out and answered >= n
            expect_200 = {"first": n, "unchanged": 0, "changed": changed}[scenario]
            record = {
                "tool": leg.name, "n": n, "scenario": scenario, "rep": rep, "ok": ok,
                "wall_s": round(m.wall_s, 4), "cpu_s": round(m.cpu_s, 4),
                "peak_rss_mb": round(m.peak_rss_mb, 2),
                "peak_tree_rss_mb": round(m.peak_tree_rss_mb, 2), "returncode": m.returncode,
                "timed_out": m.timed_out, "http": http, "pages_changed": changed,
                "conditional_get_ok": http.get("200", 0) == expect_200,
                "loadavg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "site_cpu_s": round(site_cpu, 3),
                "foreign_cpu_s": round(foreign, 3),  # CPU used by other processes meanwhile
                "busy_cores_before": idle_busy,
            }  # fmt: skip
            if not ok:
                record["log_tail"] = m.log_tail[-1500:]
            records.append(record)
            print(
                f"  {leg.name:<14} N={n:<5} rep {rep + 1}/{args.repeat} {scenario:<9} "
                f"{m.wall_s:7.2f} s  cpu {m.cpu_s:6.2f} s  rss {m.peak_rss_mb:6.1f} MB "
                f"(tree {m.peak_tree_rss_mb:6.1f})  "
                f"other cpu {foreign:5.2f} s  http {http}"
                + ("" if ok else f"  FAILED: {m.log_tail[-300:]!r}"),
                flush=True,
            )
            if not ok:
                break  # later scenarios would not start from the right state
    return records


def run_speed(legs: list[Leg], sizes: list[int], args: argparse.Namespace) -> list[dict[str, Any]]:
    """All tools x sizes x repeats; repeats interleave the tools to spread drift evenly."""
    runs: list[dict[str, Any]] = []
    for n in sizes:
        with SiteProcess(n) as site, tempfile.TemporaryDirectory(dir=args.scratch) as tmp:
            urls = [site.url(i) for i in range(n)]
            sources = Path(tmp) / f"sources-{n}.toml"  # per run: concurrent runs can't clash
            write_sources(sources, urls)
            for rep in range(args.repeat):
                for leg in legs:
                    for attempt in range(1 + args.retries):  # bounded
                        records = run_sequence(leg, site, sources, urls, rep, args)
                        noisy = [r for r in records if r["foreign_cpu_s"] > 0.25 * r["wall_s"]]
                        if not noisy or attempt == args.retries:
                            break
                        print("  (other processes were busy; repeating that sequence)")
                        for record in records:
                            record["discarded"] = True
                        runs += records
                    runs += records
    return runs


def run_rss10k(leg: Leg, args: argparse.Namespace) -> dict[str, Any]:
    """claimwatch first + unchanged cycle at N=10,000, once each; peak RSS of each."""
    n = args.rss_n
    out: dict[str, Any] = {"n": n}
    with SiteProcess(n) as site, tempfile.TemporaryDirectory(dir=args.scratch) as tmp:
        workdir = Path(tmp)
        urls = [site.url(i) for i in range(n)]
        sources = workdir / "sources.toml"
        write_sources(sources, urls)
        for scenario in ("first", "unchanged"):
            site.control("stats?reset=1")
            m = run_measured(
                leg.command(workdir, sources), workdir, child_env(workdir),
                60 + n * args.seconds_per_page, leg.cwd,
            )  # fmt: skip
            out[scenario] = {
                "wall_s": round(m.wall_s, 2), "cpu_s": round(m.cpu_s, 2),
                "peak_rss_mb": round(m.peak_rss_mb, 1),
                "peak_tree_rss_mb": round(m.peak_tree_rss_mb, 1), "returncode": m.returncode,
                "http": site.control("stats?reset=1"),
            }  # fmt: skip
            print(f"  rss10k {scenario}: {out[scenario]}", flush=True)
            if m.returncode != 0 or m.timed_out:
                out["error"] = m.log_tail[-1000:]
                break
    if "error" not in out:
        out["peak_rss_mb"] = max(out[s]["peak_rss_mb"] for s in ("first", "unchanged"))
        out["peak_tree_rss_mb"] = max(out[s]["peak_tree_rss_mb"] for s in ("first", "unchanged"))
    return out


def run_differ(errors: list[str]) -> list[str]:
    """``bench_differ.py`` (alignment at scale, one article, difflib) in a child: its lines."""
    print("differ: micro-benchmarks", flush=True)
    cmd = [sys.executable, str(BENCH_DIR / "bench_differ.py")]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        errors.append("differ micro-benchmarks timed out")
        return []
    if done.returncode:
        errors.append(f"differ micro-benchmarks failed: {done.stderr.strip()[-300:]}")
    lines = done.stdout.strip().splitlines()
    for line in lines:
        print("  " + line, flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the selected sections, print the table and targets, write JSON."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop children and site
    args.scratch.mkdir(parents=True, exist_ok=True)
    if args.nice:
        try:
            os.nice(args.nice)
        except OSError as exc:
            print(f"WARNING: cannot change niceness by {args.nice}: {exc}", file=sys.stderr)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    names = [t.strip() for t in args.tools.split(",") if t.strip()]
    errors: list[str] = []
    legs: list[Leg] = []
    for name in names:
        try:
            legs.append(make_leg(name))
        except LegUnavailable as exc:
            errors.append(str(exc))
            print(f"SKIPPING {name}: {exc}", file=sys.stderr, flush=True)
    cw_leg = next((leg for leg in legs if leg.name == "claimwatch"), None)
    if cw_leg is None and (args.growth or args.rss10k) and "claimwatch" not in names:
        try:
            cw_leg = make_leg("claimwatch")
        except LegUnavailable as exc:
            errors.append(str(exc))
    result: dict[str, Any] = {
        "meta": {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "python": sys.version.split()[0], "platform": platform.platform(),
            "cpus": os.cpu_count(), "sizes": sizes, "repeat": args.repeat,
            "change_fraction": args.change_fraction, "scrapy_concurrency": args.concurrency,
            "niceness": os.getpriority(os.PRIO_PROCESS, 0),
            "tools": {leg.name: leg.notes for leg in legs},
        },
        "runs": [], "rows": [], "growth": {}, "rss10k": {}, "differ": [], "errors": errors,
    }  # fmt: skip
    if not args.no_speed and legs:
        print(f"speed: tools {[leg.name for leg in legs]}, sizes {sizes}, repeat {args.repeat}")
        result["runs"] = run_speed(legs, sizes, args)
        result["rows"] = aggregate(result["runs"])
        disturbed = [
            r
            for r in result["runs"]
            if not r.get("discarded") and r["foreign_cpu_s"] > 0.25 * r["wall_s"]
        ]
        if disturbed:
            print(
                f"WARNING: in {len(disturbed)} runs used for the medians, other processes "
                "used > 0.25 CPU-s per wall-s (column 'other CPU s'): wall times are inflated "
                "there; CPU s is less affected. Re-run on a quiet machine for final numbers.",
                file=sys.stderr,
            )
        failed = [r for r in result["runs"] if not r["ok"] and not r.get("discarded")]
        errors += [
            f"{r['tool']} {r['scenario']} N={r['n']} rep {r['rep'] + 1} failed" for r in failed
        ]
    if args.growth:
        if cw_leg is None and growth.api_status() is not None:
            result["growth"] = {"skipped": "claimwatch unavailable (CLI and API)"}
            print("growth: SKIPPED, claimwatch unavailable", file=sys.stderr)
        else:
            print("growth: measuring claimwatch database growth", flush=True)
            result["growth"] = growth.run_growth(
                cw_leg, args.growth_n, args.growth_cli_versions, args.scratch
            )
    if args.rss10k:
        if cw_leg is None:
            result["rss10k"] = {"skipped": "claimwatch CLI unavailable"}
            print("rss10k: SKIPPED, claimwatch unavailable", file=sys.stderr)
        else:
            print(f"rss10k: claimwatch at N={args.rss_n:,}", flush=True)
            result["rss10k"] = run_rss10k(cw_leg, args)
    if args.differ:
        result["differ"] = run_differ(errors)
    result["targets"] = evaluate_targets(result["rows"], result["growth"], result["rss10k"])
    print_report(result["rows"], result["targets"])
    if result["growth"]:
        print("growth:", json.dumps(result["growth"], indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    for err in errors:
        print(f"ERROR: {err}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""Aggregation (medians, ratios), target checks and the printed table."""

from __future__ import annotations

import statistics
from typing import Any

SCENARIOS = ("first", "unchanged", "changed")
TOOL_ORDER = ("claimwatch", "urlwatch", "urlwatch-re", "urlwatch-plain", "scrapy", "scrapy-lean")
TARGET_N = 2000


def aggregate(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (tool, scenario, N): medians over the successful runs, plus ratios.

    ``ratio_urlwatch`` / ``ratio_floor`` are wall-time ratios (tool / reference): below 1 means
    faster than the reference.
    """
    groups: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for run in runs:
        if run.get("discarded"):
            continue
        groups.setdefault((run["tool"], run["scenario"], run["n"]), []).append(run)
    rows = []
    for (tool, scenario, n), group in groups.items():
        ok = [r for r in group if r["ok"]]
        row: dict[str, Any] = {"tool": tool, "scenario": scenario, "n": n}
        row.update(runs=len(group), ok_runs=len(ok))
        if ok:
            wall = statistics.median(r["wall_s"] for r in ok)
            row.update(
                wall_s=round(wall, 3),
                cpu_s=round(statistics.median(r["cpu_s"] for r in ok), 3),
                peak_rss_mb=round(statistics.median(r["peak_rss_mb"] for r in ok), 1),
                peak_tree_rss_mb=round(
                    statistics.median(r.get("peak_tree_rss_mb", 0.0) for r in ok), 1
                ),
                pages_per_s=round(n / wall, 1) if wall > 0 else 0.0,
                http_200=statistics.median(r["http"].get("200", 0) for r in ok),
                http_304=statistics.median(r["http"].get("304", 0) for r in ok),
                foreign_cpu_s=round(statistics.median(r.get("foreign_cpu_s", 0.0) for r in ok), 2),
            )
        rows.append(row)
    by_key = {(r["tool"], r["scenario"], r["n"]): r for r in rows}
    for row in rows:
        for ref, key in (("urlwatch", "ratio_urlwatch"), ("scrapy", "ratio_floor")):
            other = by_key.get((ref, row["scenario"], row["n"]))
            if "wall_s" in row and other and other.get("wall_s"):
                row[key] = round(row["wall_s"] / other["wall_s"], 3)

    def order(row: dict[str, Any]) -> tuple[int, int, int, str]:
        tool = row["tool"]
        rank = TOOL_ORDER.index(tool) if tool in TOOL_ORDER else len(TOOL_ORDER)
        return row["n"], SCENARIOS.index(row["scenario"]), rank, tool

    return sorted(rows, key=order)


def _target(name: str, measured: float | None, limit: str, ok: bool | None, note: str = ""):
    status = "n/a" if ok is None else ("PASS" if ok else "FAIL")
    value = None if measured is None else round(measured, 3)
    return {"target": name, "measured": value, "limit": limit, "status": status, "note": note}


def evaluate_targets(
    rows: list[dict[str, Any]], growth: dict[str, Any], rss10k: dict[str, Any]
) -> list[dict[str, Any]]:
    """Pass/fail for each target; ``n/a`` when the needed measurement is missing."""
    walls = {(r["tool"], r["scenario"], r["n"]): r.get("wall_s") for r in rows}
    cw_unch = walls.get(("claimwatch", "unchanged", TARGET_N))
    floor_unch = walls.get(("scrapy", "unchanged", TARGET_N))
    uw_unch = walls.get(("urlwatch", "unchanged", TARGET_N))
    speed = [
        ("unchanged N=2000: claimwatch / Scrapy floor", cw_unch, floor_unch, "<= 1.15", 1.15),
        ("unchanged N=2000: urlwatch / claimwatch (speed-up)", uw_unch, cw_unch, ">= 2.5", -2.5),
    ]
    cw_first = walls.get(("claimwatch", "first", TARGET_N))
    ref_tool = "urlwatch-plain" if walls.get(("urlwatch-plain", "first", TARGET_N)) else "urlwatch"
    uw_first = walls.get((ref_tool, "first", TARGET_N))
    speed.append((f"first N=2000: claimwatch / {ref_tool} wall", cw_first, uw_first, "<= 1.0", 1.0))
    out = []
    for name, num, den, limit, bound in speed:
        if not (num and den):
            out.append(_target(name, None, limit, None, "missing rows"))
            continue
        ratio = num / den
        ok = ratio <= bound if bound > 0 else ratio >= -bound
        out.append(_target(name, ratio, limit, ok))
    per_source = growth.get("unchanged", {}).get("bytes_per_source")
    out.append(
        _target("unchanged refetch: DB bytes per source", per_source, "<= 300",
                None if per_source is None else per_source <= 300,
                growth.get("unchanged", {}).get("skipped", ""))
    )  # fmt: skip
    versions = growth.get("versions", {})
    added = versions.get("bytes_for_1000") if versions.get("verified") else None
    out.append(
        _target("1000 one-sentence versions of a 20 KB page: MB added",
                None if added is None else added / 1e6, "<= 3.0",
                None if added is None else added <= 3e6,
                versions.get("skipped") or versions.get("note", ""))
    )  # fmt: skip
    # Judged on the whole process tree: worker processes are memory the tool uses too.
    rss = rss10k.get("peak_tree_rss_mb") if rss10k.get("n") == 10_000 else None
    note = rss10k.get("skipped") or rss10k.get("error", "")[-200:]
    if rss is not None:
        note = f"process tree; largest single process {rss10k['peak_rss_mb']} MB"
    if rss10k.get("n") not in (None, 10_000):
        note = f"measured at N={rss10k['n']}, not 10,000"
    out.append(
        _target("peak RSS at N=10,000 (MB)", rss, "< 250", None if rss is None else rss < 250,
                note)
    )  # fmt: skip
    return out


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def print_report(rows: list[dict[str, Any]], targets: list[dict[str, Any]]) -> None:
    """Print the results table and the targets, with rich when available."""
    headers = ["tool", "scenario", "N", "wall s", "CPU s", "peak RSS MB", "tree RSS MB"]
    headers += ["pages/s"]
    headers += ["× urlwatch", "× floor", "HTTP 200/304", "runs ok", "other CPU s"]
    table_rows = []
    for r in rows:
        http = "-" if "http_200" not in r else f"{r['http_200']:.0f}/{r['http_304']:.0f}"
        table_rows.append([
            r["tool"], r["scenario"], str(r["n"]), _fmt(r.get("wall_s")), _fmt(r.get("cpu_s")),
            _fmt(r.get("peak_rss_mb"), 1), _fmt(r.get("peak_tree_rss_mb"), 1),
            _fmt(r.get("pages_per_s"), 1),
            _fmt(r.get("ratio_urlwatch")), _fmt(r.get("ratio_floor")), http,
            f"{r['ok_runs']}/{r['runs']}", _fmt(r.get("foreign_cpu_s")),
        ])  # fmt: skip
    target_rows = [
        [t["target"], _fmt(t["measured"], 3), t["limit"], t["status"], t["note"]] for t in targets
    ]
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        for title, head, body in (
            ("Results (medians)", headers, table_rows),
            ("Targets", ["target", "measured", "limit", "status", "note"], target_rows),
        ):
            print(f"\n{title}\n" + " | ".join(head))
            for line in body:
                print(" | ".join(line))
        return
    console = Console()
    if not console.is_terminal:
        console = Console(width=max(console.width, 170))
    table = Table(title="Results (medians; ratios are wall-time tool / reference)")
    for h in headers:
        table.add_column(h, justify="left" if h in ("tool", "scenario") else "right")
    for line in table_rows:
        table.add_row(*line)
    console.print(table)
    ttable = Table(title="Targets")
    for h in ("target", "measured", "limit", "status", "note"):
        ttable.add_column(h)
    colour = {"PASS": "green", "FAIL": "red", "n/a": "yellow"}
    for line in target_rows:
        line[3] = f"[{colour[line[3]]}]{line[3]}[/]"
        ttable.add_row(*line)
    console.print(ttable)

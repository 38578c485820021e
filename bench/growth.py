"""Storage growth of claimwatch's SQLite database.

* unchanged cycle: bytes added by re-crawling N unchanged sources (per source);
* versions: bytes added by 1,000 versions of one ~20 KB page, one sentence changed each.

The database size is ``db`` + ``db-wal`` after ``PRAGMA wal_checkpoint(TRUNCATE)``.

The 1,000-version run uses :func:`run_cycle_adapter`, an in-process call into the tool's
Python API (1,000 ``claimwatch crawl`` processes would take too long). If the API can't be
imported (:func:`api_status` says why), it falls back to ``--growth-cli-versions`` CLI cycles,
projected linearly to 1,000 (and says so in the result).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sqlite3
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pages import Article
from tools import Leg, SiteProcess, child_env, run_measured, write_sources

VERSIONS_TARGET = 1000


def run_cycle_adapter(db_path: Path, sources_file: Path, url: str, html: bytes) -> None:
    """ADAPTER: run one claimwatch cycle in this process (wired to the tool's Python API).

    Gets both the sources file (one source on the loopback site, already edited) and that
    page's current HTML, so it may crawl or ingest the HTML directly, whichever the API
    offers. A Scrapy ``CrawlerProcess`` cannot restart within one process, so an API that
    crawls must keep its reactor alive between calls (claimwatch's crawler runner does).
    Re-wire here if the API changes; :func:`api_status` must import the same names.
    """
    config_mod, pipeline, storage = _api()
    config = sources_file.with_name("bench-empty-config.toml")  # no user config file
    if not config.exists():
        config.write_text("", encoding="utf-8")
    cfg = config_mod.resolve(str(db_path), str(sources_file), str(config))
    store = storage.Store(db_path)
    try:
        pipeline.import_sources(store, cfg)
        pipeline.run_cycle(store, cfg)
    finally:
        store.close()


def _api() -> tuple[Any, Any, Any]:
    """The tool's modules the adapter uses (imported lazily: the tool may be absent)."""
    names = ("claimwatch.config", "claimwatch.pipeline", "claimwatch.storage")
    config_mod, pipeline, storage = (importlib.import_module(n) for n in names)
    needed = ((config_mod, "resolve"), (pipeline, "run_cycle"), (pipeline, "import_sources"))
    for module, attr in (*needed, (storage, "Store")):
        getattr(module, attr)  # AttributeError if the API changed
    return config_mod, pipeline, storage


def api_status() -> str | None:
    """None if :func:`run_cycle_adapter` can be used, else the reason it can't."""
    try:
        _api()
    except Exception as exc:  # noqa: BLE001 - any import failure means "not available"
        return f"claimwatch Python API not importable ({type(exc).__name__}: {exc})"
    return None


@contextlib.contextmanager
def output_to(path: Path) -> Iterator[None]:
    """Send this process's stdout and stderr (file descriptors 1 and 2) to ``path``.

    The in-process cycles print the tool's summaries and alerts; 1,000 of them would bury
    the benchmark's own output.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def db_bytes(db: Path) -> int:
    """Size of the database plus its WAL, after a truncating checkpoint."""
    if db.exists():
        con = sqlite3.connect(db)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    wal = db.with_name(db.name + "-wal")
    return sum(p.stat().st_size for p in (db, wal) if p.exists())


def _cycle(leg: Leg, workdir: Path, sources: Path, n: int) -> dict[str, Any]:
    m = run_measured(
        leg.command(workdir, sources), workdir, child_env(workdir), 60 + n * 0.2, leg.cwd
    )
    if m.returncode != 0 or m.timed_out:
        raise RuntimeError(f"claimwatch crawl failed (exit {m.returncode}): {m.log_tail[-500:]}")
    return {"wall_s": round(m.wall_s, 3), "peak_rss_mb": round(m.peak_rss_mb, 1)}


def unchanged_growth(leg: Leg, n: int, scratch: Path) -> dict[str, Any]:
    """Bytes added to the DB by an unchanged cycle of ``n`` sources (first cycle before it)."""
    with SiteProcess(n) as site, tempfile.TemporaryDirectory(dir=scratch) as tmp:
        workdir = Path(tmp)
        sources = workdir / "sources.toml"
        write_sources(sources, [site.url(i) for i in range(n)])
        first = _cycle(leg, workdir, sources, n)
        before = db_bytes(workdir / "claimwatch.db")
        site.control("stats?reset=1")
        again = _cycle(leg, workdir, sources, n)
        again["http"] = site.control("stats")
        after = db_bytes(workdir / "claimwatch.db")
    return {
        "n": n,
        "bytes_after_first": before,
        "bytes_after_unchanged": after,
        "bytes_per_source": round((after - before) / n, 1),
        "first": first,
        "unchanged": again,
    }


def pick_page(target: int = 20_000, candidates: int = 50) -> int:
    """Id of the generated page whose size is closest to ``target`` bytes."""
    sizes = {i: len(Article(i).render()) for i in range(candidates)}
    return min(sizes, key=lambda i: abs(sizes[i] - target))


def versions_growth(
    leg: Leg | None,
    cli_versions: int,
    scratch: Path,
    max_seconds: float = 1800,
    api_versions: int = VERSIONS_TARGET,
) -> dict[str, Any]:
    """Bytes added by one-sentence versions of one ~20 KB page (API: 1,000; CLI: fewer)."""
    reason = api_status()
    use_api = reason is None
    if not use_api and leg is None:
        return {"skipped": f"{reason}; and the claimwatch CLI is unavailable"}
    count = api_versions if use_api else min(cli_versions, VERSIONS_TARGET)
    page = pick_page()
    result: dict[str, Any] = {"page_id": page, "mode": "api" if use_api else "cli"}
    if not use_api:
        result["note"] = f"CLI fallback: {count} versions projected to 1000 ({reason})"
    with SiteProcess(page + 1) as site, tempfile.TemporaryDirectory(dir=scratch) as tmp:
        workdir = Path(tmp)
        db = workdir / "claimwatch.db"
        sources = workdir / "sources.toml"
        url = site.url(page)
        write_sources(sources, [url])

        def cycle() -> None:
            if use_api:
                with urllib.request.urlopen(url, timeout=30) as response:  # loopback only
                    html = response.read()
                run_cycle_adapter(db, sources, url, html)
            else:
                assert leg is not None
                _cycle(leg, workdir, sources, 1)

        with output_to(workdir / "cycles.log"):
            cycle()
        result["page_bytes"] = len(Article(page).render())
        before = db_bytes(db)
        site.control("stats?reset=1")
        started = time.monotonic()
        done = 0
        with output_to(workdir / "cycles.log"):
            for _ in range(count):  # bounded in count and in time
                if time.monotonic() - started > max_seconds:
                    result["note"] = (
                        result.get("note", "") + f"; stopped after {max_seconds} s"
                    ).lstrip("; ")
                    break
                site.control(f"edit?page={page}")
                cycle()
                done += 1
        after = db_bytes(db)
        served = site.control("stats").get("200", 0)
    # Every edited version must have been fetched in full by the tool (plus, with the API,
    # once by us for the adapter's html argument); otherwise the bytes prove nothing.
    result["verified"] = served >= done * (2 if use_api else 1)
    if not result["verified"]:
        result["note"] = (result.get("note", "") + f"; only {served} full fetches").lstrip("; ")
    result.update(versions=done, bytes_before=before, bytes_after=after,
                  seconds=round(time.monotonic() - started, 1))  # fmt: skip
    if done:
        per_version = (after - before) / done
        result["bytes_per_version"] = round(per_version, 1)
        result["bytes_for_1000"] = round(per_version * VERSIONS_TARGET)
    return result


def run_growth(leg: Leg | None, n: int, cli_versions: int, scratch: Path) -> dict[str, Any]:
    """Both growth measurements; skipped parts say why."""
    out: dict[str, Any] = {}
    if leg is None:
        out["unchanged"] = {"skipped": "claimwatch CLI unavailable"}
    else:
        try:
            out["unchanged"] = unchanged_growth(leg, n, scratch)
        except RuntimeError as exc:
            out["unchanged"] = {"skipped": f"error: {exc}"}
    try:
        out["versions"] = versions_growth(leg, cli_versions, scratch)
    except Exception as exc:  # noqa: BLE001 - report, don't lose the other results
        out["versions"] = {"skipped": f"error: {type(exc).__name__}: {exc}"}
    return out

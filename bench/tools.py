"""The measured tools ("legs"), the loopback site process, and child-process measurement."""

from __future__ import annotations

import contextlib
import os
import select
import shlex
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
URLWATCH_VENV = BENCH_DIR / ".venv-urlwatch"
URLWATCH_FILTERS = {
    "urlwatch": "  - html2text: pyhtml2text\n",  # the html2text package, installed for this
    "urlwatch-re": "  - html2text\n",  # urlwatch's default html2text method (regex tag strip)
    "urlwatch-plain": "",  # no filter: plain fetch + diff
}


class LegUnavailable(RuntimeError):
    """A tool cannot be run here (missing command, failed install, ...)."""


@dataclass
class Measurement:
    """One measured child process run."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float  # ru_maxrss: the largest single process of the tree
    returncode: int
    timed_out: bool = False
    log_tail: str = ""
    peak_tree_rss_mb: float = 0.0  # sampled sum over the child and its descendants


def descendants(pid: int, limit: int = 1000) -> list[int]:
    """``pid`` and its live descendants (via ``/proc/PID/task/TID/children``)."""
    found, i = [pid], 0
    while i < len(found) and len(found) < limit:
        parent, i = found[i], i + 1
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for tid in tasks:
            with contextlib.suppress(OSError, ValueError):
                text = Path(f"/proc/{parent}/task/{tid}/children").read_text()
                found += [int(c) for c in text.split()]
    return found


def tree_rss_bytes(pid: int) -> int:
    """Summed resident memory of ``pid`` and its descendants (shared pages count per process)."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for member in descendants(pid):
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1]) * page
    return total


class TreeRssSampler(threading.Thread):
    """Peak of :func:`tree_rss_bytes` sampled every ``interval`` s until :meth:`halt`."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._halt = threading.Event()

    def run(self) -> None:
        """Sample until halted."""
        while True:
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            if self._halt.wait(self.interval):
                return

    def halt(self) -> int:
        """Stop sampling; the peak in bytes."""
        self._halt.set()
        self.join()
        return self.peak


def run_measured(
    cmd: list[str], workdir: Path, env: dict[str, str], timeout: float, cwd: Path | None = None
) -> Measurement:
    """Run ``cmd``; wall time, CPU (user+sys of the child tree) and max RSS via ``os.wait4``.

    ``wait4``'s ru_maxrss is the largest *single* process; a tool with worker processes uses
    more, so the summed RSS of the live tree is also sampled (every 0.1 s: a lower bound of
    the true peak; shared library pages count once per process: an upper-bound tendency).

    stdout/stderr go to ``workdir/last.log`` (the tools' reports are written, not discarded).
    The child runs in ``cwd`` (default ``workdir``) in its own session, so a timeout kills the
    whole tree.
    """
    log_path = workdir / "last.log"
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=cwd or workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        timed_out = threading.Event()

        def _kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 9)

        timer = threading.Timer(timeout, _kill)
        timer.start()
        sampler = TreeRssSampler(proc.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM): take the child tree down too
            _kill()
            os.wait4(proc.pid, 0)
            raise
        finally:
            timer.cancel()
            tree_peak = sampler.halt()
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    tail = log_path.read_bytes()[-2000:].decode("utf-8", "replace")
    return Measurement(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss * 1024 / 1e6,  # Linux reports KiB; MB = 10^6 bytes
        returncode=proc.returncode,
        timed_out=timed_out.is_set(),
        log_tail=tail,
        peak_tree_rss_mb=max(tree_peak, usage.ru_maxrss * 1024) / 1e6,
    )


def machine_busy_seconds() -> float:
    """CPU seconds all CPUs spent busy since boot (``/proc/stat``; 0.0 where unavailable)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(f) for f in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process (``/proc/PID/stat``; 0.0 if unavailable)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(max_wait: float, busy_cores: float = 0.3) -> float:
    """Wait (at most ``max_wait`` s) for a 1 s window with < ``busy_cores`` of CPU in use.

    Returns the busy cores of the last window, so callers can record how quiet it was.
    """
    deadline = time.monotonic() + max_wait
    while True:
        before = machine_busy_seconds()
        time.sleep(1.0)
        busy = machine_busy_seconds() - before
        if busy < busy_cores or time.monotonic() >= deadline:
            return busy


class SiteProcess:
    """The loopback site (bench/server.py) in its own process, with its control API."""

    def __init__(self, n_pages: int, max_seconds: float = 3 * 3600) -> None:
        self.n_pages = n_pages
        self.max_seconds = max_seconds
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    def __enter__(self) -> SiteProcess:
        cmd = [sys.executable, str(BENCH_DIR / "server.py"), "--pages", str(self.n_pages)]
        cmd += ["--max-seconds", str(self.max_seconds)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 120)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("READY "):
            self.__exit__()
            raise RuntimeError(f"site did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    @property
    def pid(self) -> int:
        """Process id of the site (for its CPU accounting)."""
        return self.proc.pid if self.proc is not None else 0

    def url(self, page_id: int) -> str:
        """Absolute URL of a page."""
        return f"http://127.0.0.1:{self.port}/article/{page_id:05d}.html"

    def control(self, command: str) -> dict[str, Any]:
        """Call the control API, e.g. ``control("change?fraction=0.05")``."""
        import json

        url = f"http://127.0.0.1:{self.port}/_control/{command}"
        with urllib.request.urlopen(url, timeout=60) as response:  # loopback only
            return json.loads(response.read())


def write_sources(path: Path, urls: list[str]) -> None:
    """A claimwatch sources TOML with one ``[[source]]`` per URL."""
    lines = []
    for i, url in enumerate(urls):
        lines += ["[[source]]", f'name = "article-{i:05d}"', f'url = "{url}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def child_env(workdir: Path) -> dict[str, str]:
    """Environment for a tool: XDG dirs point into its scratch dir, so no user files are used.

    ``CLAIMWATCH_*`` variables (config, db, sources) are dropped: only the options count.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMWATCH_")}
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env[var] = str(workdir / "xdg" / var.lower())
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@dataclass
class Leg:
    """A tool under test: how to prepare a fresh state and which command runs one cycle."""

    name: str
    base_cmd: list[str]
    notes: str = ""
    cwd: Path | None = None  # None: the run's scratch dir

    def prepare(self, workdir: Path, sources: Path, urls: list[str]) -> None:
        """Create the tool's fresh state/config in ``workdir``."""
        if self.name.startswith("urlwatch"):
            job_filter = URLWATCH_FILTERS[self.name]
            docs = []
            for i, url in enumerate(urls):
                doc = f"name: article-{i:05d}\nurl: {url}\n"
                docs.append(doc + (f"filter:\n{job_filter}" if job_filter else ""))
            (workdir / "urls.yaml").write_text("---\n".join(docs), encoding="utf-8")
            (workdir / "urlwatch.yaml").write_text(
                "report:\n  stdout:\n    enabled: true\n    color: false\n", encoding="utf-8"
            )

    def command(self, workdir: Path, sources: Path) -> list[str]:
        """The command line for one cycle against the state in ``workdir``."""
        if self.name.startswith("urlwatch"):
            return self.base_cmd + [
                "--urls", str(workdir / "urls.yaml"),
                "--config", str(workdir / "urlwatch.yaml"),
                "--cache", str(workdir / "cache.db"),
                "--hooks", str(workdir / "hooks.py"),  # does not exist: no user hooks
            ]  # fmt: skip
        state = workdir / ("claimwatch.db" if self.name == "claimwatch" else "floor.json")
        return self.base_cmd + ["--db", str(state), "--sources", str(sources), "crawl"]


def scrapy_leg(lean: bool = False) -> Leg:
    """The bare Scrapy spider (bench/floor.py); ``lean``: minus optional components."""
    floor = str(BENCH_DIR / "floor.py")
    if lean:
        cmd = ["env", "BENCH_FLOOR_LEAN=1", sys.executable, floor]
        return Leg("scrapy-lean", cmd, "download only; optional middlewares/extensions off")
    return Leg("scrapy", [sys.executable, floor], "download only, default Scrapy components")


def claimwatch_command() -> list[str]:
    """Resolve the tool's command: ``CLAIMWATCH_CMD``, else ``claimwatch`` on PATH."""
    env = os.environ.get("CLAIMWATCH_CMD", "").strip()
    if env:
        return shlex.split(env)
    exe = shutil.which("claimwatch")
    if exe:
        return [exe]
    raise LegUnavailable(
        "claimwatch: no `claimwatch` on PATH and CLAIMWATCH_CMD is not set "
        "(e.g. CLAIMWATCH_CMD='/work/venv/bin/python -m claimwatch')"
    )


def claimwatch_leg() -> Leg:
    """The tool itself; raises :class:`LegUnavailable` unless ``CMD --help`` exits 0."""
    cmd = claimwatch_command()
    try:
        probe = subprocess.run(
            cmd + ["--help"], cwd=REPO_DIR, capture_output=True, timeout=120, text=True
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LegUnavailable(f"claimwatch: `{shlex.join(cmd)} --help` failed: {exc}") from exc
    if probe.returncode != 0:
        tail = (probe.stderr or probe.stdout).strip().splitlines()[-3:]
        raise LegUnavailable(
            f"claimwatch: `{shlex.join(cmd)} --help` exited {probe.returncode}: {' | '.join(tail)}"
        )
    # Runs from the repository root: relative paths in CLAIMWATCH_CMD and `python -m claimwatch`
    # resolve there.
    return Leg("claimwatch", cmd, f"command: {shlex.join(cmd)}", cwd=REPO_DIR)


def ensure_urlwatch(venv: Path = URLWATCH_VENV) -> Path:
    """urlwatch + html2text in the benchmark's own venv (created on first use); its executable."""
    exe = venv / "bin" / "urlwatch"
    if exe.exists():
        return exe
    print(f"creating {venv} and installing urlwatch html2text ...", flush=True)
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "urlwatch", "html2text"],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900)
        except subprocess.TimeoutExpired as exc:
            raise LegUnavailable(f"urlwatch install timed out: {shlex.join(step)}") from exc
        if done.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            tail = " | ".join(done.stderr.strip().splitlines()[-3:])
            raise LegUnavailable(f"urlwatch install failed ({shlex.join(step)}): {tail}")
    if not exe.exists():
        raise LegUnavailable(f"urlwatch install finished but {exe} is missing")
    return exe


def urlwatch_leg(name: str = "urlwatch") -> Leg:
    """urlwatch with one job per URL; ``urlwatch`` uses the html2text filter, ``-plain`` none."""
    exe = ensure_urlwatch()
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    notes = f"{version.stdout.strip()}; filter: {URLWATCH_FILTERS[name].strip() or 'none'}"
    return Leg(name, [str(exe)], notes)


def make_leg(name: str) -> Leg:
    """Build a leg by tool name (claimwatch, urlwatch[-re|-plain], scrapy[-lean])."""
    if name in ("scrapy", "scrapy-lean"):
        return scrapy_leg(lean=name == "scrapy-lean")
    if name == "claimwatch":
        return claimwatch_leg()
    if name in URLWATCH_FILTERS:
        return urlwatch_leg(name)
    raise LegUnavailable(f"unknown tool {name!r}")

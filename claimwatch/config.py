"""Configuration: every default in one place, and how the pieces override each other.

Precedence, highest first:
  1. command-line options (``--db``, ``--sources``, ``--config``)
  2. environment variables (``CLAIMWATCH_DB``, ``CLAIMWATCH_SOURCES``, ``CLAIMWATCH_CONFIG``)
  3. the config file (``db``, ``sources``, ``topic``, ``[crawl]``, ``[[hook]]``)
  4. the defaults below
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from claimwatch.errors import ConfigError

APP = "claimwatch"
SEEDS = Path(str(resources.files("claimwatch.seeds")))
DEFAULT_SOURCES = SEEDS / "sources.toml"
DEFAULT_TOPIC = SEEDS / "topic.toml"
DEFAULT_DB = Path(platformdirs.user_data_dir(APP)) / "claimwatch.db"
DEFAULT_CONFIG = Path(platformdirs.user_config_dir(APP)) / "config.toml"

# [crawl] keys a config file may set, with their defaults and the Scrapy setting they map to.
CRAWL_KEYS: dict[str, tuple[Any, str]] = {
    "timeout": (30.0, "DOWNLOAD_TIMEOUT"),
    "max_size": (5 * 1024 * 1024, "DOWNLOAD_MAXSIZE"),
    "concurrency": (32, "CONCURRENT_REQUESTS"),
    "per_domain": (16, "CONCURRENT_REQUESTS_PER_DOMAIN"),
    "retries": (1, "RETRY_TIMES"),
    "obey_robots": (True, "ROBOTSTXT_OBEY"),
    "autothrottle": (True, "AUTOTHROTTLE_ENABLED"),
    "user_agent": (None, "USER_AGENT"),
}
# [schedule] keys a config file may set, with their defaults (see claimwatch.scheduler).
SCHEDULE_KEYS: dict[str, Any] = {
    "default_interval": "6h",  # for sources without an interval
    "jitter": 30.0,  # seconds at most, and at most 10 % of a source's interval
    "tick": 1.0,  # seconds between two looks at what is due
}
# [alerts] keys a config file may set, with their defaults (see the README's Alerts section).
ALERT_KEYS: dict[str, Any] = {
    "failure_threshold": 3,  # consecutive failed fetches that raise one "source failing" alert
    "max_attempts": 8,  # delivery attempts per alert and hook before it is dead
    "backoff": 30.0,  # seconds before the first retry; doubles per attempt, with jitter
    "backoff_max": 3600.0,  # cap on the delay between retries, seconds
    "backlog_days": 7.0,  # a hook added later receives alerts up to this old
    "budget": 60.0,  # seconds one delivery stage may keep retrying before it yields
    "lease": 60.0,  # seconds a delivery in progress is held beyond its hook's timeout
}
TOP_KEYS = {"db", "sources", "topic", "crawl", "hook", "schedule", "alerts"}
SOURCE_KEYS = {"name", "url", "selector", "interval", "enabled"}


@dataclass
class Config:
    """Resolved settings for one invocation."""

    db: Path = DEFAULT_DB
    sources: Path = DEFAULT_SOURCES
    topic: Path = DEFAULT_TOPIC
    config_file: Path | None = None
    crawl: dict[str, Any] = field(default_factory=dict)  # Scrapy setting overrides
    hooks: list[dict[str, Any]] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)  # [schedule], [alerts]


def resolve(db: str | None, sources: str | None, config: str | None) -> Config:
    """Combine options, environment, config file and defaults (see module docstring)."""
    env = os.environ
    cfg_path = config or env.get("CLAIMWATCH_CONFIG")
    data: dict[str, Any] = {}
    if cfg_path:
        data = read_toml(Path(cfg_path))
    elif DEFAULT_CONFIG.exists():
        cfg_path = str(DEFAULT_CONFIG)
        data = read_toml(DEFAULT_CONFIG)
    if cfg_path:
        _check_keys(cfg_path, None, data, TOP_KEYS)
    base = Path(cfg_path).parent if cfg_path else Path.cwd()
    cfg = Config(config_file=Path(cfg_path) if cfg_path else None)
    cfg.db = Path(db or env.get("CLAIMWATCH_DB") or _rel(base, data.get("db")) or DEFAULT_DB)
    cfg.sources = Path(
        sources
        or env.get("CLAIMWATCH_SOURCES")
        or _rel(base, data.get("sources"))
        or DEFAULT_SOURCES
    )
    cfg.topic = Path(_rel(base, data.get("topic")) or DEFAULT_TOPIC)
    cfg.crawl = _crawl_settings(str(cfg_path), data.get("crawl", {}))
    hooks = data.get("hook", [])
    if not isinstance(hooks, list) or not all(isinstance(h, dict) for h in hooks):
        raise ConfigError(str(cfg_path), "hook", "must be [[hook]] tables")
    cfg.hooks = hooks
    cfg.sections = {k: data[k] for k in ("schedule", "alerts") if k in data}
    if "schedule" in data:
        cfg.sections["schedule"] = _schedule_settings(str(cfg_path), data["schedule"])
    if "alerts" in data:
        cfg.sections["alerts"] = _alert_settings(str(cfg_path), data["alerts"])
    return cfg


def _rel(base: Path, value: Any) -> str | None:
    if value is None:
        return None
    return str((base / os.path.expanduser(str(value))).resolve())


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; ConfigError naming the file on any problem."""
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(str(path), None, "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), None, f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(str(path), None, f"cannot read: {exc.strerror}") from None


def _check_keys(file: str, table: str | None, data: dict[str, Any], allowed: set[str]) -> None:
    for key in data:
        if key not in allowed:
            where = f"{table}.{key}" if table else key
            raise ConfigError(file, where, f"unknown key; allowed: {', '.join(sorted(allowed))}")


def _crawl_settings(file: str, crawl: Any) -> dict[str, Any]:
    if not isinstance(crawl, dict):
        raise ConfigError(file, "crawl", "must be a table")
    _check_keys(file, "crawl", crawl, set(CRAWL_KEYS))
    out: dict[str, Any] = {}
    for key, value in crawl.items():
        default, setting = CRAWL_KEYS[key]
        kind = type(default) if default is not None else str
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(file, f"crawl.{key}", f"must be a {kind.__name__}")
        out[setting] = value
    return out


def _schedule_settings(file: str, table: Any) -> dict[str, Any]:
    from claimwatch.scheduler.intervals import parse_interval

    if not isinstance(table, dict):
        raise ConfigError(file, "schedule", "must be a table")
    _check_keys(file, "schedule", table, set(SCHEDULE_KEYS))
    out = dict(SCHEDULE_KEYS)
    for key, value in table.items():
        if key == "default_interval":
            try:
                parse_interval(value)
            except ValueError as exc:
                raise ConfigError(file, "schedule.default_interval", str(exc)) from None
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(file, f"schedule.{key}", "must be a number of seconds")
        elif value < 0 or (key == "tick" and not 0.05 <= value <= 3600):
            allowed = "from 0.05 to 3600" if key == "tick" else "0 or more"
            raise ConfigError(file, f"schedule.{key}", f"must be {allowed} seconds")
        out[key] = value
    return out


def schedule_settings(cfg: Config) -> dict[str, Any]:
    """The [schedule] settings, defaults filled in."""
    return {**SCHEDULE_KEYS, **cfg.sections.get("schedule", {})}


def check_interval(value: Any, source: str, file: str, key: str) -> None:
    """A ConfigError naming the source when ``value`` is not a valid interval."""
    from claimwatch.scheduler.intervals import parse_interval

    try:
        parse_interval(value)
    except ValueError as exc:
        raise ConfigError(file, key, f"source '{source}': {exc}") from None


def _alert_settings(file: str, table: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(file, "alerts", "must be a table")
    _check_keys(file, "alerts", table, set(ALERT_KEYS))
    out: dict[str, Any] = {}
    for key, value in table.items():
        kind = type(ALERT_KEYS[key])
        ok = isinstance(value, int | float) if kind is float else isinstance(value, int)
        if not ok or isinstance(value, bool) or value < (1 if kind is int else 0):
            what = "a whole number ≥ 1" if kind is int else "a number ≥ 0"
            raise ConfigError(file, f"alerts.{key}", f"must be {what}")
        out[key] = kind(value)
    return out


def load_sources(path: Path) -> list[dict[str, Any]]:
    """Read and validate a sources file; relative urls become file:// URLs beside it."""
    data = read_toml(path)
    file = str(path)
    _check_keys(file, None, data, {"source"})
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise ConfigError(file, "source", "must be [[source]] tables")
    seen: set[str] = set()
    out = []
    for i, table in enumerate(tables):
        where = f"source[{i}]"
        if not isinstance(table, dict):
            raise ConfigError(file, where, "must be a table")
        _check_keys(file, where, table, SOURCE_KEYS)
        for key in ("name", "url"):
            if not isinstance(table.get(key), str) or not table[key].strip():
                raise ConfigError(file, f"{where}.{key}", "required, a non-empty string")
        name = table["name"].strip()
        if name in seen:
            raise ConfigError(file, f"{where}.name", f"duplicate source name '{name}'")
        seen.add(name)
        for key in ("selector", "interval"):
            if key in table and not isinstance(table[key], str):
                raise ConfigError(file, f"{where}.{key}", "must be a string")
        if "interval" in table:
            check_interval(table["interval"], name, file, f"{where}.interval")
        if "enabled" in table and not isinstance(table["enabled"], bool):
            raise ConfigError(file, f"{where}.enabled", "must be true or false")
        spec = dict(table, name=name)
        spec["url"] = normalise_url(table["url"].strip(), path.parent, file, f"{where}.url")
        out.append(spec)
    return out


def normalise_url(url: str, base: Path, file: str = "", key: str = "url") -> str:
    """Accept http(s) and file URLs; a bare path is relative to ``base``."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        if not urlsplit(url).hostname:
            raise ConfigError(file, key, f"'{url}' has no host")
        return url
    if scheme == "file":
        return url
    if scheme and len(scheme) > 1:
        raise ConfigError(file, key, f"scheme '{scheme}' not allowed; allowed: http, https, file")
    return (base / os.path.expanduser(url)).resolve().as_uri()


def read_topic(path: Path) -> str:
    """The topic definition's TOML text."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), None, f"cannot read topic file: {exc.strerror}") from None

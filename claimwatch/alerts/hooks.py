"""The hook interface: kinds registered by name, declared options, and alert filters.

A hook is one ``[[hook]]`` table of the config file. Its ``kind`` picks a class from
``Hook.registry``; the class declares its options, so a misspelt key is an error naming
the file, the hook and the key, with the keys that are allowed.
"""

from __future__ import annotations

import copy
import fnmatch
from dataclasses import dataclass, field
from typing import Any, ClassVar

from claimwatch.errors import ConfigError

SIGNIFICANCE = ("significant", "minor")
CHANGE_KINDS = ("added", "removed", "changed")
_REQUIRED = object()


@dataclass(frozen=True)
class Option:
    """One declared option of a hook kind."""

    type: type | tuple[type, ...]
    default: Any = _REQUIRED
    help: str = ""
    items: type | None = None  # element type for list options, value type for tables

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED


# Options every hook has: its name, its kind, and its filters.
COMMON: dict[str, Option] = {
    "name": Option(str, help="unique name, used in `alerts list` and `hooks test NAME`"),
    "kind": Option(str, help="one of the hook kinds"),
    "min_significance": Option(str, "significant", "significant (default) or minor (all)"),
    "sources": Option(list, [], "source names or glob patterns; empty: every source", str),
    "categories": Option(list, [], "claim categories; empty: every category", str),
    "kinds": Option(list, [], "added, removed, changed; empty: all three", str),
    "health": Option(bool, True, "also send source failing / recovered alerts"),
}


@dataclass
class Filters:
    """Which alerts, and which of their changes, a hook receives."""

    min_significance: str = "significant"
    sources: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    health: bool = True

    def select(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        """The payload as this hook receives it (only its changes), or None to skip it."""
        name = (payload.get("source") or {}).get("name", "")
        if self.sources and not any(fnmatch.fnmatchcase(name, p) for p in self.sources):
            return None
        if payload.get("kind") != "changes":
            return copy.deepcopy(payload) if self.health else None
        changes = [c for c in payload.get("changes", []) if self._wants(c)]
        if not changes:
            return None
        out = copy.deepcopy(payload)
        out["changes"] = changes
        return out

    def _wants(self, change: dict[str, Any]) -> bool:
        if self.min_significance == "significant" and not change.get("significant"):
            return False
        if self.categories and change.get("category") not in self.categories:
            return False
        return not self.kinds or change.get("kind") in self.kinds


class Hook:
    """Base class of hook kinds; subclasses set ``kind``, ``options`` and ``send``."""

    registry: ClassVar[dict[str, type[Hook]]] = {}
    kind: ClassVar[str]
    options: ClassVar[dict[str, Option]] = {}
    timeout: float = 30.0  # seconds one delivery may take; bounds the delivery lease

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        Hook.registry[cls.kind] = cls

    def __init__(self, name: str, opts: dict[str, Any], filters: Filters) -> None:
        self.name = name
        self.filters = filters
        for key, value in opts.items():
            setattr(self, key, value)

    def check(self, where: ConfigErrorFactory) -> None:
        """Validate option values beyond their types (override; raise via ``where``)."""

    def send(self, payload: dict[str, Any]) -> str:
        """Deliver one payload; return a short note, raise HookError on failure."""
        raise NotImplementedError


class ConfigErrorFactory:
    """Builds ConfigErrors that name the file and the hook."""

    def __init__(self, file: str, hook: str) -> None:
        self.file, self.hook = file, hook

    def __call__(self, key: str | None, message: str) -> ConfigError:
        where = f"hook '{self.hook}'" + (f", key '{key}'" if key else "")
        exc = ConfigError(self.file, None, f"{where}: {message}")
        exc.key = f"hook.{self.hook}.{key}" if key else f"hook.{self.hook}"
        return exc


def build_hooks(tables: list[dict[str, Any]], file: str) -> list[Hook]:
    """Hooks from the ``[[hook]]`` tables; the stdout hook when there are none."""
    if not tables:
        return [Hook.registry["stdout"]("stdout", {}, Filters())]
    hooks: list[Hook] = []
    for i, table in enumerate(tables):
        hook = build_hook(table, file, i)
        if any(h.name == hook.name for h in hooks):
            raise ConfigError(file, f"hook[{i}].name", f"duplicate hook name '{hook.name}'")
        hooks.append(hook)
    return hooks


def build_hook(table: dict[str, Any], file: str, index: int) -> Hook:
    """One hook from its table, with every key checked."""
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(file, f"hook[{index}].name", "required, a non-empty string")
    err = ConfigErrorFactory(file, name)
    kind = table.get("kind")
    if kind not in Hook.registry:
        allowed = ", ".join(sorted(Hook.registry))
        raise err("kind", f"{'unknown kind' if kind else 'required'}; allowed: {allowed}")
    cls = Hook.registry[kind]
    declared = {**COMMON, **cls.options}
    unknown = [k for k in table if k not in declared]
    if unknown:
        raise err(unknown[0], f"unknown key; allowed: {', '.join(sorted(declared))}")
    values = {k: _value(err, k, opt, table) for k, opt in declared.items()}
    filters = Filters(**{k: values.pop(k) for k in list(values) if k in Filters.__annotations__})
    _check_filters(err, filters)
    del values["name"], values["kind"]
    hook = cls(name, values, filters)
    hook.check(err)
    return hook


def _value(err: ConfigErrorFactory, key: str, opt: Option, table: dict[str, Any]) -> Any:
    if key not in table:
        if opt.required:
            raise err(key, f"required ({opt.help})" if opt.help else "required")
        return copy.deepcopy(opt.default)
    value = table[key]
    if opt.type is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, opt.type) or (isinstance(value, bool) and opt.type is not bool):
        raise err(key, f"must be {_type_name(opt.type)}")
    if opt.items is not None:
        items = value.values() if isinstance(value, dict) else value
        if not all(isinstance(v, opt.items) for v in items):
            raise err(key, f"every item must be {_type_name(opt.items)}")
    return value


def _type_name(t: type | tuple[type, ...]) -> str:
    names = {str: "a string", list: "a list", dict: "a table", bool: "true or false"}
    names |= {float: "a number", int: "a whole number"}
    if isinstance(t, tuple):
        return " or ".join(names.get(x, x.__name__) for x in t)
    return names.get(t, t.__name__)


def _check_filters(err: ConfigErrorFactory, f: Filters) -> None:
    if f.min_significance not in SIGNIFICANCE:
        raise err("min_significance", f"must be one of: {', '.join(SIGNIFICANCE)}")
    bad = [k for k in f.kinds if k not in CHANGE_KINDS]
    if bad:
        raise err("kinds", f"unknown kind '{bad[0]}'; allowed: {', '.join(CHANGE_KINDS)}")

"""Alert payloads: the JSON a hook receives, its readable form, and a sample for testing.

Schema ``claimwatch.alert/1`` (documented in the README): every payload has ``schema``,
``kind`` (changes | source_failing | source_recovered), ``idempotency_key``, ``source``
({name, url}) and ``detected_at``; the other keys depend on the kind.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

SCHEMA = "claimwatch.alert/1"


def encode(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def key(*parts: object) -> str:
    """An idempotency key: the same parts always give the same key."""
    return hashlib.sha256(":".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def health_payload(
    kind: str, source: Any, streak: tuple[int, str], detected_at: str
) -> dict[str, Any]:
    """A source_failing or source_recovered payload for one failure streak."""
    fetch_id, since = streak
    payload: dict[str, Any] = {
        "schema": SCHEMA,
        "kind": kind,
        "idempotency_key": key(kind, source.name, fetch_id),
        "source": {"name": source.name, "url": source.url},
        "detected_at": detected_at,
        "failing_since": since,
        "streak": fetch_id,
    }
    if kind == "source_failing":
        payload["consecutive_failures"] = source.consecutive_failures
        payload["last_error"] = source.last_error
    return payload


def title(payload: dict[str, Any]) -> str:
    """A one-line summary of an alert."""
    name = payload.get("source", {}).get("name", "?")
    kind = payload.get("kind")
    if kind == "source_failing":
        n = payload.get("consecutive_failures")
        return f"claimwatch: {name} is failing ({n} fetches in a row)"
    if kind == "source_recovered":
        return f"claimwatch: {name} recovered"
    changes = payload.get("changes", [])
    sig = sum(1 for c in changes if c.get("significant"))
    versions = f"v{payload.get('from_version')} → v{payload.get('to_version')}"
    plural = "" if len(changes) == 1 else "s"
    return f"claimwatch: {name} {versions}: {len(changes)} claim change{plural} ({sig} significant)"


def markdown(payload: dict[str, Any]) -> str:
    """The alert as a short Markdown message."""
    src = payload.get("source", {})
    lines = [f"**{src.get('name')}** — {src.get('url')}", ""]
    kind = payload.get("kind")
    if kind == "source_failing":
        lines.append(f"Failing since {payload.get('failing_since')}: {payload.get('last_error')}")
    elif kind == "source_recovered":
        lines.append(f"Fetched again at {payload.get('detected_at')}")
        lines.append(f"(failing since {payload.get('failing_since')}).")
    for c in payload.get("changes", []):
        tag = "significant" if c.get("significant") else "minor"
        lines.append(f"- **{c.get('kind')}** ({tag}, {c.get('category')}): {c.get('reason')}")
        if c.get("old_text"):
            lines.append(f"  - was: {_quote(c['old_text'])}")
        if c.get("new_text"):
            lines.append(f"  - now: {_quote(c['new_text'])}")
    return "\n".join(lines).rstrip() + "\n"


def _quote(text: str) -> str:
    return "“" + " ".join(text.split()) + "”"


def sample(hook: str, now: str) -> dict[str, Any]:
    """A realistic changes payload for ``hooks test`` (marked as a test)."""
    return {
        "schema": SCHEMA,
        "kind": "changes",
        "test": True,
        "idempotency_key": key("test", hook, now),
        "source": {"name": "claimwatch-test", "url": "https://example.org/claimwatch-test"},
        "from_version": 1,
        "to_version": 2,
        "detected_at": now,
        "changes": [
            {
                "kind": "changed",
                "significant": True,
                "reason": "number: a million → three million",
                "old_text": "North Korea has sent over a million shells to Russia.",
                "new_text": "North Korea has sent over three million shells to Russia.",
                "category": "military",
            }
        ],
    }

#!/usr/bin/env python3
"""Score extract + claims + diff against the evaluation kit without a server.

    python scripts/eval_offline.py [--kit /work/shared/eval] [--sets public,public-hard] [-v]

Walks each source's revisions the way run_eval.py does (round k = revision min(k, last), plus one
unchanged re-crawl), applies the pipeline's guards (fetch errors, empty/short text, claim-count
collapse keep the last good version as the baseline) and prints the kit's own score table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimwatch.crawler.extract import extract  # noqa: E402
from claimwatch.differ import Topic, diff_claims, extract_claims, load_topic  # noqa: E402

MIN_TEXT_RATIO = 0.25  # guard 1: text under 25 % of the previous version's length is a failure
MIN_CLAIM_RATIO = 0.5  # guard 2: claim count under half the previous (>= 4) is a failure


class SourceState:
    """The last good version of one source, as the pipeline keeps it."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.claims: list = []
        self.seen_hashes: set[str] = set()

    def crawl(self, html: str | None, topic: Topic) -> list[dict]:
        """One crawl: the reports (possibly none) for this fetch."""
        if html is None:
            return []  # fetch error (status != 200)
        text = extract(html).text
        if not text or (self.text and len(text) < MIN_TEXT_RATIO * len(self.text)):
            return []
        claims = extract_claims(text, topic)
        if self.text is None:
            self._accept(text, claims)
            return []
        if len(self.claims) >= 4 and len(claims) < MIN_CLAIM_RATIO * len(self.claims):
            return []
        current = {c.norm_hash for c in self.claims}
        changes = diff_claims(self.claims, claims, removed_before=self.seen_hashes - current)
        self._accept(text, claims)
        return [
            {
                "kind": c.kind,
                "old": c.old.text if c.old else None,
                "new": c.new.text if c.new else None,
                "significant": c.significant,
                "reason": c.reason,
            }
            for c in changes
        ]

    def _accept(self, text: str, claims: list) -> None:
        self.text, self.claims = text, claims
        self.seen_hashes.update(c.norm_hash for c in claims)


def _fetch(source_dir: Path, spec: str | dict) -> str | None:
    if isinstance(spec, str):
        return (source_dir / spec).read_text(encoding="utf-8")
    if spec.get("status", 200) != 200 or not spec.get("file"):
        return None
    return (source_dir / spec["file"]).read_text(encoding="utf-8")


def run_set(setdir: Path, score: ModuleType, topic: Topic) -> tuple[dict, dict]:
    """Reports per source in run_eval.py's shape."""
    labels = score.load_labels(str(setdir))
    nrev = {n: len(lab["revisions"]) for n, lab in labels.items()}
    rounds = max(nrev.values()) + 1
    reports: dict[str, list] = {n: [] for n in labels}
    states = {n: SourceState() for n in labels}
    prev = None
    for k in range(rounds):
        state = {n: min(k, nrev[n] - 1) for n in labels}
        for n, lab in labels.items():
            html = _fetch(setdir / n, lab["revisions"][state[n]])
            changes = states[n].crawl(html, topic)
            frm = None if prev is None else prev[n]
            reports[n].append({"from": frm, "to": state[n], "changes": changes})
        prev = state
    return labels, reports


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kit", default=os.environ.get("EVAL_KIT", "/work/shared/eval"))
    ap.add_argument("--sets", default="public,public-hard")
    ap.add_argument("--topic", default=str(ROOT / "claimwatch" / "seeds" / "topic.toml"))
    ap.add_argument("--out", help="write reports and scores as JSON")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    sys.path.insert(0, a.kit)
    import score  # the kit's scorer

    topic = load_topic(Path(a.topic).read_text(encoding="utf-8"))
    dump = {}
    for name in a.sets.split(","):
        labels, reports = run_set(Path(a.kit) / name, score, topic)
        per_source = score.score_run(labels, reports)
        summary = score.summarize(per_source)
        print(f"=== {name}")
        print(score.format_table(summary, per_source, verbose=a.verbose))
        if a.verbose:
            _print_minor(reports)
        dump[name] = {"reports": reports, "scores": score._jsonable(per_source, summary)}
    if a.out:
        Path(a.out).write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _print_minor(reports: dict) -> None:
    for n, rows in reports.items():
        for r in rows:
            for c in r["changes"]:
                flag = "SIG  " if c["significant"] else "minor"
                print(f"  {flag} {n} {r['from']}->{r['to']} [{c['kind']}] {c['reason']}")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark the differ (not a test): alignment at scale, one article end to end, vs difflib.

PYTHONPATH=. python bench/bench_differ.py
"""

from __future__ import annotations

import difflib
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimwatch.crawler.extract import extract  # noqa: E402
from claimwatch.differ import diff_claims, extract_claims, load_topic  # noqa: E402

TOPIC = load_topic((ROOT / "claimwatch" / "seeds" / "topic.toml").read_text(encoding="utf-8"))
WORDS = [
    "arms",
    "oil",
    "troops",
    "shells",
    "treaty",
    "summit",
    "rail",
    "bridge",
    "sanctions",
    "fuel",
    "food",
    "port",
    "drills",
    "missiles",
    "workers",
    "satellite",
    "launch",
    "veto",
    "panel",
    "cargo",
    "ships",
    "border",
    "tourists",
    "ammunition",
    "technology",
]
EDITS = [
    ("Russia sent", "Russia did not send"),
    (" in batch ", " in about batch "),
    ("North Korea", "the DPRK"),
]


def corpus(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return [
        f"Russia sent North Korea {' '.join(rnd.choice(WORDS) for _ in range(10))} in batch {i}."
        for i in range(n)
    ]


def bench_alignment(n: int, share: float = 0.05) -> tuple[float, int]:
    texts = corpus(n, n)
    old = extract_claims("\n\n".join(texts), TOPIC)
    rnd = random.Random(1)
    for k, i in enumerate(rnd.sample(range(n), int(n * share))):
        a, b = EDITS[k % len(EDITS)]
        texts[i] = texts[i].replace(a, b)
    rnd.shuffle(texts)
    new = extract_claims("\n\n".join(texts), TOPIC)
    t0 = time.perf_counter()
    changes = diff_claims(old, new)
    return time.perf_counter() - t0, len(changes)


def article(seed: int, n_words: int = 1000) -> str:
    rnd = random.Random(seed)
    paras, count = [], 0
    while count < n_words:
        sents = []
        for _ in range(4):
            body = " ".join(rnd.choice(WORDS) for _ in range(12))
            who = rnd.choice(["Russia", "North Korea", "Moscow", "Pyongyang", "Kim Jong Un"])
            sents.append(f"{who} reportedly moved {rnd.randint(2, 900)} {body}.")
            count += 16
        paras.append("<p>" + " ".join(sents) + "</p>")
    nav = "<nav><a>Home</a><a>World</a></nav><aside class='sidebar'><p>Popular</p></aside>"
    body = f"<main><article><h1>Title</h1>{''.join(paras)}</article></main>"
    return f"<html><body>{nav}{body}</body></html>"


def bench_article(runs: int = 40) -> tuple[float, float, int]:
    """Median wall and CPU time of extract + claims + diff for one changed article."""
    old_html = article(3)
    new_html = old_html.replace("reportedly moved 1", "moved 7", 3).replace("</p><p>", "</p>\n<p>")
    old_claims = extract_claims(extract(old_html).text, TOPIC)
    wall, cpu, n = [], [], 0
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        new_claims = extract_claims(extract(new_html).text, TOPIC)
        n = len(diff_claims(old_claims, new_claims))
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu), n


def bench_difflib(n: int = 150) -> tuple[float, float]:
    """All-pairs difflib on n x n sentences vs this differ on the same input."""
    a, b = corpus(n, 5), corpus(n, 6)
    t0 = time.perf_counter()
    for x in a:
        for y in b:
            difflib.SequenceMatcher(None, x, y).ratio()
    t_difflib = time.perf_counter() - t0
    old = extract_claims("\n\n".join(a), TOPIC)
    new = extract_claims("\n\n".join(b), TOPIC)
    t0 = time.perf_counter()
    diff_claims(old, new)
    return t_difflib, time.perf_counter() - t0


def main() -> int:
    for n in (1000, 5000):
        secs, changes = bench_alignment(n)
        print(f"alignment {n}x{n} claims, 5% edited: {secs * 1000:.0f} ms ({changes} changes)")
    words = len(re.sub(r"<[^>]+>", " ", article(3)).split())
    old = extract_claims("\n\n".join(corpus(2000, 1)), TOPIC)
    new = extract_claims("\n\n".join(corpus(2000, 2)), TOPIC)
    t0 = time.perf_counter()
    n = len(diff_claims(old, new))
    print(f"worst case, 2000x2000 unrelated claims: {time.perf_counter() - t0:.1f} s ({n} changes)")
    med, cpu, changes = bench_article()
    print(
        f"one {words}-word article, extract+claims+diff: median {med * 1000:.1f} ms wall, "
        f"{cpu * 1000:.1f} ms CPU ({changes} changes)"
    )
    t_dl, t_us = bench_difflib()
    print(
        f"all-pairs difflib 150x150 (unrelated sentences): {t_dl * 1000:.0f} ms; differ on the "
        f"same input: {t_us * 1000:.0f} ms; ratio {t_dl / max(t_us, 1e-9):.0f}x"
    )
    print(f"  (difflib extrapolated to 2,000x2,000: ~{t_dl * (2000 / 150) ** 2:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

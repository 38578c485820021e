"""Claim extraction in worker processes gives exactly the inline result."""

from __future__ import annotations

from claimwatch.config import DEFAULT_TOPIC
from claimwatch.differ import load_topic
from claimwatch.workers import PARALLEL_MIN, ClaimExtractor, chunks
from tests.site import PARAGRAPHS


def test_pool_and_inline_extraction_agree():
    topic_text = DEFAULT_TOPIC.read_text(encoding="utf-8")
    topic = load_topic(topic_text)
    texts = ["\n\n".join(PARAGRAPHS[i % 6 :] + PARAGRAPHS[: i % 6]) for i in range(PARALLEL_MIN)]
    with ClaimExtractor(topic_text, topic, 1) as inline:
        assert inline.pool is None
        expected = list(inline.map(texts))
    with ClaimExtractor(topic_text, topic, len(texts)) as pooled:
        assert pooled.pool is not None
        got = list(pooled.map(texts))
    assert [[c.text for c in cs] for cs in got] == [[c.text for c in cs] for cs in expected]
    assert all(len(cs) >= 5 for cs in got)


def test_chunks_cover_everything_in_order():
    assert [list(c) for c in chunks(list(range(7)), 3)] == [[0, 1, 2], [3, 4, 5], [6]]

"""Unit tests: sentence splitting, topic loading, facets, alignment at scale, inline diff."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from claimwatch.differ import (
    Claim,
    diff_claims,
    extract_claims,
    inline_diff,
    load_topic,
    normalise,
)
from claimwatch.differ.text import split_blocks, split_sentences

ROOT = Path(__file__).resolve().parents[1]
TOPIC_TEXT = (ROOT / "claimwatch" / "seeds" / "topic.toml").read_text(encoding="utf-8")
TOPIC = load_topic(TOPIC_TEXT)


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        pytest.param(
            "The U.S. imposed sanctions. Russia objected.",
            ["The U.S. imposed sanctions.", "Russia objected."],
            id="us-abbreviation",
        ),
        pytest.param(
            "Talks with the U.S. The next round is in May.",
            ["Talks with the U.S.", "The next round is in May."],
            id="us-at-sentence-end",
        ),
        pytest.param(
            "Mr. Putin met Kim Jong-un. They talked for 2.5 hours.",
            ["Mr. Putin met Kim Jong-un.", "They talked for 2.5 hours."],
            id="mr-hyphen-decimal",
        ),
        pytest.param("1. What are the motivations?", ["What are the motivations?"], id="numbered"),
        pytest.param(
            "• Arms Trade: Russia sells arms.", ["Arms Trade: Russia sells arms."], id="bullet"
        ),
        pytest.param(
            "Military Cooperation\nRussia and North Korea held drills.",
            ["Military Cooperation", "Russia and North Korea held drills."],
            id="heading-line",
        ),
        pytest.param(
            "He said: “It prolongs the war. These transfers breach resolutions.”",
            ["He said: “It prolongs the war.", "These transfers breach resolutions.”"],
            id="quoted-sentences",
        ),
        pytest.param("Posted by J. Han at noon.", ["Posted by J. Han at noon."], id="initial"),
        pytest.param(
            "Ships docked near Nakhodka.[3] Crews stayed aboard.",
            ["Ships docked near Nakhodka.[3]", "Crews stayed aboard."],
            id="footnote",
        ),
        pytest.param(
            "Ships docked in 2024.[3][4]Crews stayed aboard.",
            ["Ships docked in 2024.[3][4]", "Crews stayed aboard."],
            id="footnotes-glued",
        ),
        pytest.param(
            "Ships docked.[citation needed] Crews stayed.",
            ["Ships docked.[citation needed]", "Crews stayed."],
            id="citation-needed",
        ),
        pytest.param(
            "Ships docked in May.² Crews stayed.",
            ["Ships docked in May.²", "Crews stayed."],
            id="superscript",
        ),
    ],
)
def test_split_sentences(block: str, expected: list[str]) -> None:
    assert split_sentences(block) == expected


def test_split_blocks_keeps_lines_together() -> None:
    assert split_blocks("a\nb\n\n\nc") == ["a\nb", "c"]


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        pytest.param("[topic]\nname = 'x'\n", "actors", id="no-actors"),
        pytest.param("[actors.r]\nlabel = 'R'\n", "actors.r.aliases", id="no-aliases"),
        pytest.param("[actors.r]\naliases = [1]\n", "actors.r.aliases", id="alias-not-string"),
        pytest.param(
            "[actors.r]\naliases = ['R']\n[cues.x]\nwords = 'w'\n", "cues.x.words", id="cue"
        ),
        pytest.param(
            "[actors.r]\naliases = ['R']\n[noise]\npatterns = ['(']\n", "noise.patterns[0]", id="re"
        ),
        pytest.param(
            "[topic]\nmin_actor_mentions = -1\n[actors.r]\naliases = ['R']\n",
            "topic.min_actor_mentions",
            id="negative",
        ),
        pytest.param("actors = [", "(document)", id="bad-toml"),
        pytest.param("actors = 3\n", "actors", id="actors-not-table"),
        pytest.param(
            "[actors.r]\naliases = ['R']\n[places.p]\naliases = ['P']\n", "places.p.side", id="side"
        ),
        pytest.param(
            "[actors.r]\naliases = ['R']\n[places.p]\nside = 'q'\naliases = ['P']\n",
            "places.p.side",
            id="unknown-side",
        ),
    ],
)
def test_load_topic_errors(toml: str, key: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(f"key '{key}'")):
        load_topic(toml)


def test_noise_patterns_keep_their_meaning_when_merged() -> None:
    topic = load_topic(
        '[actors.a]\naliases = ["Aland"]\n[noise]\npatterns = ["\\\\bfoo|bar", "\\\\bbaz\\\\b"]'
    )
    (noise,) = topic.noise
    assert noise.search("xbar") and noise.search("a foo") and noise.search("Baz!")
    assert not noise.search("xfoo") and not noise.search("xbaz")


def test_noise_patterns_match_regardless_of_case_with_upper_case_classes_too() -> None:
    topic = load_topic(
        '[actors.a]\naliases = ["Aland"]\n[noise]\n'
        'patterns = ["\\\\bsign up\\\\b", "follow [A-Z]\\\\w+ on", "\\\\Wad\\\\W"]'
    )

    def noisy(text: str) -> bool:
        return any(n.search(text) for n in topic.noise)

    assert noisy("SIGN UP for our newsletter") and noisy("Sign Up today")
    assert noisy("Follow Reuters on X") and noisy("follow reuters on x")
    assert noisy("an AD here") and not noisy("Aland signed up")
    assert not noisy("adverts") and not noisy("they follow rules")


def test_load_topic_ok() -> None:
    assert TOPIC.is_actor("russia") and not TOPIC.is_actor("china")
    assert TOPIC.labels["north_korea"] == "North Korea"
    assert TOPIC.is_relevant("nampo") and not TOPIC.is_actor("nampo")
    assert not TOPIC.is_relevant("china")


def _claim(text: str) -> Claim:
    ctx = "Russia and North Korea signed a pact. Moscow sends oil to Pyongyang. The DPRK trades."
    claims = extract_claims(ctx + "\n\n" + text, TOPIC)
    assert claims[-1].text == text
    return claims[-1]


def test_facets_numbers_dates_actors() -> None:
    f = _claim(
        "Kim Jong Un met Putin on 13 September 2023, and eleven thousand troops followed."
    ).facets
    assert f["numbers"] == ["13", "2023", "eleven thousand"]
    assert f["dates"] == ["September"]
    assert f["actors"] == ["kim_jong_un", "putin"]
    assert f["negations"] == 0
    json.dumps(f)  # JSON-serialisable


def test_facets_hedges_and_negation() -> None:
    f = _claim("Analysts note that Russia has reportedly not yet paid North Korea.").facets
    assert f["hedges"]["evidential"] == ["reportedly"]
    assert f["hedges"]["attribution"] == ["note"]
    assert f["negations"] == 1
    assert _claim("Russia has yet to pay North Korea for the shells.").facets["negations"] == 1


def test_normalise_folds_format_not_meaning() -> None:
    assert normalise("More than 11,000 troops.") == normalise("more than eleven thousand  troops")
    assert normalise("a million") == normalise("one million")
    assert normalise("Defence") == normalise("defense")
    assert normalise("ten troops") != normalise("twenty troops")


def test_offtopic_and_furniture_are_not_claims() -> None:
    text = (
        "Russia and North Korea signed a pact. Moscow sends oil to Pyongyang. "
        "Russia trades with the DPRK."
        "\n\nSeparately, global oil prices rose for a third consecutive week on supply concerns."
        "\n\nSubscribe to our newsletter for daily updates on Russia and North Korea."
        "\n\nLast updated: 14-02-2025"
    )
    assert [c.text for c in extract_claims(text, TOPIC)] == [
        "Russia and North Korea signed a pact.",
        "Moscow sends oil to Pyongyang.",
        "Russia trades with the DPRK.",
    ]


def test_context_claim_without_actor() -> None:
    text = (
        "Russia and North Korea deepened military ties. Moscow ships oil to Pyongyang."
        " The DPRK sends shells to Russia.\n\nIt may disrupt the balance of power in Asia."
    )
    assert len(extract_claims(text, TOPIC)) == 4
    # a page that barely names the parties gets no context-only claims
    assert len(extract_claims(text.split("\n\n")[1], TOPIC)) == 0


def _corpus(n: int, seed: int) -> list[Claim]:
    rnd = random.Random(seed)
    words = ["arms", "oil", "troops", "shells", "treaty", "summit", "rail", "bridge"]
    words += ["sanctions", "fuel", "food", "port", "drills"]
    lines = []
    for i in range(n):
        picked = " ".join(rnd.choice(words) for _ in range(8))
        lines.append(f"Russia sent North Korea {picked} in batch {i}.")
    ctx = "\n\n".join(lines)
    return extract_claims(ctx, TOPIC)


def test_alignment_scale_5000() -> None:
    old = _corpus(5000, 1)
    assert len(old) == 5000
    texts = [c.text for c in old]
    rnd = random.Random(7)
    edited = set(rnd.sample(range(5000), 250))
    for i in edited:
        texts[i] = texts[i].replace("Russia sent", "Russia did not send")
    rnd.shuffle(texts)  # reordering is never a change
    new = extract_claims("\n\n".join(texts), TOPIC)
    changes = diff_claims(old, new)
    assert len(changes) == 250
    assert all(c.kind == "changed" and c.significant for c in changes)
    assert all(c.reason.startswith("polarity flipped") for c in changes)


def test_inline_diff() -> None:
    ops = inline_diff("Russia sent a million shells.", "Russia sent three million shells.")
    assert ops == [
        ("equal", "Russia sent "),
        ("delete", "a"),
        ("insert", "three"),
        ("equal", " million shells."),
    ]
    assert "".join(t for op, t in ops if op != "insert") == "Russia sent a million shells."


def test_claim_hash_is_hash_of_normalise() -> None:
    from claimwatch.crawler.extract import extract
    from claimwatch.differ.text import norm_hash

    for path in sorted((ROOT / "claimwatch" / "seeds").glob("*.html")):
        for claim in extract_claims(extract(path.read_text(encoding="utf-8")).text, TOPIC):
            assert claim.norm_hash == norm_hash(claim.text), claim.text


def test_facets_and_details_are_json() -> None:
    old = extract_claims(
        "Russia sent a million shells to North Korea. Moscow hosted Kim in 2023. "
        "Russia and the DPRK trade oil, and they plan more.",
        TOPIC,
    )
    new = extract_claims(
        "Russia reportedly sent three million shells to North Korea. Kim hosted Putin in 2024. "
        "Russia and the DPRK trade oil. They plan more.",
        TOPIC,
    )
    changes = diff_claims(old, new)
    assert changes
    for c in changes:
        json.dumps(c.detail)
        for claim in (c.old, c.new):
            if claim is not None:
                json.dumps(claim.facets)
    assert any("values_changed" in c.detail for c in changes)


@pytest.mark.parametrize(
    "box",
    [
        "Get an email whenever Elena Vasquez-Park publishes a new essay on Russia and China.",
        "Follow Elena Vasquez-Park for weekly essays on Russia and the Korean Peninsula.",
        "Receive the Ministry's press releases on Russia by e-mail on the day they are published.",
        "This article was last updated on 2 June 2025 and may not reflect Russia's latest moves.",
        "Geopedia is funded by readers: please consider a small donation to cover North Korea.",
    ],
)
def test_in_body_boxes_are_not_claims(box: str) -> None:
    ctx = (
        "Russia and North Korea signed a pact. Moscow sends oil to Pyongyang. Kim sells more coal."
    )
    assert len(extract_claims(ctx + "\n\n" + box, TOPIC)) == 3


def test_claims_without_facets_still_compare() -> None:
    old = [Claim("Russia sent ten shells to North Korea.", 0, "a", "arms")]
    new = [Claim("Russia sent twenty shells to North Korea.", 0, "b", "arms")]
    changes = diff_claims(old, new)
    assert [(c.kind, c.significant) for c in changes] == [("changed", True)]


def test_claims_survive_a_json_round_trip() -> None:
    from dataclasses import asdict

    text = (
        "Russia sent a million shells to North Korea. Putin hosted Kim in 2023, and they "
        "signed a treaty.\n\nThe treaty entered into force in December. Moscow ships oil."
    )
    edited = text.replace("a million", "two million").replace(", and they", ". They")
    stored = [Claim(**json.loads(json.dumps(asdict(c)))) for c in extract_claims(text, TOPIC)]
    fresh = extract_claims(text, TOPIC)
    new = extract_claims(edited, TOPIC)
    as_tuples = [
        [(c.kind, c.significant, c.reason) for c in diff_claims(o, new)] for o in (stored, fresh)
    ]
    assert as_tuples[0] == as_tuples[1]
    assert ("changed", True, "number: a million → two million") in as_tuples[0]

"""``claims --search``: full-text search over current and past claims, ranked by bm25."""

from __future__ import annotations

import pytest

from tests.conftest import CW
from tests.site import Site, article

DENSE = "Russia received artillery shells and more artillery shells from North Korea."
LONG = (
    "North Korea sent artillery shells to Russia, along with missiles, engineers, labourers, "
    "rocket launchers and a long list of other military supplies over the past two years."
)
SHELLS_ONLY = "Russia says the shells North Korea sent were old."
DROPPED = "Russia and North Korea discussed a shell factory near Wonsan in secret talks."
OTHER = "Putin and Kim Jong Un toasted the treaty with Russian vodka in Pyongyang."
SENTENCES = (DENSE, LONG, SHELLS_ONLY, DROPPED, OTHER)


@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory):
    """Two sources; 'ties' drops one claim in its second version."""
    site = Site().start()
    cw = CW(tmp_path_factory.mktemp("search"))
    site.set("/ties", article([LONG, DROPPED, OTHER]))
    site.set("/wire", article([DENSE, SHELLS_ONLY, OTHER]))
    cw.write_sources({"ties": site.url("/ties"), "wire": site.url("/wire")})
    cw("crawl")
    site.set("/ties", article([LONG, OTHER]))
    cw("crawl")
    yield cw
    site.stop()


def hits(cw: CW, *args: str) -> list[dict]:
    """Search results; each text is cut to the known sentence it contains (titles may join)."""
    found = cw.json("claims", "--format", "json", "--search", *args)["claims"]
    for h in found:
        h["text"] = next((s for s in SENTENCES if s in h["text"]), h["text"])
    return found


def test_search_finds_every_word_and_ranks_denser_claims_first(searched):
    found = hits(searched, "artillery shells")
    assert [h["text"] for h in found] == [DENSE, LONG]
    assert [h["source"] for h in found] == ["wire", "ties"]


def test_search_stems_words(searched):
    texts = {h["text"] for h in hits(searched, "shell")}
    assert {DENSE, LONG, SHELLS_ONLY} <= texts


def test_history_adds_past_claims_with_when_first_seen(searched):
    assert DROPPED not in {h["text"] for h in hits(searched, "factory")}
    past = hits(searched, "factory", "--history")
    assert [h["text"] for h in past] == [DROPPED]
    assert past[0]["current"] is False and past[0]["version"] == 1
    assert past[0]["first_version"] == 1 and past[0]["first_seen"].startswith("20")
    kept = [h for h in hits(searched, "treaty vodka", "--history") if h["source"] == "ties"]
    assert kept and kept[0]["current"] is True
    assert kept[0]["version"] == 2 and kept[0]["first_version"] == 1


def test_source_and_category_filters(searched):
    assert {h["source"] for h in hits(searched, "shells", "--source", "ties")} == {"ties"}
    assert {h["source"] for h in hits(searched, "shells", "wire")} == {"wire"}
    category = hits(searched, "shells")[0]["category"]
    same = hits(searched, "shells", "--category", category)
    assert same and all(h["category"] == category for h in same)
    assert hits(searched, "shells", "--category", "no-such-category") == []


@pytest.mark.parametrize("query", ['shells OR "', "NEAR(shells", "shells*", "-shells", "AND"])
def test_search_syntax_typed_by_users_is_searched_as_words(searched, query):
    result = searched("claims", "--search", query)
    assert "match" in result.stdout


def test_nothing_to_search_for_is_a_usage_error(searched):
    result = searched("claims", "--search", '" * "', ok=False)
    assert result.exit_code == 2 and "nothing to search for" in result.stderr


def test_text_output_marks_matches_without_control_codes(searched):
    out = searched("claims", "--search", "artillery", "--history").stdout
    assert "\x1b" not in out and "*artillery*" in out and "first seen" in out

"""Hard content: pages in Russian and Korean, and page text that tries to become markup
in reports and alert payloads. (The 50,000-sentence page is measured in test_faults_size.)"""

from __future__ import annotations

import io
import json
import re

import pytest

from claimwatch.report import Renderer, ReportData
from claimwatch.storage import Store
from tests import faultsite
from tests.site import PARAGRAPHS, article
from tests.test_faults import crawl_in_process

fsite, faulty = faultsite.fsite, faultsite.faulty  # fixtures

FILLER = ["weather", "market", "council", "river", "school", "bridge", "festival", "garden"]
ADDED = "North Korea sent twelve thousand soldiers to the Kursk region in October 2024."


def long_page(extra: str | None = None) -> str:
    """50,000 sentences in 1,000 paragraphs; one in a thousand is a claim."""
    sentences = [
        f"Russia shipped {i} tonnes of grain to North Korea through Rajin in batch {i}."
        if i % 1000 == 0
        else f"The {FILLER[i % len(FILLER)]} report number {i} was filed on time."
        for i in range(50_000)
    ]
    if extra:
        sentences.insert(25_000, extra)
    return article([" ".join(sentences[i : i + 50]) for i in range(0, len(sentences), 50)])


RUSSIAN = [
    "Россия и Северная Корея подписали договор о всеобъемлющем стратегическом партнёрстве"
    " в июне 2024 года.",
    "Договор предусматривает взаимную военную помощь в случае нападения на одну из сторон.",
    "По данным разведки Южной Кореи, КНДР отправила в Россию более миллиона артиллерийских"
    " снарядов.",
    "Тысячи северокорейских военных были направлены в Курскую область, сообщили в Киеве.",
]
KOREAN = [
    "러시아와 북한은 2024년 6월 포괄적 전략적 동반자 관계 조약을 체결했다.",
    "조약에는 한쪽이 공격을 받으면 상호 군사 지원을 제공한다는 조항이 포함되어 있다.",
    "한국 국가정보원은 북한이 러시아에 포탄 100만 발 이상을 보냈다고 밝혔다.",
    "북한군 수천 명이 러시아 쿠르스크 지역에 배치되었다고 우크라이나 당국이 밝혔다.",
]


@pytest.mark.parametrize(
    "paragraphs,legacy", [(RUSSIAN, "windows-1251"), (KOREAN, "euc-kr")], ids=["ru", "ko"]
)
def test_pages_in_other_languages_are_stored_and_extracted(faulty, fsite, paragraphs, legacy):
    html = article(paragraphs, title=paragraphs[0][:40], sidebar=[], comments=[])
    fsite.set("/page", html)
    faulty.write_sources({"page": fsite.url("/page")})
    crawl_in_process(faulty)
    shown = faulty("show", "page").stdout
    assert all(p in shown for p in paragraphs), shown
    faulty("claims", "page", "--format", "json")  # may be empty: not detected yet
    # The same text in the language's legacy charset is the same version.
    body = html.replace('charset="utf-8"', f'charset="{legacy}"').encode(legacy)
    fsite.set("/page", body, headers={"Content-Type": f"text/html; charset={legacy}"})
    crawl_in_process(faulty)
    with Store(faulty.db) as store:
        src = store.source("page")
        assert [v.version for v in store.snapshots(src.id)] == [1]
        assert store.fetches(src.id, 1)[0]["status"] == "unchanged"


INJECTIONS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[details](javascript:alert(1))",  # "click here" is page furniture, never a claim
    "[bold red]styled[/bold red]",
]
HOSTILE = [
    f"Russia told North Korea that {s} was fine in {i + 2020}." for i, s in enumerate(INJECTIONS)
]


@pytest.fixture
def hostile(faulty, fsite):
    """A source whose second version adds claims carrying HTML, Markdown and rich markup."""
    fsite.set("/page", article())
    faulty.write_sources({"page": fsite.url("/page")})
    crawl_in_process(faulty)
    escaped = [s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for s in HOSTILE]
    fsite.set("/page", article([*PARAGRAPHS, *escaped]))
    crawl_in_process(faulty)
    return faulty


def test_json_report_carries_injection_as_strings(hostile):
    changes = hostile.json("report", "--format", "json")["changes"]
    assert sorted(c["new_text"] for c in changes if c["kind"] == "added") == sorted(HOSTILE)


def test_alert_payload_carries_injection_as_strings(hostile):
    with Store(hostile.db) as store:
        payloads = [json.loads(row["payload"]) for row in store.db["alerts"].rows]
    texts = [c["new_text"] for p in payloads for c in p["changes"]]
    assert sorted(t for t in texts if t in HOSTILE) == sorted(HOSTILE)


def test_markdown_report_escapes_injection(hostile):
    out = hostile("report", "--format", "markdown").stdout
    unescaped = re.findall(r"(?<!\\)(<script|<img|\]\(javascript|\[bold)", out)
    assert unescaped == [], out
    assert out.count("alert\\(1\\)") == 3 and "styled" in out


def test_text_report_prints_injection_verbatim(hostile):
    out = hostile("report", "--format", "text").stdout
    for s in INJECTIONS:
        assert s in out, s  # rich markup in page text must not be interpreted


def test_html_report_escapes_injection(hostile):
    if "html" not in Renderer.registry:
        pytest.skip("no 'html' report format on this branch (built separately)")
    with Store(hostile.db) as store:
        rows = store.changes()
        data = ReportData(changes=rows, sources=store.sources())
    buf = io.StringIO()
    Renderer.get("html").write(data, buf)
    out = buf.getvalue()
    assert "<script>alert" not in out and "<img src=x" not in out
    assert "alert(1)" in out

"""Deterministic article pages for the benchmark site.

Each page is a 15-25 KB news article about the Russia-North Korea partnership wrapped in
realistic boilerplate (header, nav, "popular posts" sidebar, comments, footer). Everything
is derived from ``random.Random`` seeded with the page id, so every run of the benchmark
serves byte-identical pages. An *edit* replaces one article sentence; edit ``v`` of page
``i`` is itself seeded by ``(i, v)``.
"""

from __future__ import annotations

import html
import random

RUSSIAN = ("Russia", "Moscow", "the Kremlin", "Vladimir Putin", "Sergei Lavrov", "Sergei Shoigu")
KOREAN = ("North Korea", "Pyongyang", "Kim Jong Un", "Choe Son Hui", "the KCNA news agency")
SOURCES = (
    "South Korea's National Intelligence Service",
    "Ukrainian military intelligence",
    "US officials",
    "satellite imagery reviewed by analysts",
    "a UN panel of experts",
    "Japanese defence officials",
    "customs data",
    "two people familiar with the matter",
)
MILITARY = (
    "{a} has sent about {n:,} troops to fight alongside Russian forces in the Kursk region, "
    "according to {s}.",
    "{a} and {b} discussed joint military exercises near Vladivostok involving {n:,} personnel.",
    "Analysts say {a} is learning modern drone warfare from {b}, with {k} units rotated so far.",
    "{s} reported that {n:,} North Korean soldiers had been killed or wounded by {m}.",
    "Military cooperation between {a} and {b} expanded after the mutual defence clause took "
    "effect in {m} {y}.",
)
ARMS = (
    "{a} has shipped more than {n:,} containers of artillery shells to {b} since {m} {y}, "
    "{s} said.",
    "Debris recovered in Kharkiv matched KN-23 ballistic missiles supplied by {a}, "
    "according to {s}.",
    "{s} estimated that {a} delivered {n:,} rounds of 152mm ammunition in the last {k} months.",
    "In exchange for munitions, {a} is believed to be sharing satellite and submarine "
    "technology with {b}.",
    "{a} denied that any arms transfers to {b} had taken place, calling the reports fabricated.",
)
ECONOMIC = (
    "Trade between {a} and {b} rose by {k} percent in {y}, driven by oil and food shipments.",
    "{a} agreed to supply {b} with {n:,} tonnes of refined petroleum, above the UN cap.",
    "A new road bridge across the Tumen River will link {a} and {b} by {y}, officials said.",
    "Rail freight through the Khasan-Rajin link reached {n:,} tonnes in {m}, {s} said.",
    "{a} is recruiting thousands of workers from {b} for construction sites in the Far East.",
)
DIPLOMATIC = (
    "{a} and {b} signed a Comprehensive Strategic Partnership Treaty in June 2024.",
    "{a} hosted {b} for talks in {m} {y}, the {k}th high-level meeting this year.",
    "{a} vetoed the renewal of the UN panel monitoring sanctions on {b} in March 2024.",
    "Western governments warned that the partnership between {a} and {b} undermines "
    "UN Security Council resolutions.",
    "{a} praised {b} as a reliable ally at a banquet attended by {n:,} guests.",
    "China has kept a careful distance from the alignment between {a} and {b}, {s} noted.",
)
FILLER = (
    "Meanwhile, heavy rain is expected across the region for the rest of the week.",
    "The city's football team won its third consecutive match on Sunday.",
    "Local bakeries reported record sales ahead of the holiday weekend.",
    "A new exhibition of impressionist paintings opens at the museum on {m} {k}.",
    "Commuters faced delays of up to {k} minutes after a signal failure.",
    "Subscribers can read the full interview in our weekend magazine.",
    "Tickets for the concert sold out within {k} minutes of going on sale.",
)
TOPIC_POOLS = (MILITARY, ARMS, ECONOMIC, DIPLOMATIC)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")
MONTHS += ("September", "October", "November", "December")
HEADLINES = (
    "What the {a}-{b} pact means for the region",
    "Inside the arms pipeline between {a} and {b}",
    "How {a} is courting {b}",
    "The {y} partnership between {a} and {b}, explained",
    "{a} and {b} deepen ties as sanctions bite",
)
NAMES = ("Anna", "Min-jun", "Oleg", "Ji-woo", "Tom", "Sakura", "Pavel", "Lena", "Dae-ho", "Ivy")
NAV = ("World", "Asia", "Europe", "Politics", "Business", "Defence", "Opinion", "Science")
NAV += ("Culture", "Sport", "Travel", "Video", "Podcasts", "Newsletters", "Archive")
COMMENTS = (
    "This has been obvious for months, why is nobody talking about it?",
    "Great analysis, thanks for the detailed sourcing.",
    "I'd like to see more reporting on what China thinks about all this.",
    "Sanctions clearly aren't working if trade keeps growing like this.",
    "Can you link the original intelligence report?",
    "The map in the second section is really helpful.",
    "Not convinced the numbers are reliable, they come from one side of the war.",
)
STYLE = (
    "body{font-family:Georgia,serif;margin:0;color:#222}header,footer{background:#111;"
    "color:#eee;padding:12px 24px}nav a{margin-right:12px;color:#ccc}main{display:flex}"
    "article{flex:3;padding:24px;line-height:1.6}aside{flex:1;padding:24px;background:#f4f4f4}"
    ".comment{border-top:1px solid #ddd;padding:8px 0}.byline{color:#666;font-size:90%}"
)


def _fill(template: str, rng: random.Random) -> str:
    a, b = rng.choice(RUSSIAN), rng.choice(KOREAN)
    if rng.random() < 0.5:
        a, b = b, a
    return template.format(
        a=a,
        b=b,
        s=rng.choice(SOURCES),
        n=rng.randint(2, 120) * rng.choice((10, 100, 1000)),
        k=rng.randint(2, 60),
        m=rng.choice(MONTHS),
        y=rng.randint(2019, 2025),
    )


def make_sentence(rng: random.Random, on_topic: bool = True) -> str:
    """One generated sentence; on-topic ones come from a military/arms/economic/diplomatic pool."""
    pool = rng.choice(TOPIC_POOLS) if on_topic else FILLER
    text = _fill(rng.choice(pool), rng)
    return text[0].upper() + text[1:]


class Article:
    """The fixed skeleton of one page plus its current sentences (mutable via :meth:`edit`)."""

    def __init__(self, page_id: int) -> None:
        rng = random.Random(f"article:{page_id}")
        self.page_id = page_id
        self.title = _fill(rng.choice(HEADLINES), rng)
        self.author = f"{rng.choice(NAMES)} {rng.choice(('Kim', 'Petrov', 'Lee', 'Smith'))}"
        self.date = f"{rng.randint(2023, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        budget = rng.randint(11500, 19500)  # article text bytes: pages land at 15-25 KB
        self.sentences: list[str] = []
        while budget > 0:
            self.sentences.append(make_sentence(rng, on_topic=rng.random() < 0.8))
            budget -= len(self.sentences[-1]) + 1
        count = len(self.sentences)
        self.paragraphs: list[int] = []  # sentence count per paragraph
        left = count
        while left > 0:
            size = min(left, rng.randint(2, 5))
            self.paragraphs.append(size)
            left -= size
        self.popular = [rng.randrange(100000) for _ in range(8)]
        self.comments = [
            (rng.choice(NAMES), rng.randint(1, 59), rng.choice(COMMENTS))
            for _ in range(rng.randint(4, 9))
        ]
        self.version = 0

    def edit(self) -> int:
        """Replace one sentence (deterministic in page id and version); return the new version."""
        self.version += 1
        rng = random.Random(f"edit:{self.page_id}:{self.version}")
        index = rng.randrange(len(self.sentences))
        for _ in range(10):  # bounded: a collision with the old text is astronomically rare
            new = make_sentence(rng, on_topic=True)
            if new != self.sentences[index]:
                break
        self.sentences[index] = new
        return self.version

    def render(self) -> bytes:
        """The full HTML page as UTF-8 bytes."""
        esc = html.escape
        parts = [
            "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n",
            f"<title>{esc(self.title)} | The Northern Observer</title>\n",
            "<meta name='viewport' content='width=device-width, initial-scale=1'>\n",
            f"<style>{STYLE}</style>\n",
            '<script type="application/ld+json">{"@type":"NewsArticle","headline":'
            f'"{esc(self.title)}","datePublished":"{self.date}"}}</script>\n</head>\n<body>\n',
            "<header><a class='logo' href='/'>The Northern Observer</a>",
            "<form action='/search'><input name='q' placeholder='Search'></form></header>\n<nav>",
        ]
        parts += [f"<a href='/section/{n.lower()}'>{n}</a>" for n in NAV]
        parts.append("</nav>\n<main>\n<article>\n")
        parts.append(f"<h1>{esc(self.title)}</h1>\n")
        parts.append(f"<p class='byline'>By {esc(self.author)} | {self.date}</p>\n")
        pos = 0
        for size in self.paragraphs:
            text = " ".join(self.sentences[pos : pos + size])
            parts.append(f"<p>{esc(text)}</p>\n")
            pos += size
        parts.append("<section class='comments'><h2>Comments</h2>\n")
        for name, minutes, text in self.comments:
            parts.append(
                f"<div class='comment'><b>{name}</b> <time>{minutes} minutes ago</time>"
                f"<p>{esc(text)}</p><a href='#reply'>Reply</a></div>\n"
            )
        parts.append("</section>\n</article>\n<aside><h2>Popular posts</h2><ol>\n")
        for post in self.popular:
            title = _fill(HEADLINES[post % len(HEADLINES)], random.Random(post))
            parts.append(f"<li><a href='/article/{post}.html'>{esc(title)}</a></li>\n")
        parts.append("</ol><h2>Newsletter</h2><p>Get the morning briefing in your inbox.</p>")
        parts.append("</aside>\n</main>\n<footer><ul>")
        for link in ("About us", "Contact", "Careers", "Privacy", "Terms", "Cookies", "Advertise"):
            parts.append(f"<li><a href='/{link.lower().replace(' ', '-')}'>{link}</a></li>")
        parts.append("</ul><p>&copy; 2025 The Northern Observer. All rights reserved.</p>")
        parts.append("</footer>\n<script>window.dataLayer=window.dataLayer||[];</script>\n")
        parts.append("</body>\n</html>\n")
        return "".join(parts).encode("utf-8")


def page_path(page_id: int) -> str:
    """URL path of a page."""
    return f"/article/{page_id:05d}.html"


def changed_subset(n_pages: int, fraction: float) -> list[int]:
    """The deterministic set of page ids edited by a "change ``fraction``" step."""
    count = max(1, round(n_pages * fraction)) if fraction > 0 else 0
    order = list(range(n_pages))
    random.Random(f"subset:{n_pages}").shuffle(order)
    return sorted(order[:count])

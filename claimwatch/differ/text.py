"""Text primitives: blocks, sentences, tokens, number words, and the normalisation behind hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from claimwatch.differ.lexicon import CONTRACTIONS, american

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
        "\u00ad": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    }
)  # fmt: skip


_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT = re.compile(r"(?<=[^\W\d_]|[.,;:!?\"'”’)\]])[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?![⁰¹²³⁴⁵⁶⁷⁸⁹])")
# footnote and citation markers a reader skips: "[4]", "[a]", "[citation needed]", "[edit]",
# and a wire agency's credit "(Reuters)"
MARKER = re.compile(
    r"\[(?:\d{1,3}(?:[,–-]\s?\d{1,3})*|(?-i:[a-z]{1,2})|note \d{1,3}|n \d{1,3}|citation needed|"
    r"clarification needed|according to whom\?|who\?|when\?|dubious|edit|update)\]"
    r"|\((?:Reuters|AP|AFP|Yonhap|TASS|RIA|KCNA|Xinhua|Bloomberg|Kyodo|dpa|UPI)\)",
    re.I,
)


def plain(text: str) -> str:
    """NFKC, straight quotes, ASCII dashes, collapsed whitespace (case and words kept);
    superscript footnote digits glued to a word or a full stop are dropped."""
    if not text.isascii() and any(c in text for c in _SUPERSCRIPT_DIGITS):
        text = _SUPERSCRIPT.sub("", text)
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


# ---------------------------------------------------------------- blocks and sentences

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "sgt", "capt", "maj",
    "gov", "sen", "rep", "rev", "hon", "pres", "no", "nos", "vol", "vs", "etc", "e.g", "i.e",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc",
    "ltd", "co", "corp", "approx", "est", "fig", "art", "cf", "al", "adm", "cmdr", "amb", "dept",
    "univ", "ave", "mt", "ft", "p", "pp", "para", "ch", "sec",
}  # fmt: skip
_STARTERS = {
    "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "in",
    "on", "at", "but", "however", "and", "a", "an", "as", "after", "before", "when", "while",
    "since", "both", "there", "his", "her", "their", "our", "for", "if", "yet", "still", "by",
}  # fmt: skip
_TRAIL = r"(?:\[[^\]\n]{1,24}\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\((?:Reuters|AP|AFP|Yonhap|TASS|KCNA|Xinhua)\))"
_BOUNDARY = re.compile(
    rf"[.!?…]+(?:[\"'”’)\]]*{_TRAIL}*[\"'”’)]*(?=\s+[\"'“‘(\[]?[A-Z0-9•])"
    rf"|[\"'”’)]*{_TRAIL}+(?=[\"'“‘(]?[A-Z]))"
)
_BULLET = re.compile(r"^\s*(?:[•·▪◦●■□‣⁃*–—-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")


def split_blocks(text: str) -> list[str]:
    """Blocks are separated by blank lines; a block's own lines stay together."""
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def split_sentences(block: str) -> list[str]:
    """Split one block into sentences; lines inside a block (headings) are kept apart."""
    out: list[str] = []
    for line in block.split("\n"):
        line = _BULLET.sub("", " ".join(line.split()))
        if line:
            out.extend(_split_line(line))
    return out


def _split_line(line: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(line):
        end = m.end()
        if _is_abbreviation(line, start, m.start(), end):
            continue
        piece = line[start:end].strip()
        if piece:
            parts.append(piece)
        start = end
    rest = line[start:].strip()
    if rest:
        parts.append(rest)
    return parts


def _is_abbreviation(line: str, start: int, dot: int, end: int) -> bool:
    if line[dot] != ".":
        return False
    before = line[start:dot].split()
    word = before[-1].lower().lstrip("(\"'“‘") if before else ""
    nxt = line[end:].split()
    nxt_word = nxt[0].lower().strip("\"'“‘(") if nxt else ""
    if word in _ABBREV:
        return not (word in ("etc", "no", "est", "al") and nxt_word in _STARTERS)
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):  # U.S, U.N, D.P.R.K
        return nxt_word not in _STARTERS
    if re.fullmatch(r"[a-z]", word):  # initials: J. Han
        return True
    return len(before) == 1 and start == 0 and word.isdigit() and len(word) <= 2


# ---------------------------------------------------------------- tokens and numbers

# digits grouped by commas, by a (thin, no-break) space ("13 000") or, from two groups on, by
# dots ("1.300.000"); a single dot group ("13.000") stays a decimal
_GROUPED = (
    r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d])(?:\.\d+)?"
    r"|(?<![\d.,])\d{1,3}(?:\.\d{3}){2,}(?![.,]?\d)|\d+(?:,\d{3})*(?:\.\d+)?"
)
_TOKEN = re.compile(
    rf"(?=\d)(?:{_GROUPED})(?:\s?[kKmMbB](?:n|illion)?\b)?|[^\W\d_]+(?:'[^\W\d_]+)?|@\w+|[^\w\s]"
)
_SPACE_GROUP = re.compile(r"(?<=\d)[ \u00a0\u2009\u202f](?=\d{3})")


def _comma_grouped(s: str) -> str:
    """ "13 000" / "1.300.000" -> "13,000" / "1,300,000": one spelling for one value."""
    s = _SPACE_GROUP.sub(",", s)
    if s.count(".") >= 2 and "," not in s:
        s = s.replace(".", ",")
    return s


_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "half": 0.5,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
    # multiples and fractions read as quantities: "doubled" -> "tripled" is a number change
    "twice": 2, "double": 2, "doubled": 2, "doubling": 2, "triple": 3, "tripled": 3,
    "tripling": 3, "thrice": 3, "quadruple": 4, "quadrupled": 4, "halved": 0.5, "halve": 0.5,
    "quarter": 0.25, "quarters": 0.75,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}  # fmt: skip
_SUFFIX = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "million": 1_000_000, "b": 1e9,
           "bn": 1e9, "billion": 1e9}  # fmt: skip
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES.split())}
MONTHS.update({"jan": 1, "feb": 2, "aug": 8, "sept": 9, "oct": 10, "nov": 11, "dec": 12})


@dataclass
class Token:
    """A canonical token and the character span of its surface text."""

    canon: str
    start: int
    end: int
    kind: str = "word"  # word | number | month | punct | actor


def tokenize(text: str) -> list[Token]:
    """Tokens of plain text: words, numbers (digits and words), months, punctuation."""
    raw: list[Token] = []
    skip = _marker_spans(text)
    for m in _TOKEN.finditer(text):
        if skip and any(a <= m.start() < b for a, b in skip):
            continue
        s = m.group(0)
        kind = "punct" if not (s[0].isalnum() or s[0] == "@") else "word"
        if s == "%":
            s, kind = "percent", "word"
        elif s[0] == "@":
            kind = "actor"
        elif s[0].isdigit():
            s = _comma_grouped(s)
        raw.append(Token(s, m.start(), m.end(), kind))
    return _fold_numbers(_expand(raw, text), text)


def strip_markers(text: str) -> str:
    """Plain text without footnote / citation markers."""
    if "[" not in text and "(" not in text:
        return text
    return " ".join(MARKER.sub("", text).split()).replace(" .", ".")


def _marker_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of footnote / citation markers (skipped by the tokenizer)."""
    if "[" not in text and "(" not in text:
        return []
    return [m.span() for m in MARKER.finditer(text)]


def _expand(raw: list[Token], text: str) -> list[Token]:
    out: list[Token] = []
    for t in raw:
        low = t.canon.lower()
        if t.kind == "word" and low.endswith("n't"):
            stem = CONTRACTIONS.get(low, low[:-3] + CONTRACTIONS["n't"])
            for w in stem.split():
                out.append(Token(w, t.start, t.end))
            continue
        if t.kind == "word" and low == "cannot":
            out += [Token("can", t.start, t.end), Token("not", t.start, t.end)]
            continue
        if t.kind == "word" and low in MONTHS and _is_month(t, text):
            out.append(Token(f"m{MONTHS[low]:02d}", t.start, t.end, "month"))
            continue
        if t.kind == "word":
            t.canon = american(low)
        out.append(t)
    return out


def _is_month(t: Token, text: str) -> bool:
    if not t.canon[0].isupper():
        return False
    if t.canon.lower() not in ("may", "march", "august"):
        return True
    around = text[max(0, t.start - 4) : t.end + 6]
    return bool(re.search(r"\d", around))


def _num_value(s: str) -> float | None:
    m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)\s?([a-zA-Z]*)", s)
    if not m:
        return None
    try:
        val = float(m.group(1).replace(",", ""))
    except ValueError:
        return None
    suf = m.group(2).lower()
    if suf and suf not in _SUFFIX:
        return None
    return val * _SUFFIX.get(suf, 1)


_VAGUE = {"dozens": "12s", "hundreds": "100s", "thousands": "1000s", "millions": "1000000s",
          "billions": "1000000000s", "scores": "20s"}  # fmt: skip


def _fold_numbers(toks: list[Token], text: str) -> list[Token]:
    """Merge number words ("eleven thousand", "a million", "20 million") into one token;
    "thousands" / "millions" become order-of-magnitude tokens ("1000s")."""
    if not any(t.canon in _NUMBER_WORDS or t.canon[:1].isdigit() for t in toks):
        return toks
    out: list[Token] = []
    i = 0
    while i < len(toks):
        if toks[i].kind == "word" and toks[i].canon in _VAGUE:
            t = toks[i]
            out.append(Token(_VAGUE[t.canon], t.start, t.end, "number"))
            i += 1
            continue
        val, j = _read_number(toks, i)
        if j > i:
            out.append(Token(_fmt(val), toks[i].start, toks[j - 1].end, "number"))
            i = j
        else:
            out.append(toks[i])
            i += 1
    return out


_NUMBER_START = set(_UNITS) | set(_ORDINALS) | {"a", "an"}
_NUMBER_WORDS = set(_UNITS) | set(_ORDINALS) | set(_SCALES) | set(_VAGUE)
# a figure or a date in a sentence: digits, a number word the number reader knows, a month
FIGURE = re.compile(
    r"\d|\b(?:"
    + "|".join(sorted(_NUMBER_WORDS | set(_MONTH_NAMES.split()), key=len, reverse=True))
    + r")\b",
    re.I,
)


def _read_number(toks: list[Token], i: int) -> tuple[float, int]:
    t = toks[i]
    low = t.canon
    if low not in _NUMBER_START and not low[:1].isdigit():
        return 0.0, i
    if low == "one" and _pronoun_one(toks, i):
        return 0.0, i
    if t.kind == "word" and low in _ORDINALS:
        return float(_ORDINALS[low]), i + 1
    total, current, j, seen = 0.0, 0.0, i, False
    if low in ("a", "an") and i + 1 < len(toks) and toks[i + 1].canon in _SCALES:
        current, j, seen = 1.0, i + 1, True
    while j < len(toks):
        tok = toks[j]
        c = tok.canon
        if tok.kind == "word" and "-" not in c and c in _UNITS:
            current += _UNITS[c]
        elif tok.kind == "word" and c in _SCALES and seen:
            scale = _SCALES[c]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0.0
        elif c in ("and", "-") and seen and _next_is_unit(toks, j):
            pass
        elif (
            c in ("a", "an")
            and current == 0.5
            and j + 1 < len(toks)
            and toks[j + 1].canon in _SCALES
        ):
            pass  # "half a million"
        elif tok.kind == "word" and not seen and (v := _num_value(tok.canon)) is not None:
            current = v
        else:
            break
        seen = True
        j += 1
    if not seen:
        return 0.0, i
    return total + current, j


_ONE_BEFORE = {"no", "any", "every", "some", "each", "the", "this", "that", "which", "no-one"}
_ONE_AFTER = {"of", "another", "anothers", "'s"}


def _pronoun_one(toks: list[Token], i: int) -> bool:
    """ "one of the few", "no one", "one another": not a quantity."""
    before = toks[i - 1].canon if i > 0 else ""
    after = toks[i + 1].canon if i + 1 < len(toks) else ""
    return before in _ONE_BEFORE or after in _ONE_AFTER


def _next_is_unit(toks: list[Token], j: int) -> bool:
    return j + 1 < len(toks) and toks[j + 1].canon in _UNITS


def _fmt(val: float) -> str:
    return str(int(val)) if float(val).is_integer() else f"{val:g}"


# ---------------------------------------------------------------- normalisation

_CANON_SKIP = {"punct"}


def canon_tokens(text: str) -> list[Token]:
    """Canonical tokens without punctuation: what significance and similarity look at."""
    return [t for t in tokenize(text) if t.kind not in _CANON_SKIP]


def normalise(text: str) -> str:
    """Case, quotes, dashes, punctuation, spelling variants and number formats folded away."""
    return " ".join(t.canon for t in canon_tokens(plain(text).replace("-", " ")))


def norm_hash(text: str) -> str:
    """Stable short hash of :func:`normalise`."""
    return hash_norm(normalise(text))


def hash_norm(norm: str) -> str:
    """The hash of an already normalised text."""
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=10).hexdigest()

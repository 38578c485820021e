"""General English word lists used by the differ: hedges, negators, antonyms, spelling."""

from __future__ import annotations

from functools import lru_cache

# Hedges and evidentials: the claim is not asserted as fact. Multi-word entries are token tuples
# over canonical (lower-case) tokens.
MODAL = {
    "may", "might", "could", "possibly", "potentially", "perhaps", "probably", "likely",
    "unlikely", "conceivably", "presumably", "maybe", "plausibly", "arguably", "suggests",
    "suggest", "suggested", "suggesting", "appear", "appears", "appeared", "seem", "seems",
    "seemed", "speculation", "speculate", "speculated", "rumour", "rumours", "rumoured",
    "unconfirmed", "unverified", "would", "indicate", "indicates", "indicated", "possible",
    "unclear", "uncertain", "doubtful", "questionable",
}  # fmt: skip
EVIDENTIAL = {
    "reportedly", "allegedly", "purportedly", "supposedly", "apparently", "ostensibly",
    "believed", "thought", "alleged", "suspected", "rumored",
}  # fmt: skip
ATTRIBUTION_VERBS = {
    "say", "says", "said", "saying", "note", "notes", "noted", "claim", "claims", "estimate",
    "estimates", "argue", "argues", "argued", "believe", "believes", "report", "reports",
    "reported", "allege", "alleges", "contend", "contends", "contended", "maintain", "maintains",
    "insist", "insists", "insisted", "assert", "asserts", "asserted", "told", "stated", "states",
    "assess", "assesses", "assessed", "warn", "warns", "warned", "observe", "observes",
    "observed", "point", "points", "according", "cited", "citing", "quoted", "think", "thinks",
    "fear", "fears", "feared", "link", "links", "linked", "estimated", "claimed",
}  # fmt: skip
ATTRIBUTION_PHRASES = [("according", "to"), ("in", "the", "view", "of"), ("sources", "say")] + [
    (verb, "by")
    for verb in (
        "confirmed", "reported", "disputed", "verified", "claimed", "alleged", "stated", "cited",
        "denied", "contested", "questioned", "corroborated", "documented", "asserted", "assessed",
        "estimated", "attested", "acknowledged", "rejected", "challenged",
    )
] + [("as", "confirmed"), ("as", "reported"), ("as", "stated"), ("as", "claimed")] + [
    # reported speech with its source: "quoted officials as estimating that", "a source
    # familiar with the matter said"
    ("as", "saying"), ("as", "estimating"), ("as", "suggesting"), ("as", "warning"),
    ("familiar", "with"),
]  # fmt: skip
# speech verbs that close a sentence: "..., Seoul's spy agency said."
TRAILING_SPEECH = {
    "said", "says", "told", "reported", "added", "adds", "noted", "stated", "claimed", "warned",
    "insisted", "argued", "argues", "wrote", "writes", "believes", "alleged", "alleges",
    "estimated", "concluded", "concludes", "acknowledged", "admitted",
}  # fmt: skip
MODAL_PHRASES = [("expected", "to"), ("likely", "to"), ("set", "to", "be"), ("is", "said", "to"),
                 ("are", "said", "to"), ("was", "said", "to"), ("were", "said", "to"),
                 ("thought", "to"), ("understood", "to"), ("reported", "to"), ("believed", "to"),
                 ("alleged", "to"), ("rumoured", "to"), ("rumored", "to"),
                 ("is", "understood", "that"), ("was", "understood", "that"),
                 # "this could not be independently verified": a hedge, not a negation
                 ("not", "be", "independently"), ("not", "been", "independently")]  # fmt: skip
ASSERTIVE = {
    "confirmed", "confirms", "confirm", "officially", "definitely", "certainly", "clearly",
    "undoubtedly", "proven", "proved", "verified", "established", "demonstrably", "indeed",
    "will", "has", "have", "did", "does",
}  # fmt: skip
# Only these assertive markers are reported: the auxiliaries above only back a hedge change.
ASSERTIVE_REPORTED = ASSERTIVE - {"will", "has", "have", "did", "does"}

NEGATORS = {
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot",
    "nowhere", "hardly", "barely", "scarcely", "deny", "denies", "denied", "denying",
}  # fmt: skip
# ("has yet to reply" == "has not yet replied"; "failed to" negates what follows)
NEGATING_PHRASES = [("yet", "to"), ("fail", "to"), ("fails", "to"), ("failed", "to"),
                    ("refused", "to"), ("refuses", "to"), ("refuse", "to"),
                    # minimisers: "do little to ease" denies what "help ease" asserts
                    ("do", "little", "to"), ("does", "little", "to"), ("did", "little", "to"),
                    ("done", "little", "to")]  # fmt: skip
NOT_NEGATING = [("not", "only"), ("no", "longer", "only"), ("not", "least"), ("no", "doubt"),
                ("not", "be", "independently"), ("not", "been", "independently")]  # fmt: skip

CONTRACTIONS = {
    "won't": "will not", "can't": "can not", "cannot": "can not", "shan't": "shall not",
    "n't": " not", "ain't": "is not",
}  # fmt: skip

# General antonym pairs (base forms; inflections are reduced by the stemmer before lookup).
_ANTONYM_TEXT = """
increase decrease|increase reduce|increase cut|increase lower|increase decline|increase fall
rise fall|rise drop|rise decline|raise lower|raise cut|grow shrink|grow decline|expand contract
expand curtail|expand shrink|expand reduce|expand restrict|expand limit|broaden narrow
widen narrow|deepen weaken|deepen loosen|strengthen weaken|strengthen undermine|bolster weaken
bolster undermine|boost reduce|boost hurt|boost cut|enhance diminish|enhance reduce
improve worsen|improve deteriorate|improve harm|intensify ease|intensify reduce|escalate ease
escalate deescalate|accelerate slow|accelerate decelerate|speed slow|quick slow|quickly slowly
fast slow|faster slower|more less|most least|higher lower|high low|larger smaller|large small
big small|bigger smaller|greater lesser|greater smaller|many few|much little|maximum minimum
major minor|gain lose|win lose|winner loser|success failure|succeed fail|success fail
accept reject|accept refuse|accept decline|approve reject|approve veto|approve oppose
approve block|approve disapprove|support oppose|support reject|back oppose|endorse reject
endorse oppose|favor oppose|agree disagree|allow prohibit|allow forbid|allow ban|allow block
allow prevent|permit ban|permit prohibit|permit forbid|enable prevent|enable hinder|enable block
legal illegal|lawful unlawful|legitimate illegitimate|possible impossible|likely unlikely
able unable|willing unwilling|include exclude|including excluding|join leave|join quit
enter exit|enter leave|open close|opened closed|reopen close|start end|start stop|begin end
begin stop|begin halt|resume suspend|resume halt|continue stop|continue halt|continue suspend
continue end|continue cease|launch cancel|launch halt|build destroy|create destroy|ratify reject
sign reject|honor violate|honour violate|comply violate|respect violate|obey violate
observe violate|keep break|uphold break|lift impose|lift tighten|ease tighten|relax tighten
loosen tighten|weak strong|weaker stronger|weakest strongest|weakness strength
upward downward|before after|earlier later|early late
ahead behind|catch fall|lead lag|leading lagging|advance retreat|advance withdraw
deploy withdraw|send withdraw|send recall|arrive depart|attack defend|offensive defensive
ally enemy|allies enemies|friend enemy|friend foe|friendly hostile|warm cold|warmer colder
cooperate compete|cooperation competition|cooperation confrontation|peace war|peaceful hostile
stable unstable|stability instability|secure insecure|safe dangerous|calm tense|certain uncertain
clear unclear|known unknown
true false|right wrong|correct incorrect|accurate inaccurate|positive negative
optimistic pessimistic
benefit harm|benefit hurt|help hurt|help harm|protect threaten|protect endanger|reward punish
rich poor|wealthy poor|surplus deficit|profit loss

provide withhold|win defeat|victory defeat
unite divide|united divided|together apart|connect disconnect|integrate separate
open secret|openly secretly|overt covert|formal informal|official unofficial|direct indirect
directly indirectly|partial full|partial complete|partly fully|temporary permanent
modern outdated
always never|often rarely|frequently rarely|often seldom|everything nothing|all none
everyone nobody|majority minority|most few|increasingly decreasingly|gradually suddenly
rapid gradual|rapidly gradually|sharply slightly|significant insignificant|significantly slightly
important unimportant|relevant irrelevant|easy difficult|easier harder|easy hard|simple complex
success setback|progress setback|boom bust|growth decline|growth contraction|recovery recession
improvement deterioration|expansion contraction|inflow outflow
increased reduced|strengthening weakening|superior inferior|dependent independent
dependence independence|reliance independence|agreement disagreement|approval rejection
acceptance rejection|inclusion exclusion|presence absence|existence absence
exist lack|pro anti|win forfeit|welcome condemn
praise criticise|praise criticize|praise condemn|applaud condemn|celebrate mourn|trust distrust
hope fear|encourage discourage|encourage deter|attract repel|embrace reject|maximize minimize
overestimate underestimate|overstate understate|exceed miss|surpass trail|heighten lessen
heighten reduce|amplify dampen|escalation deescalation|tighter looser|tighten loosen
ban lift|restrict liberalize|restriction liberalization|sanction reward|punish pardon
mobilize demobilize|arm disarm|armament disarmament|nuclearize denuclearize|militarize demilitarize
proliferation nonproliferation|alive dead|survive die|live die|wounded unharmed|reach miss
hit miss|success miss|inbound outbound|upgraded downgraded
upgrade downgrade|promote demote|promoted demoted|appoint dismiss|hire fire|elected defeated
soar plunge|soar plummet|soar slump|surge plunge|surge slump|jump drop|climb fall|climb drop
rebound slump|cool warm|cooler warmer|closer distant|deepen cool|strengthen loosen
accelerate stall|boost curb|intensify wind|agree refuse|allow bar|permit bar|succeed fail
warm cool|warming cooling|thaw freeze|reinforce undermine|bolster erode|strengthen erode
grow slow|expand slow|surplus shortage|abundant scarce|gain loss|advance setback|more fewer
welcome reject|endorse condemn|support criticise|support criticize|sign scrap|sign cancel
honour breach|honor breach|comply breach|respect breach|keep breach|safe unsafe|win fail
include omit|confirm refute|prove disprove|accurate false|rise slump|increase slump
expand narrow|widen shrink|improve decline|strong fragile|robust fragile|close distant
friendly frosty|warm frosty|cordial frosty|cordial hostile|smooth rocky|easy tough
ally rival|allies rivals|ally adversary|partner rival|partner adversary|friend rival
cooperation rivalry|deepen fray|strengthen fray|welcome criticise|welcome criticize
surge collapse|thrive struggle|grow wane|intensify subside|close loose|closer looser
enhance impair|boost hamper|help hinder|facilitate obstruct|facilitate impede|aid hinder
upbeat gloomy|confident doubtful|trust suspicion|rapprochement estrangement|embrace shun
expand halt|grow stagnate|flourish wither|boom collapse|gain shed|add cut|recruit discharge
arrive leave|import ban|legalise ban|legalize ban|enforce waive|tighten waive|extend lift
embolden restrain|embolden deter|encourage restrain|embolden constrain|empower constrain
expand downsize|grow downsize|enlarge downsize|upsize downsize|enlarge shrink|enlarge reduce
expand trim|grow trim|expand scrap|exceed trail|surpass miss|beat miss|top miss|meet miss
met miss|achieve miss|exceed undershoot|overshoot undershoot|overfulfil underfulfil
outperform underperform|profit deficit|gain deficit|surplus loss|overtake trail
"""

# Opposed groups: every word on the left is an antonym of every word on the right ("deny" and
# other negators are counted as negations instead).
_ANTONYM_GROUPS = """
increase rise grow surge soar jump climb spike swell mount expand balloon rocket widen >
  decrease fall drop decline dwindle shrink dip plunge plummet slump slide sink contract
  diminish wane tumble slash halve shrivel ebb stagnate
accelerate advance progress proceed hasten expedite quicken flourish thrive prosper boom >
  stall stagnate slow delay falter halt freeze regress lag
strengthen deepen improve warm solidify bolster cement consolidate > weaken sour deteriorate
  worsen cool falter fray erode loosen strain
support back endorse welcome praise approve embrace favour favor applaud champion hail >
  oppose reject condemn denounce criticise criticize resist decry disapprove veto rebuff
confirm acknowledge admit affirm > dispute refute dismiss contest reject
continue keep maintain retain pursue resume restart revive launch start begin adopt extend >
  abandon scrap shelve halt suspend stop end cancel cease terminate sever freeze
escalate intensify heighten inflame > calm defuse subside deescalate soothe
allow permit authorise authorize legalise legalize > ban forbid prohibit restrict curb block
  outlaw bar
harden toughen stiffen tighten > soften relax loosen dilute
eager willing keen ready enthusiastic > reluctant hesitant unwilling
supportive sympathetic receptive > hostile critical resistant sceptical skeptical
more greater higher larger bigger > less fewer lower smaller
deliver supply send give share provide release > withhold
release free > detain arrest imprison jail
repair mend restore rebuild establish forge > damage destroy sever
outpace outstrip outperform overtake > trail lag underperform
win prevail triumph > lose fail
hawkish > dovish
open reopen > shut close suspend
add include gain > remove drop omit shed
stronger firmer tighter closer > weaker looser
faster quicker > slower
sooner earlier earliest first > later latest last
up upward > down downward
above > below
win beat victory triumph succeed > lose defeat loss collapse falter
ease relax loosen lift > restrict curb
escalate intensify heighten inflame > ease resolve settle diminish decline wane fade taper
increase raise boost expand grow > freeze slash
bold aggressive optimistic confident enthusiastic > cautious sceptical skeptical
likely probable certain > improbable doubtful
empty idle vacant unused deserted > occupied full busy crowded packed loaded
undercount underestimate understate underreport > overcount overestimate overstate overreport
active operational working running > inactive idle dormant abandoned disused
"""

ANTONYMS: dict[str, set[str]] = {}


IRREGULAR = {
    "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "grew": "grow",
    "grown": "grow", "won": "win", "lost": "lose", "began": "begin", "begun": "begin",
    "broke": "break", "broken": "break", "kept": "keep", "gave": "give", "given": "give",
    "took": "take", "taken": "take", "led": "lead", "sped": "speed", "shrank": "shrink",
    "shrunk": "shrink", "caught": "catch", "sent": "send", "sold": "sell", "bought": "buy",
    "held": "hold", "left": "leave", "went": "go", "gone": "go", "came": "come", "made": "make",
    "better": "good", "worse": "bad", "best": "good", "worst": "bad", "fought": "fight",
    "died": "die", "dying": "die", "lying": "lie", "tied": "tie",
}  # fmt: skip


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stemmer: enough to match inflected forms of the antonym lexicon."""
    w = word.lower()
    w = IRREGULAR.get(w, w)
    base = _strip(w)
    if base in _EED:
        return base
    return base.rstrip("e") if len(base) > 3 and base.endswith("e") else base


_EED = {"exceed", "succeed", "proceed", "need", "feed", "breed", "speed", "heed", "bleed", "seed"}


def _strip(w: str) -> str:
    if w in _EED:
        return w
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ier", "y"), ("iest", "y")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            return w[: -len(suffix)] + repl
    for suffix in ("ingly", "edly", "ing", "ed", "es", "s"):
        if suffix == "s" and w.endswith(("ss", "us", "is")):
            continue
        if w[: -len(suffix)] in _EED:
            return w[: -len(suffix)]
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
                w = w[:-1]  # stopped -> stop
            return w
    return w


def _stem_phrase(phrase: str) -> str:
    return " ".join(stem(p) for p in phrase.split())


def _build() -> None:
    pairs = [p.split() for p in _ANTONYM_TEXT.replace("\n", "|").split("|")]
    for group in _ANTONYM_GROUPS.replace("\n  ", " ").strip().split("\n"):
        left, right = group.split(">")
        pairs += [[a, b] for a in left.split() for b in right.split()]
    for parts in pairs:
        if len(parts) == 2:
            a, b = _stem_phrase(parts[0]), _stem_phrase(parts[1])
            ANTONYMS.setdefault(a, set()).add(b)
            ANTONYMS.setdefault(b, set()).add(a)


_build()

# Phrasal antonyms (stemmed phrases of up to three words, against a phrase or a single word).
PHRASE_ANTONYMS = {
    ("catch up", "fall behind"), ("catch up", "lag behind"), ("keep pace", "fall behind"),
    ("speed up", "slow down"), ("scale up", "scale back"), ("ramp up", "wind down"),
    ("step up", "scale back"), ("build up", "draw down"), ("more quick", "more slow"),
    ("move forward", "stall"), ("step up", "wind down"), ("set up", "shut down"),
    ("turn up", "turn down"), ("take off", "stall"), ("on track", "off track"),
    ("in favour", "against"), ("in favor", "against"), ("step up", "wind down"),
    ("fall short", "exceed"), ("fall short", "surpass"), ("fall short", "beat"),
    ("fall short", "top"), ("fall short", "meet"), ("fall short", "met"), ("fall short", "hit"),
    ("fall short", "outstrip"), ("fall short", "reach"), ("fall short", "achieve"),
    ("cut back", "expand"), ("cut back", "grow"), ("cut back", "increase"), ("cut back", "boost"),
    ("scale back", "expand"), ("scale back", "grow"), ("scale down", "expand"),
    ("scale down", "scale up"), ("wind down", "expand"), ("wind down", "grow"),
    ("lay off", "hire"), ("lay off", "recruit"), ("shut down", "open"), ("shut down", "expand"),
    ("on target", "off target"), ("on schedule", "behind schedule"),
    ("ahead of schedule", "behind schedule"), ("on time", "late"), ("under budget", "over budget"),
    ("in surplus", "in deficit"), ("in the black", "in the red"), ("break even", "lose money"),
}  # fmt: skip
PHRASE_ANTONYM_INDEX: dict[str, set[str]] = {}
for _a, _b in PHRASE_ANTONYMS:
    _sa, _sb = _stem_phrase(_a), _stem_phrase(_b)
    PHRASE_ANTONYM_INDEX.setdefault(_sa, set()).add(_sb)
    PHRASE_ANTONYM_INDEX.setdefault(_sb, set()).add(_sa)

# British -> American spelling variants and archaic variants (both sides map to the value).
SPELLING = {
    "amidst": "amid", "amongst": "among", "whilst": "while", "towards": "toward",
    "learnt": "learned", "spelt": "spelled", "afterwards": "afterward", "upon": "on",
    "defence": "defense", "offence": "offense", "licence": "license", "programme": "program",
    "programmes": "programs", "centre": "center", "centres": "centers", "metre": "meter",
    "kilometre": "kilometer", "kilometres": "kilometers", "theatre": "theater",
    "travelled": "traveled", "travelling": "traveling", "labelled": "labeled",
    "cancelled": "canceled", "modelling": "modeling", "fuelled": "fueled", "signalled": "signaled",
    "grey": "gray", "cheque": "check", "tyre": "tire", "plough": "plow", "catalogue": "catalog",
    "dialogue": "dialog", "analogue": "analog", "manoeuvre": "maneuver", "manoeuvres": "maneuvers",
    "judgement": "judgment", "ageing": "aging", "sceptical": "skeptical", "storey": "story",
    "jewellery": "jewelry", "aluminium": "aluminum", "enrol": "enroll", "fulfil": "fulfill",
    "practise": "practice", "neighbouring": "neighboring", "lorry": "truck", "lorries": "trucks",
}  # fmt: skip
_OUR_WORDS = (
    "neighbour", "labour", "favour", "honour", "behaviour", "colour", "harbour", "rumour",
    "endeavour", "vigour", "armour", "humour", "savour", "valour", "flavour", "saviour",
)  # fmt: skip
_ISE_STEMS = (
    "organis", "recognis", "realis", "prioritis", "criticis", "emphasis", "mobilis", "modernis",
    "normalis", "stabilis", "legitimis", "authoris", "characteris", "summaris", "minimis",
    "maximis", "apologis", "finalis", "utilis", "militaris", "nationalis", "privatis",
    "destabilis", "formalis", "institutionalis", "symbolis", "sympathis", "specialis", "capitalis",
    "jeopardis", "energis", "galvanis", "neutralis", "optimis", "penalis", "revitalis", "scrutinis",
    "standardis", "subsidis", "harmonis", "industrialis", "liberalis", "centralis", "decentralis",
    "globalis", "categoris", "sanitis", "mechanis", "demilitaris", "denuclearis", "weaponis",
)  # fmt: skip


@lru_cache(maxsize=65536)
def american(word: str) -> str:
    """Map a British spelling to the American one (lower-case input)."""
    if word in SPELLING:
        return SPELLING[word]
    for base in _OUR_WORDS:
        if word.startswith(base):
            return base[:-2] + "r" + word[len(base) :]
    for base in _ISE_STEMS:
        if word.startswith(base) and len(word) > len(base):
            rest = word[len(base) :]
            if rest[0] == "e" or rest.startswith("ation") or rest.startswith("ing"):
                return base[:-1] + "z" + rest
    return word


# Converse verbs: "A supplied B" == "B received from A" (roles swap, meaning does not).
_CONVERSE_TEXT = """
supply receive|send receive|give receive|provide receive|deliver receive|ship receive
sell buy|export import|lend borrow|host visit|teach learn|employ work|pay receive|precede follow
lead follow|give get|grant receive|transfer receive|offer accept|invite visit|train learn
"""
CONVERSES: dict[str, set[str]] = {}
for _pair in _CONVERSE_TEXT.replace("\n", "|").split("|"):
    if len(_pair.split()) == 2:
        _x, _y = (stem(w) for w in _pair.split())
        CONVERSES.setdefault(_x, set()).add(_y)
        CONVERSES.setdefault(_y, set()).add(_x)

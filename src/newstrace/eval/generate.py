"""Generated news articles with known truth, for the grouping eval and the growth benchmark.

The world is the example corpus's (examples/README.md: Varnia and Kestrany, the Inner Sea
Council, the Boreal Defence Pact, their people and outlets) with four more invented countries so
that a large corpus is not all one crisis. Everything is made from a seed, the same seed giving
the same bytes: `generate(n, seed)`.

An article is a header .txt as in examples/text (headline, YYYYMMDD, URL, one paragraph a line)
of about 700 words: a lead, statements by named speakers quoted directly, and background
sentences put together from templates whose slots (places, people, numbers, days, topics) are
drawn per article, so that two unrelated articles share few word 5-grams. Articles come in
stories (one happening, one to five outlets, over one to three days), and each story's
statements are rendered by each of its articles: the first verbatim, the others verbatim, in
other words (a translation or wording variant: synonyms swapped, the claim kept), trimmed, or
with the meaning changed (negation flipped, number changed, hedge dropped).

Copies of an article are planted too, each by another outlet, with the kind recorded: `exact`
(the same text), `near` (a few words swapped, a sentence added: Jaccard of word 5-grams about
0.8 to 0.97), `heavy` (many words swapped: a look-alike copy below 0.8, which is not a near
duplicate), `trimmed` (the first paragraphs only) and `rewrite` (every sentence spun with
synonyms). Which pairs are near duplicates is not taken from these labels but measured exactly on
the texts (`near_pairs`), by the same 5-gram Jaccard and containment the bar is defined on.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = [
    "COPY_KINDS",
    "RENDERINGS",
    "Doc",
    "Mention",
    "Planted",
    "Speaker",
    "actors_dictionary",
    "generate",
    "near_pairs",
    "stream",
]

COPY_KINDS = ("exact", "near", "heavy", "trimmed", "rewrite")
RENDERINGS = ("canonical", "verbatim", "wording", "trimmed", "negation", "number", "hedge")
WORDS = 700


@dataclass(frozen=True)
class Speaker:
    name: str
    role: str  # as written before the name: "Foreign Minister"
    code: str
    country: str
    we: str  # how the speaker's side is named in a statement: "We", "My government"


@dataclass(frozen=True)
class Mention:
    """A named participant written in an article (for the growth benchmark's stored entities)."""

    text: str
    label: str  # PERSON | GPE | ORG
    code: str | None


@dataclass(frozen=True)
class Planted:
    """One rendering of a statement in an article: the statement it renders, how it was rendered
    from the statement's canonical words, and the words quoted."""

    statement: str
    speaker: str
    rendering: str
    text: str


@dataclass
class Doc:
    """One generated input file and its truth."""

    name: str  # file name, unique
    outlet: str
    domain: str
    published: str  # YYYY-MM-DD
    title: str
    url: str
    story: str
    paragraphs: list[str]
    quotes: list[Planted] = field(default_factory=list)
    copy_of: str | None = None
    copy_kind: str | None = None
    mentions: list[Mention] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    def file_text(self) -> str:
        day = self.published.replace("-", "")
        return "\n".join([self.title, day, self.url, *self.paragraphs]) + "\n"


# -- the world ---------------------------------------------------------------------------------
_SPEAKERS: tuple[Speaker, ...] = (
    Speaker("Aurel Dragomir", "President", "VRNGOV", "Varnia", "My government"),
    Speaker("Ilona Vesk", "Foreign Minister", "VRNGOV", "Varnia", "We"),
    Speaker("Marek Sova", "Defence Minister", "VRNGOV", "Varnia", "Our forces"),
    Speaker("Nadia Korrin", "opposition leader", "VRNOPP", "Varnia", "We"),
    Speaker("Elin Marsk", "Prime Minister", "KSYGOV", "Kestrany", "My government"),
    Speaker("Oskar Vellam", "Foreign Minister", "KSYGOV", "Kestrany", "We"),
    Speaker("Arvid Tolle", "army chief", "KSYMIL", "Kestrany", "Our forces"),
    Speaker("Idris Kalmar", "mission chief", "IGOISC", "the Inner Sea Council", "The mission"),
    Speaker("Hugo Benedek", "Secretary-General", "IGOBDP", "the Boreal Defence Pact", "The Pact"),
    Speaker("Sabine Orloff", "Prime Minister", "ORVGOV", "Orvalia", "My government"),
    Speaker("Tomas Ferrin", "Trade Minister", "ORVGOV", "Orvalia", "We"),
    Speaker("Lina Castmoor", "President", "SNMGOV", "Sennmark", "My government"),
    Speaker("Piet Hallgard", "Energy Minister", "SNMGOV", "Sennmark", "We"),
    Speaker("Ravel Ostrand", "Interior Minister", "LSTGOV", "Lusatra", "We"),
    Speaker("Mara Quillon", "Prime Minister", "LSTGOV", "Lusatra", "My government"),
    Speaker("Edvin Sarkas", "Finance Minister", "QLMGOV", "Quelmar", "We"),
    Speaker("Ysolde Brannock", "President", "QLMGOV", "Quelmar", "My government"),
)
_COUNTRIES = {
    "Varnia": ("VRN", "Tarsk", ("Veldra", "Brask")),
    "Kestrany": ("KSY", "Olvena", ("Ostrel", "Halden")),
    "Orvalia": ("ORV", "Castelmo", ("Virn", "Sallow Ford")),
    "Sennmark": ("SNM", "Hadrun", ("Pellis", "Nordby")),
    "Lusatra": ("LST", "Merovar", ("Tessin", "Ulvik")),
    "Quelmar": ("QLM", "Saint Oren", ("Brevik", "Lodra")),
}
# Which countries a story is between: the examples' crisis, and each other country with one
# neighbour, so a large corpus has several unrelated threads.
_PAIRS = (
    ("Varnia", "Kestrany"),
    ("Orvalia", "Sennmark"),
    ("Lusatra", "Quelmar"),
    ("Orvalia", "Lusatra"),
    ("Sennmark", "Quelmar"),
    ("Kestrany", "Orvalia"),
)
_OUTLETS = (
    ("Meridian Wire", "meridianwire.com", "world/europe", "Meridian"),
    ("VarniaPress", "varniapress.com", "news", "VarniaPress"),
    ("Kestrany Today", "kestrany-today.com", "politics", "Kestrany Today"),
    ("The Inner Sea Herald", "innerseaherald.co.uk", "world", None),
    ("NewsDeck", "newsdeck.in", "world", None),
    ("WorldBuzz Daily", "worldbuzzdaily.net", "news", None),
    ("Port Aldene Courier", "portaldenecourier.com", "region", None),
    ("The Castelmo Ledger", "castelmoledger.com", "international", None),
    ("Northway Post", "northwaypost.net", "world", "Northway"),
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip

_SYLLABLES = ("ka", "ro", "vel", "dra", "os", "mar", "tin", "sel", "bra", "lun", "hed", "var",
              "no", "ske", "to", "ril", "an", "ber", "go", "lis", "mo", "ten", "ur", "pa", "quen",
              "dal", "fe", "ri", "sto", "wen", "ha", "el", "ger", "im", "ca", "lo")  # fmt: skip
_GIVEN = ("Anna", "Boris", "Clara", "Dorin", "Eva", "Filip", "Greta", "Henrik", "Iris", "Jakob",
          "Katya", "Lars", "Mila", "Nils", "Olga", "Petra", "Rasmus", "Sofia", "Tobias", "Una",
          "Viktor", "Wanda", "Yann", "Zora", "Emil", "Hana", "Ivo", "Lena", "Milo", "Rhea")  # fmt: skip
_JOBS = ("a farmer", "a shopkeeper", "a schoolteacher", "a lorry driver", "a nurse", "a baker",
         "a retired engineer", "a fisherman", "a student", "a customs officer", "a mechanic",
         "a café owner", "a local councillor", "a bus driver", "a miller")  # fmt: skip
_TOPICS = (
    "grain exports", "water rights", "the rail link", "fishing quotas", "gas transit fees",
    "the detainee exchange", "the border survey", "power line repairs", "refugee returns",
    "the customs accord", "river shipping", "the monitoring mission", "road tolls",
    "electricity prices", "the fuel pipeline", "timber permits", "airspace rules",
    "the mining concession", "harbour fees", "the vaccine order", "bridge repairs",
    "seasonal work permits", "the fisheries court", "cross-border buses", "copper tariffs",
)  # fmt: skip
_ADJ = ("tense", "long", "difficult", "brief", "closed-door", "second", "stalled", "fresh",
        "late-night", "cautious", "heated", "lengthy", "delayed", "informal")  # fmt: skip
_ORGS = ("the Inner Sea Council", "the Boreal Defence Pact", "the Red Crescent Relief Office",
         "the Northern Grain Board", "the Inner Sea Shipping Registry", "the Valley Water Trust",
         "the Continental Rail Agency", "the Regional Audit Office")  # fmt: skip

# Background sentences. Slots: {a} {b} countries, {ca} {cb} capitals, {p} {p2} places,
# {t} topic, {n} {n2} numbers, {wd} weekday, {mo} month, {who} a local's name, {job}, {org},
# {adj}, {s} the main speaker's surname. Fixed runs between slots are short, so that the
# 5-grams two articles share come from what they say, not from the templates.
_BACKGROUND = (
    "Officials in {ca} said {n} people had crossed near {p} since {wd}.",
    "The {adj} talks on {t} were held at a hotel outside {cb}.",
    "{who}, {job} from {p}, said queues at the checkpoint had grown to {n} vehicles.",
    "Trade between {a} and {b} fell by {n} percent last year, according to {org}.",
    "Diplomats from {a} met counterparts from {b} in {p2} in {mo}.",
    "The dispute over {t} dates back to a {n}-page agreement signed in {mo}.",
    "Local radio in {p} reported {n2} lorries waiting on the {p2} road.",
    "A spokesperson for {org} declined to comment on {t} on {wd}.",
    "Prices for bread in {p} have risen {n2} percent since {mo}.",
    "{org} has {n} staff working between {p} and {p2}.",
    "Farmers near {p} blocked the road to {p2} with {n2} tractors.",
    "Neither side has published the text discussed in {p2}.",
    "The ministry in {ca} put the cost of {t} at {n} million crowns.",
    "Residents of {p} told reporters the mood was {adj} but calm.",
    "{who} runs a bakery beside the {p} crossing and employs {n2} people.",
    "A delegation of {n2} experts from {org} is due in {cb} by {wd}.",
    "Parliament in {cb} will debate {t} again in {mo}.",
    "Lawyers for the {p} council filed {n2} objections in {mo}.",
    "The last round of talks on {t} collapsed in {mo} after {n2} days.",
    "About {n} households in {p} still rely on the old {p2} line.",
    "Opposition deputies in {ca} accused ministers of hiding the cost of {t}.",
    "Rail freight through {p} has halved, {org} said in its {mo} report.",
    "A convoy of {n2} buses left {p2} for {p} shortly after dawn.",
    "{who} said her family had farmed near {p} for {n2} generations.",
    "Both capitals have sent envoys to {org} headquarters this month.",
    "The river at {p} marks the line agreed after the war.",
    "Engineers from {org} inspected {n2} pylons near {p2} on {wd}.",
    "Shops in {p} closed early as {n} demonstrators marched to the town hall.",
    "Fuel deliveries to {p2} have been cut to {n2} a week.",
    "A poll for {org} found {n} percent of voters in {a} back a deal on {t}.",
    "{who}, {job}, said nobody in {p} had been told what the deal meant.",
    "The {adj} meeting in {p2} lasted {n2} hours, delegates said.",
    "Customs staff at {p} handled {n} crossings in the first week of {mo}.",
    "Insurers in {ca} raised premiums for hauliers using the {p} route.",
    "Schools in {p} reopened on {wd} after a {adj} week.",
    "The harbour at {p2} has been dredged twice since {mo}.",
    "{s} has spent much of the week in {cb}, aides said.",
    "A court in {ca} is expected to rule on {t} before {mo}.",
    "Village elders in {p} asked for a seat at the {adj} talks.",
    "Satellite images reviewed by {org} showed {n2} new trenches west of {p}.",
    "{who}, {job} in {p2}, said the last bus had left {n2} hours late.",
    "Wheat stored near {p} is worth about {n} million crowns, traders said.",
    "Envoys from {a} flew on to {p2} for a {adj} dinner.",
    "Weather forecasters in {ca} warned of floods near {p} by {wd}.",
    "A youth choir from {p} sang at the opening of the {p2} session.",
)
_HEADLINES = (
    "{A} and {B} at odds over {t}",
    "{s} sets out position on {t}",
    "Talks on {t} resume in {p}",
    "{t_cap}: {A} presses {B}",
    "{s} speaks on {t} as {p} waits",
    "Pressure grows in {p} over {t}",
    "{A} and {B} trade words on {t}",
    "Deal on {t} in doubt after {s} remarks",
)
_LEADS = (
    "Officials from {a} and {b} held {adj} talks on {t} in {p} on {wd}, with {org} looking on.",
    "The row between {a} and {b} over {t} deepened on {wd} as envoys met in {p}.",
    "A {adj} round of talks on {t} opened in {p} on {wd}, the first since {mo}.",
    "{a} and {b} moved closer to a deal on {t} on {wd} after a {adj} day in {p}.",
)
_LOCAL_QUOTES = (
    "We just want the road to {p2} open again",
    "Nobody asks us what we need in {p}",
    "The prices have doubled since {mo} and wages have not",
    "My children have not seen their cousins in {p2} for a year",
    "We hear a lot of promises and see very little",
)

# Statements: "{we} {hedge} {aux} {verb phrase} {tail}." and sometimes a second sentence. The
# variants change one slot: the auxiliary's polarity, the number, the hedge; or, for a wording
# variant, the words of the verb phrase, tail and second sentence through _SAME (synonyms that
# keep the claim: no negator, number, modal or hedge among them).
_VERBS = (
    ("withdraw {n} troops from {p}", True),
    ("send {n} more monitors to {p}", True),
    ("release {n} detainees held in {p}", True),
    ("cut {t} charges by {n} percent", True),
    ("open {n} new crossings near {p}", True),
    ("spend {n} million crowns on repairs in {p}", True),
    ("reopen the crossing at {p}", False),
    ("sign the framework on {t}", False),
    ("return to the table in {p}", False),
    ("accept the survey of the {p} line", False),
    ("lift the ban on {t}", False),
    ("hand over the files on {t}", False),
    ("allow the inspectors into {p}", False),
    ("back the proposal on {t}", False),
)
# Tails and second sentences are short around their slots: two different statements of one
# speaker should not share a run of six words by the templates' doing.
_TAILS = ("by {mo}", "this week", "before {wd}", "once the survey ends", "within {n2} days",
          "after the {mo} holiday", "when talks in {ca} resume", "in {mo}")  # fmt: skip
_SECOND = (
    "{p} has waited long enough.",
    "Ask anyone in {p2}.",
    "The families of {p} deserve it.",
    "Our allies in {cb} agree.",
    "That is our answer to {cb}.",
    "It is about {p2}.",
    "Everyone in {ca} knows why.",
    "{p2} expects nothing less.",
)
_SAME = {
    "withdraw": "pull back", "troops": "soldiers", "send": "deploy", "more": "additional",
    "release": "free", "detainees": "prisoners", "cut": "reduce", "charges": "fees",
    "open": "set up", "new": "fresh", "crossings": "border points", "spend": "invest",
    "repairs": "reconstruction", "reopen": "open again", "crossing": "border post",
    "sign": "put our name to", "framework": "agreement", "return": "come back",
    "table": "negotiating table", "accept": "agree to", "survey": "mapping", "lift": "end",
    "ban": "embargo", "hand": "pass", "files": "documents", "allow": "let",
    "inspectors": "experts", "back": "support", "proposal": "plan", "end": "close",
    "weather": "conditions", "finished": "complete", "coming": "next few", "middle": "midpoint",
    "holiday": "break", "resume": "restart", "people": "citizens", "waited": "been patient",
    "told": "said to", "partners": "allies", "everyone": "all", "understand": "know",
    "owe": "must give", "families": "households", "future": "fate", "stand": "are",
}  # fmt: skip
_HEDGES = ("probably", "likely")

# Words swapped in copies of articles (near, heavy) and rewrites: news synonyms outside quotes.
_SPIN = {
    "officials": "authorities", "said": "stated", "talks": "negotiations", "held": "staged",
    "people": "residents", "crossed": "passed", "since": "from", "reported": "said",
    "waiting": "queuing", "road": "route", "declined": "refused", "comment": "respond",
    "risen": "climbed", "staff": "employees", "working": "stationed", "blocked": "barricaded",
    "published": "released", "cost": "price", "told": "informed", "mood": "atmosphere",
    "calm": "quiet", "runs": "operates", "bakery": "bread shop", "employs": "hires",
    "due": "expected", "debate": "discuss", "again": "once more", "filed": "lodged",
    "collapsed": "broke down", "households": "homes", "rely": "depend", "accused": "charged",
    "ministers": "the cabinet", "hiding": "concealing", "halved": "fallen by half",
    "report": "review", "convoy": "column", "left": "departed", "shortly": "soon",
    "family": "relatives", "farmed": "worked the land", "sent": "dispatched",
    "envoys": "emissaries", "month": "few weeks", "marks": "forms", "agreed": "settled",
    "inspected": "examined", "closed": "shut", "early": "ahead of time", "marched": "walked",
    "deliveries": "shipments", "cut": "reduced", "found": "showed", "voters": "citizens",
    "deal": "agreement", "handled": "processed", "week": "seven days", "raised": "increased",
    "premiums": "rates", "reopened": "opened again", "dredged": "deepened", "spent": "passed",
    "aides": "advisers", "expected": "set", "rule": "decide", "asked": "requested",
    "showed": "revealed", "trenches": "earthworks", "stored": "kept", "worth": "valued at",
    "traders": "dealers", "flew": "travelled", "warned": "cautioned", "floods": "flooding",
    "sang": "performed", "opening": "start", "meeting": "session", "lasted": "ran for",
    "delegates": "participants", "row": "dispute", "deepened": "worsened", "moved": "edged",
    "closer": "nearer", "first": "earliest", "looking": "watching", "opened": "began",
    "round": "session", "grown": "swelled", "queues": "lines", "fell": "dropped",
    "according": "citing", "met": "saw", "dispute": "quarrel", "dates": "goes",
    "agreement": "accord", "signed": "concluded", "local": "regional", "lorries": "trucks",
    "prices": "costs", "bread": "loaves", "experts": "specialists", "parliament": "lawmakers",
    "lawyers": "attorneys", "objections": "complaints", "still": "continue to", "old": "former",
    "opposition": "minority", "freight": "cargo", "buses": "coaches", "dawn": "sunrise",
    "capitals": "governments", "headquarters": "head office", "river": "waterway",
    "engineers": "technicians", "shops": "stores", "town": "municipal", "fuel": "petrol",
    "poll": "survey", "back": "support", "customs": "border", "crossings": "passages",
    "insurers": "insurance firms", "hauliers": "transport firms", "route": "corridor",
    "schools": "classrooms", "harbour": "port", "twice": "two times", "court": "tribunal",
    "village": "hamlet", "elders": "leaders", "seat": "place", "images": "pictures",
    "reviewed": "studied", "new": "fresh", "bus": "coach", "late": "behind schedule",
    "wheat": "grain", "dinner": "banquet", "weather": "meteorological", "forecasters": "agencies",
    "youth": "young", "choir": "ensemble", "session": "sitting", "doubt": "question",
    "pressure": "strain", "grows": "mounts", "sets": "lays", "position": "stance",
    "resume": "restart", "presses": "pushes", "speaks": "talks", "waits": "watches",
    "trade": "exchange", "words": "barbs", "remarks": "comments", "odds": "loggerheads",
}  # fmt: skip


_ROLES = (("Deputy Foreign Minister", "We"), ("Transport Minister", "My ministry"),
          ("Agriculture Minister", "We"), ("government spokesperson", "The government"),
          ("Justice Minister", "My ministry"), ("border police chief", "Our officers"),
          ("central bank governor", "The bank"), ("opposition whip", "We"),
          ("Health Minister", "My ministry"), ("Labour Minister", "We"))  # fmt: skip


def _officials() -> tuple[Speaker, ...]:
    """More named officials per country, invented from syllables (a fixed stream, so the same
    every time): a large corpus quotes many people, not the same few all day."""
    rng = random.Random(20250101)
    out = []
    for country, (code, _capital, _places) in _COUNTRIES.items():
        for role, we in _ROLES:
            surname = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
            sector = "OPP" if "opposition" in role else "GOV"
            out.append(Speaker(f"{rng.choice(_GIVEN)} {surname}", role, code + sector, country, we))
    return tuple(out)


_SPEAKERS = _SPEAKERS + _officials()


def actors_dictionary() -> str:
    """The generated world's people and countries as an actor dictionary (the examples' format),
    for the store the generated articles are run into."""
    lines = ["# Generated world (fictional): newstrace.eval.generate"]
    for country, (code, capital, _places) in _COUNTRIES.items():
        lines += [f"{_key(country)}  [{code}]", f"+{_key(capital)}"]
    for s in _SPEAKERS:
        lines += [f"{_key(s.name)}", f"+{_key(s.name.split()[-1])}", f"\t[{s.code}]"]
    return "\n".join(lines) + "\n"


def _key(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^A-Z0-9]+", "_", plain.upper()).strip("_") + "_"


# -- making text ---------------------------------------------------------------------------------
class _Maker:
    """Draws one article's slot values and sentences from a random stream."""

    def __init__(self, rng: random.Random, story: _Story) -> None:
        self.rng, self.story = rng, story
        self.unused = list(_BACKGROUND)  # an article says each background thing once

    def name(self) -> str:
        r = self.rng
        surname = "".join(r.choice(_SYLLABLES) for _ in range(r.randint(2, 3))).capitalize()
        return f"{r.choice(_GIVEN)} {surname}"

    def number(self, big: bool = False) -> str:
        r = self.rng
        value = r.randint(120, 9800) if big else r.randint(3, 95)
        return f"{value:,}"

    def slots(self) -> dict[str, str]:
        st, r = self.story, self.rng
        p, p2 = r.sample(st.places, 2)
        return {"a": st.a, "b": st.b, "ca": st.ca, "cb": st.cb, "p": p, "p2": p2, "t": st.topic,
                "n": self.number(True), "n2": self.number(), "wd": r.choice(_WEEKDAYS),
                "mo": r.choice(_MONTHS), "who": self.name(), "job": r.choice(_JOBS),
                "org": r.choice(_ORGS), "adj": r.choice(_ADJ), "s": st.lead.name.split()[-1],
                "A": st.a, "B": st.b, "t_cap": st.topic[:1].upper() + st.topic[1:]}  # fmt: skip

    def fill(self, template: str) -> str:
        return template.format(**self.slots())

    def background(self, k: int) -> str:
        if len(self.unused) < k:
            self.unused = list(_BACKGROUND)
        chosen = self.rng.sample(self.unused, k)
        self.unused = [t for t in self.unused if t not in chosen]
        return " ".join(self.fill(t) for t in chosen)


@dataclass
class _Statement:
    id: str
    speaker: Speaker
    day: date
    we: str
    hedge: str | None
    aux: str  # will | can
    negated: bool
    verb: str  # with {n} still in it when it takes a number
    number: int | None
    tail: str
    second: str | None

    def words(self, *, negated: bool | None = None, number: int | None = None,
              hedge: bool = True, wording: bool = False, trimmed: bool = False) -> str:  # fmt: skip
        neg = self.negated if negated is None else negated
        hedged = bool(hedge and self.hedge)
        if self.aux == "will":
            aux = " ".join(w for w in ("will", self.hedge if hedged else "", "not" if neg else "")
                           if w)  # fmt: skip
        else:
            aux = " ".join(w for w in (self.hedge if hedged else "", "cannot" if neg else "can")
                           if w)  # fmt: skip
        value = number if number is not None else self.number
        verb = self.verb.replace("{n}", f"{value:,}") if value is not None else self.verb
        parts = [self.we, aux, verb]
        if not trimmed:
            parts.append(self.tail)
        first = " ".join(p for p in parts if p)
        second = self.second if (self.second and not trimmed) else None
        if wording:
            first, second = _swap(first, _SAME), (_swap(second, _SAME) if second else None)
        text = first + "."
        return f"{text} {second}" if second else text


def _swap(text: str, table: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        word = m.group(0)
        other = table.get(word.lower())
        if other is None:
            return word
        return other[:1].upper() + other[1:] if word[:1].isupper() else other

    return re.sub(r"[A-Za-z]+", one, text)


@dataclass
class _Story:
    id: str
    day: date
    a: str
    b: str
    ca: str
    cb: str
    places: list[str]
    topic: str
    speakers: list[Speaker]
    statements: list[_Statement] = field(default_factory=list)

    @property
    def lead(self) -> Speaker:
        return self.speakers[0]


def _story(rng: random.Random, n: int, day: date, used: dict[str, dict[str, date]]) -> _Story:
    a, b = rng.choice(_PAIRS)
    if rng.random() < 0.5:
        a, b = b, a
    (_ca_code, ca, pa), (_cb_code, cb, pb) = _COUNTRIES[a][:3], _COUNTRIES[b][:3]
    speakers = [s for s in _SPEAKERS if s.country in (a, b)]
    extra = [s for s in _SPEAKERS if s.country not in (a, b) and s.code.startswith("IGO")]
    chosen = rng.sample(speakers, min(len(speakers), rng.randint(1, 3)))
    if extra and rng.random() < 0.3:
        chosen.append(rng.choice(extra))
    story = _Story(f"story{n:06d}", day, a, b, ca, cb, [*pa, *pb, ca, cb], rng.choice(_TOPICS),
                   chosen)  # fmt: skip
    maker = _Maker(rng, story)
    for i, speaker in enumerate(chosen):
        for j in range(rng.randint(1, 2)):
            # One speaker does not say the same thing twice in a week (a repeated statement
            # is one statement; the truth could not tell them apart).
            recent = used.setdefault(speaker.name, {})
            fresh = [v for v in _VERBS if (day - recent.get(v[0], date.min)).days > 7]
            verb, numbered = rng.choice(fresh or list(_VERBS))
            recent[verb] = day
            slots = maker.slots()
            story.statements.append(
                _Statement(
                    id=f"{story.id}.q{i}{j}",
                    speaker=speaker,
                    day=day,
                    we=speaker.we,
                    hedge=rng.choice(_HEDGES) if rng.random() < 0.4 else None,
                    aux=rng.choice(("will", "will", "can")),
                    negated=rng.random() < 0.25,
                    verb=verb.replace("{n}", "\0").format(**slots).replace("\0", "{n}"),
                    number=rng.randint(12, 4800) if numbered else None,
                    tail=rng.choice(_TAILS).format(**slots),
                    second=rng.choice(_SECOND).format(**slots) if rng.random() < 0.6 else None,
                )
            )
    return story


def _render(rng: random.Random, st: _Statement, first: bool) -> tuple[str, str]:
    """How one article renders a statement: (rendering kind, words)."""
    if first:
        return "canonical", st.words()
    kinds = ["verbatim", "verbatim", "wording", "wording", "wording", "negation", "trimmed"]
    if st.number is not None:
        kinds += ["number", "number"]
    if st.hedge:
        kinds += ["hedge", "hedge"]
    kind = rng.choice(kinds)
    if kind == "negation":
        return kind, st.words(negated=not st.negated)
    if kind == "number":
        assert st.number is not None
        other = st.number
        while other == st.number:
            other = rng.choice((st.number * 2, st.number + rng.randint(1, 40), st.number // 3 + 1))
        return kind, st.words(number=other)
    if kind == "hedge":
        return kind, st.words(hedge=False)
    if kind == "wording":
        return kind, st.words(wording=True)
    if kind == "trimmed":
        if st.second is None and st.tail:
            return kind, st.words(trimmed=True)
        return kind, st.words(trimmed=True) if st.second else st.words()
    return kind, st.words()


def _quote_paragraph(rng: random.Random, st: _Statement, words: str, day: date,
                     named: set[str]) -> str:  # fmt: skip
    sp = st.speaker
    surname = sp.name.split()[-1]
    when = f" on {_WEEKDAYS[st.day.weekday()]}" if day > st.day else ""
    full = sp.name not in named
    named.add(sp.name)
    who = f"{sp.country}'s {sp.role} {sp.name}" if full else surname
    inner = words[:-1] if words.endswith(".") else words
    form = rng.randrange(3)
    if form == 0:
        return f"“{inner},” {who} said{when}."
    if form == 1:
        return f"{who[:1].upper() + who[1:]} told reporters{when}: “{words}”"
    return f"“{inner},” {who} said{when}, speaking to journalists."


def _article(rng: random.Random, story: _Story, outlet: tuple[str, str, str, str | None],
             day: date, first: bool, name: str) -> Doc:  # fmt: skip
    maker = _Maker(rng, story)
    title = maker.fill(rng.choice(_HEADLINES))
    lead = maker.fill(rng.choice(_LEADS))
    place = rng.choice(story.places)
    if outlet[3]:
        lead = f"{place.upper()} ({outlet[3]}) — {lead}"
    paragraphs = [lead, maker.background(2)]
    planted: list[Planted] = []
    named: set[str] = set()
    for st in story.statements:
        kind, words = _render(rng, st, first)
        paragraphs.append(_quote_paragraph(rng, st, words, day, named))
        planted.append(Planted(st.id, st.speaker.name, kind, words))
        paragraphs.append(maker.background(rng.randint(1, 3)))
    if rng.random() < 0.5:
        quote = maker.fill(rng.choice(_LOCAL_QUOTES))
        paragraphs.append(f"“{quote},” said {maker.name()}, {rng.choice(_JOBS)} in {place}.")
    while sum(len(p.split()) for p in paragraphs) < WORDS:
        paragraphs.append(maker.background(rng.randint(2, 3)))
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    url = f"https://www.{outlet[1]}/{outlet[2]}/{day:%Y/%m/%d}/{slug}-{name[-6:]}/"
    mentions = _mentions(story, paragraphs)
    return Doc(name, outlet[0], outlet[1], day.isoformat(), title, url, story.id, paragraphs,
               planted, mentions=mentions)  # fmt: skip


def _mentions(story: _Story, paragraphs: Sequence[str]) -> list[Mention]:
    text = "\n".join(paragraphs)
    out: list[Mention] = []
    for country in (story.a, story.b):
        out += [Mention(country, "GPE", _COUNTRIES[country][0])] * text.count(country)
    for place in story.places:
        out += [Mention(place, "GPE", None)] * text.count(place)
    for sp in story.speakers:
        surname = sp.name.split()[-1]
        out += [Mention(surname, "PERSON", sp.code)] * text.count(surname)
    for org in _ORGS:
        out += [Mention(org[4:], "ORG", None)] * text.count(org)
    return out


# -- copies ----------------------------------------------------------------------------------------
def _spin_words(rng: random.Random, paragraph: str, share: float) -> str:
    """Swap about `share` of the swappable words of a paragraph for their synonyms."""

    def one(m: re.Match[str]) -> str:
        word = m.group(0)
        other = _SPIN.get(word.lower())
        if other is None or rng.random() >= share:
            return word
        return other[:1].upper() + other[1:] if word[:1].isupper() else other

    return re.sub(r"[A-Za-z]+", one, paragraph)


def _edit(rng: random.Random, doc: Doc, swaps: int) -> list[str]:
    """The paragraphs with `swaps` words swapped for synonyms, outside the quotes."""
    paragraphs = list(doc.paragraphs)
    spots = [(i, m.start(), m.end()) for i, p in enumerate(paragraphs) if "“" not in p
             for m in re.finditer(r"[A-Za-z]+", p) if m.group(0).lower() in _SPIN]  # fmt: skip
    chosen = sorted(rng.sample(spots, min(swaps, len(spots))), key=lambda s: (s[0], -s[1]))
    for i, start, end in chosen:
        p = paragraphs[i]
        word = p[start:end]
        other = _SPIN[word.lower()]
        other = other[:1].upper() + other[1:] if word[:1].isupper() else other
        paragraphs[i] = p[:start] + other + p[end:]
    return paragraphs


def _copy(rng: random.Random, base: Doc, kind: str, outlet: tuple[str, str, str, str | None],
          name: str, story: _Story) -> Doc:  # fmt: skip
    day = date.fromisoformat(base.published) + timedelta(days=rng.choice((0, 0, 1)))
    paragraphs = list(base.paragraphs)
    title = base.title
    if kind == "near":
        paragraphs = _edit(rng, base, rng.randint(1, 16))
        if rng.random() < 0.5:
            paragraphs.append(_Maker(rng, story).background(1))
        title = _spin_words(rng, title, 1.0)
    elif kind == "heavy":
        paragraphs = _edit(rng, base, rng.randint(18, 45))
        title = _spin_words(rng, title, 1.0)
    elif kind == "trimmed":
        keep = max(6, int(len(paragraphs) * rng.uniform(0.45, 0.75)))
        paragraphs = paragraphs[:keep]
    elif kind == "rewrite":
        paragraphs = [p if "“" in p else _spin_words(rng, p, 0.9) for p in paragraphs]
        title = _spin_words(rng, title, 1.0)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    url = f"https://www.{outlet[1]}/{outlet[2]}/{day:%Y/%m/%d}/{slug}-{name[-6:]}/"
    body = "\n".join(paragraphs)
    # A copy quotes what its original quoted, rendered as the original rendered it.
    quotes = [q for q in base.quotes if q.text[:-1] in body]
    return Doc(name, outlet[0], outlet[1], day.isoformat(), title, url, base.story, paragraphs,
               quotes, base.name, kind, _mentions(story, paragraphs))  # fmt: skip


# -- the corpus ------------------------------------------------------------------------------------
COPY_RATE = 0.25  # share of base articles that get a copy
COPY_WEIGHTS = {"exact": 1, "near": 4, "heavy": 2, "trimmed": 2, "rewrite": 2}


def generate(n: int, seed: int = 0, *, start: str = "2025-01-06", per_day: int = 0) -> list[Doc]:
    """`n` generated articles in publication order (copies after their originals), the same for
    the same arguments. `per_day` (0: about 12) is how many articles a day carries, so a large
    corpus spans more days rather than packing more news into each."""
    return list(stream(n, seed, start=start, per_day=per_day))


def stream(n: int, seed: int = 0, *, start: str = "2025-01-06", per_day: int = 0) -> Iterator[Doc]:
    """The articles of `generate`, one at a time (a large corpus need not be held at once)."""
    return _docs(n, seed, date.fromisoformat(start), per_day or 12)


def _docs(n: int, seed: int, start: date, per_day: int) -> Iterator[Doc]:
    rng = random.Random(seed)
    used: dict[str, dict[str, date]] = {}
    made = 0
    story_n = 0
    stories_per_day = max(1, per_day // 3)
    while made < n:
        story_n += 1
        day = start + timedelta(days=story_n // stories_per_day)
        story = _story(rng, story_n, day, used)
        outlets = rng.sample(_OUTLETS, k=len(_OUTLETS))
        count = rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
        for i in range(count):
            if made >= n:
                return
            when = day + timedelta(days=0 if i == 0 else rng.choice((0, 1, 1, 2)))
            doc = _article(rng, story, outlets[i % len(outlets)], when, i == 0,
                           f"g{seed}-{made:07d}")  # fmt: skip
            made += 1
            yield doc
            if made < n and rng.random() < COPY_RATE:
                kind = rng.choices(list(COPY_WEIGHTS), weights=list(COPY_WEIGHTS.values()))[0]
                other = outlets[(i + count) % len(outlets)]
                yield _copy(rng, doc, kind, other, f"g{seed}-{made:07d}", story)
                made += 1


def near_pairs(docs: Sequence[Doc], near: float = 0.8, contained: float = 0.9) -> dict[
    frozenset[str], str
]:  # fmt: skip
    """Every pair of distinct texts among `docs` that is a near duplicate (word 5-gram Jaccard at
    least `near`) or a trimmed copy (containment at least `contained`), measured exactly, by doc
    names: {pair: "near" | "trimmed"}. Pairs of the same text (exact copies) are left out."""
    from ..group.shingles import containment, jaccard, shingles

    grams = {d.name: shingles(d.body) for d in docs}
    index: dict[str, list[str]] = {}
    for name, g in grams.items():
        for gram in g:
            index.setdefault(gram, []).append(name)
    out: dict[frozenset[str], str] = {}
    for name, g in grams.items():
        shared: dict[str, int] = {}
        for gram in g:
            for other in index[gram]:
                if other != name:
                    shared[other] = shared.get(other, 0) + 1
        for other, k in shared.items():
            pair = frozenset((name, other))
            if pair in out or grams[other] == g:
                continue
            # Enough shared 5-grams to clear either bar: the exact check is then worth making.
            if k >= near * min(len(g), len(grams[other])) or k >= contained * min(
                len(g), len(grams[other])
            ):
                if jaccard(g, grams[other]) >= near:
                    out[pair] = "near"
                elif containment(g, grams[other]) >= contained:
                    out[pair] = "trimmed"
    return out

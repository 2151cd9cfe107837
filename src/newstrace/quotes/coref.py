"""In-document speaker naming: which person or body a speaker mention ("he", "Putin", "the Russian
leader", "the Kremlin") stands for, reported as the fullest name the article gives.

This is a small salience-based resolver built for attributions, not a general coreference system:
persons are the PERSON entities (plus proper-noun speakers the tagger missed), grouped by surname;
pronouns go to the nearest compatible subject; definite descriptions go to the most recent person
whose title fits. Linking names to actors in a registry belongs to `newstrace.actors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .lexicon import honorifics, role_heads

__all__ = ["SpeakerResolver"]

_MASC = frozenset({"he", "him", "his", "himself"})
_FEM = frozenset({"she", "her", "hers", "herself"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_GROUP_PRONOUNS = frozenset({"it", "they", "them"})
_MASC_ROLES = frozenset(
    {"mr", "mr.", "spokesman", "king", "chairman", "congressman", "husband", "father", "son", "sir"}
)
_FEM_ROLES = frozenset(
    {
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "spokeswoman",
        "queen",
        "chairwoman",
        "congresswoman",
        "wife",
        "mother",
        "daughter",
        "dame",
    }
)
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_ROLE_DEPS = frozenset({"compound", "amod", "nmod", "poss", "nummod"})
_SENTENCES_BACK = 6
_SPEAKER_REACH = 12  # sentences back to the last speaker when nobody else is named in between


@dataclass
class _Person:
    name: str
    roles: set[str] = field(default_factory=set)
    nationalities: set[str] = field(default_factory=set)
    masc: int = 0
    fem: int = 0

    @property
    def gender(self) -> str | None:
        if self.masc >= 2 * max(self.fem, 1) or (self.masc and not self.fem):
            return "m"
        if self.fem >= 2 * max(self.masc, 1) or (self.fem and not self.masc):
            return "f"
        return None


@dataclass(frozen=True)
class _Mention:
    token: int  # index of the mention's last token (its head for names)
    person: int  # index into SpeakerResolver.people
    subject: bool


def _clean_name(tokens: list[Token]) -> list[Token]:
    """Drop honorifics, possessive endings and punctuation around a name."""
    hon = honorifics()
    out = [
        t
        for t in tokens
        if not (t.is_punct or t.is_space)
        and t.tag_ != "POS"
        and t.text not in ("'s", "’s")
        and t.text.strip()
    ]
    while out and out[0].text.lower() in hon:
        out = out[1:]
    return out


def _text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i : tokens[-1].i + 1].text


def _in_subject(tok: Token) -> bool:
    """True when the token heads a subject, directly or as an apposition/compound of one."""
    t = tok
    for _ in range(3):
        if t.dep_ in _SUBJECT_DEPS:
            return True
        if t.dep_ in ("appos", "compound", "conj") and t.head is not t:
            t = t.head
            continue
        return False
    return False


def _is_name_like(tok: Token) -> bool:
    """A capitalised word the tagger may have missed as a name ("Zelenskyy said")."""
    if not tok.text[:1].isupper() or tok.is_stop or tok.pos_ not in ("PROPN", "NOUN", "X"):
        return False
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    if not tok.is_sent_start:
        return True
    # Sentence-initial capitals are ambiguous ("Officials said"): trust it only if the word is also
    # capitalised somewhere else mid-sentence.
    return any(t.text == tok.text and not t.is_sent_start for t in tok.doc if t.i != tok.i)


class SpeakerResolver:
    """Names for speaker mentions in one parsed document."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.people: list[_Person] = []
        self._by_full: dict[str, int] = {}
        self._mentions: list[_Mention] = []
        self._mention_of_token: dict[int, int] = {}
        self._speakers: list[tuple[int, int]] = []  # (token index, person) of resolved speakers
        self._build()

    # -- building the inventory -------------------------------------------------------------
    def _person_for(self, name_tokens: list[Token], at: int) -> int | None:
        words = [t.text.strip() for t in name_tokens if t.text.strip()]
        if not words:
            return None
        full = " ".join(words)
        if len(words) >= 2:
            idx = self._by_full.get(full.lower())
            if idx is None:
                # "Vladimir Putin" and "Vladimir Vladimirovich Putin": same surname, compatible first names.
                for key, i in self._by_full.items():
                    kw = key.split()
                    if kw[-1] == words[-1].lower() and kw[0] == words[0].lower():
                        idx = i
                        if len(full) > len(self.people[i].name):
                            self.people[i].name = full
                        break
            if idx is None:
                idx = len(self.people)
                self.people.append(_Person(full))
            self._by_full[full.lower()] = idx
            return idx
        return self._surname(words[0], at)

    def _surname(self, word: str, at: int) -> int | None:
        """A one-word mention: the person with that surname mentioned most recently before `at`,
        else the first one mentioned after it, else a new person known only by that word."""
        low = word.lower()
        best: int | None = None
        for m in self._mentions:
            if m.token < at and _surname_of(self.people[m.person].name) == low:
                best = m.person
        if best is not None:
            return best
        for key, i in self._by_full.items():
            if key.split()[-1] == low:
                return i
        idx = self._by_full.get(low)
        if idx is None:
            idx = len(self.people)
            self.people.append(_Person(word))
            self._by_full[low] = idx
        return idx

    def _build(self) -> None:
        doc = self.doc
        # An entity that runs over a line break is a tagging error on page furniture ("Aparna
        # Shandilya\nFollow"): keep only its first line.
        lines = [_first_line(e) for e in doc.ents if e.label_ == "PERSON"]
        persons = [e for e in lines if e is not None]
        ents = sorted(persons, key=lambda e: (-len(e), e.start))
        # Full names first so that a bare surname earlier in the text ("Putin" in the headline) can
        # still find the full name given later.
        for ent in ents:
            toks = _clean_name(list(ent))
            if len(toks) >= 2:
                self._person_for(toks, ent.start)
        for ent in sorted(persons, key=lambda e: e.start):
            toks = _clean_name(list(ent))
            idx = self._person_for(toks, ent.start) if toks else None
            if idx is None:
                continue
            self._add_mention(ent, idx)
        self._gender_evidence()

    def _add_mention(self, ent: Span, idx: int) -> None:
        head = ent.root
        self._mentions.append(_Mention(ent.end - 1, idx, _in_subject(head)))
        for t in ent:
            self._mention_of_token[t.i] = idx
        self._collect_roles(ent, idx)

    def _collect_roles(self, ent: Span, idx: int) -> None:
        person = self.people[idx]
        head = ent.root

        def add(tok: Token) -> None:
            for t in tok.subtree:
                if t.i in self._mention_of_token or t.is_punct or t.pos_ in ("DET", "ADP", "PART"):
                    continue
                low = t.text.lower()
                person.roles.add(low)
                if t.ent_type_ == "NORP" or (t.text[:1].isupper() and t.pos_ == "ADJ"):
                    person.nationalities.add(low)
                # A title or honorific settles gender; pronoun counts only lean.
                if low in _MASC_ROLES:
                    person.masc += 10
                if low in _FEM_ROLES:
                    person.fem += 10

        for c in head.children:
            if c.dep_ in _ROLE_DEPS and c.i < ent.start and c.dep_ != "poss":
                add(c)
        for t in ent:
            if t.text.lower() in honorifics():
                add(t)
        if head.dep_ == "appos" and head.head.pos_ in ("NOUN", "PROPN"):
            gov = head.head
            if gov.i not in self._mention_of_token:
                for c in gov.children:
                    if c.dep_ in ("compound", "amod") and c.i < gov.i:
                        add(c)
                person.roles.add(gov.lemma_.lower())
        for c in head.children:
            if c.dep_ == "appos" and c.pos_ == "NOUN":
                person.roles.add(c.lemma_.lower())
                for cc in c.children:
                    if cc.dep_ in ("compound", "amod"):
                        add(cc)

    def _gender_evidence(self) -> None:
        """Count he/she pronouns in sentences that mention exactly one person (and the sentence after)."""
        sents = list(self.doc.sents)
        for k, sent in enumerate(sents):
            people = {self._mention_of_token[t.i] for t in sent if t.i in self._mention_of_token}
            if len(people) != 1:
                continue
            (idx,) = people
            scope = list(sent)
            if k + 1 < len(sents) and not any(t.i in self._mention_of_token for t in sents[k + 1]):
                scope += list(sents[k + 1])
            for t in scope:
                low = t.text.lower()
                if low in _MASC:
                    self.people[idx].masc += 1
                elif low in _FEM:
                    self.people[idx].fem += 1

    # -- lookups for names found outside the parse (headlines, transcripts) ------------------
    def known_surname(self, word: str) -> bool:
        """True when `word` is the last name of a person the article mentions."""
        low = word.lower().strip(".,")
        return any(_surname_of(p.name) == low for p in self.people)

    def known_body(self, name: str) -> bool:
        """True when `name` is an organisation, place or group the article mentions by name."""
        low = name.lower()
        return any(
            e.label_ in ("ORG", "GPE", "NORP", "FAC")
            and e.text.lower().removeprefix("the ") == low.removeprefix("the ")
            for e in self.doc.ents
        )

    def name_for_string(self, name: str) -> str:
        """The fullest name for a bare name string ("Putin" -> "Vladimir Putin")."""
        words = name.split()
        if not words:
            return name
        low = words[-1].lower().strip(".,")
        matches = [p.name for p in self.people if _surname_of(p.name) == low]
        if not matches:
            return name
        return max(matches, key=len)

    # -- resolution --------------------------------------------------------------------------
    def note_speaker(self, token: int, person: int | None) -> None:
        """Remember a resolved speaker: pronouns that follow prefer recent speakers."""
        if person is not None:
            self._speakers.append((token, person))
            # A resolved "he" is itself a mention: chains of pronouns keep pointing at the speaker.
            self._mentions.append(_Mention(token, person, True))
            self._mentions.sort(key=lambda m: m.token)

    def resolve(self, span: Span, head: Token) -> tuple[str, int | None]:
        """(name, person index or None) for a speaker mention with syntactic head `head`."""
        low = head.text.lower()
        if low in ("who", "that", "which") and head.dep_ == "nsubj":
            # 'Annette Guessford, who ... said': the relative clause's antecedent
            clause = head.head
            while clause.dep_ == "conj" and clause.head is not clause:
                clause = clause.head
            if clause.dep_ == "relcl" and clause.head.pos_ in ("NOUN", "PROPN", "PRON"):
                ante = clause.head
                return self.resolve(ante.doc[ante.left_edge.i : ante.i + 1], ante)
            return span.text, None
        if head.pos_ == "PRON" or low in _PERSON_PRONOUNS | _GROUP_PRONOUNS:
            if low in _PERSON_PRONOUNS:
                idx = self._pronoun(head, "m" if low in ("he", "him") else "f")
                if idx is not None:
                    return self.people[idx].name, idx
            elif low in _GROUP_PRONOUNS:
                group = self._group(head)
                if group:
                    return group, None
            return span.text, None
        idx = self._person_in(span, head)
        if idx is not None:
            return self.people[idx].name, idx
        if (head.pos_ == "NOUN" and not _is_name_like(head)) or head.lower_ in role_heads():
            idx = self._description(head)
            if idx is not None:
                return self.people[idx].name, idx
        return _base_np(head), None

    def _person_in(self, span: Span, head: Token) -> int | None:
        """The person a name-bearing mention names: the PERSON entity on its head or apposition,
        never one inside a possessive ("Putin's press secretary, Dmitry Peskov" -> Peskov)."""
        candidates = [head, *[c for c in head.children if c.dep_ == "appos"]]
        if head.dep_ == "appos":
            candidates.append(head.head)
        for c in candidates:
            if c.i in self._mention_of_token and span.start <= c.i < span.end:
                return self._mention_of_token[c.i]
        for c in candidates:
            if span.start <= c.i < span.end and _is_name_like(c):
                chain = [
                    t
                    for t in c.lefts
                    if t.dep_ == "compound"
                    and t.pos_ == "PROPN"
                    and t.text[:1].isupper()
                    and "\n"
                    not in t.doc[t.i : c.i].text  # 'REUTERS\nPutin' is a caption and a name
                ]
                toks = _clean_name([*chain, c])
                # The tagger sometimes calls a surname an organisation ("Orban said"): a word that is
                # the surname of a person named in the article is that person.
                if toks and (
                    c.ent_type_ not in ("ORG", "GPE", "NORP", "FAC", "LOC")
                    or self.known_surname(c.text)
                ):
                    idx = self._person_for(toks, c.i)
                    if idx is not None:
                        self._mentions.append(_Mention(c.i, idx, True))
                        self._mention_of_token[c.i] = idx
                    return idx
        return None

    def _pronoun(self, tok: Token, gender: str) -> int | None:
        sent_starts = [s.start for s in self.doc.sents]
        sent_of = _sentence_index(sent_starts, tok.i)
        best: tuple[float, int] | None = None
        recent = {
            p
            for t, p in self._speakers
            if t < tok.i and _sentence_index(sent_starts, t) >= sent_of - 3
        }
        for m in self._mentions:
            if m.token >= tok.i:
                continue
            dist = sent_of - _sentence_index(sent_starts, m.token)
            if dist > _SENTENCES_BACK:
                continue
            g = self.people[m.person].gender
            if g is not None and g != gender:
                continue
            score = 2.0 * dist - (1.0 if m.subject else 0.0) - (1.5 if m.person in recent else 0.0)
            score -= m.token / 1e6  # ties: the later mention
            if best is None or score < best[0]:
                best = (score, m.person)
        if best is not None:
            return best[1]
        return self._last_speaker(tok, gender, sent_starts, sent_of)

    def _last_speaker(
        self, tok: Token, gender: str, sent_starts: list[int], sent_of: int
    ) -> int | None:
        """Past the usual reach, "he added" still means the last speaker when no other person
        has been named since: background paragraphs between two quotes do not change who talks."""
        earlier = [(t, p) for t, p in self._speakers if t < tok.i]
        if not earlier:
            return None
        at, person = max(earlier)
        if sent_of - _sentence_index(sent_starts, at) > _SPEAKER_REACH:
            return None
        if any(at < m.token < tok.i and m.person != person for m in self._mentions):
            return None
        g = self.people[person].gender
        return person if g is None or g == gender else None

    def _group(self, tok: Token) -> str | None:
        """ "it"/"they": the nearest earlier subject that is not a person (an institution or a state)."""
        sents = [s for s in self.doc.sents if s.start <= tok.i]
        for sent in reversed(sents[-4:]):
            subjects = [
                t
                for t in sent
                if t.i < tok.i
                and t.dep_ in _SUBJECT_DEPS
                and t.pos_ in ("PROPN", "NOUN")
                and t.i not in self._mention_of_token
                and (
                    t.ent_type_ in ("ORG", "GPE", "NORP", "FAC")
                    or t.text[:1].isupper()
                    or t.tag_ in ("NNS", "NNPS")
                )
            ]
            if tok.text.lower() == "it":
                subjects = [t for t in subjects if t.tag_ not in ("NNS", "NNPS")]
            if subjects:
                # the main clause's subject, not one buried in a complement
                return _base_np(min(subjects, key=lambda t: (_depth(t), t.i)))
        return None

    def _description(self, head: Token) -> int | None:
        """ "the Russian leader", "the country's president": the most recent person whose title fits."""
        if not any(c.dep_ in ("det", "poss") for c in head.children):
            return None
        if any(
            c.dep_ == "det" and c.lower_ in ("a", "an", "another", "some", "any")
            for c in head.children
        ):
            return None
        word = head.lemma_.lower()
        wanted = role_heads().get(word, frozenset()) | {word}
        mods = {
            c.text.lower()
            for c in head.children
            if c.dep_ in ("amod", "compound") and (c.ent_type_ == "NORP" or c.text[:1].isupper())
        }
        best: int | None = None
        for m in self._mentions:
            if m.token >= head.i:
                continue
            p = self.people[m.person]
            if not (p.roles & wanted or ("*" in wanted and p.roles)):
                continue
            if mods and p.nationalities and not (mods & p.nationalities):
                continue
            best = m.person
        return best


def _surname_of(name: str) -> str:
    words = name.lower().split()
    return words[-1] if words else ""


def _first_line(ent: Span) -> Span | None:
    for t in ent:
        if "\n" in t.text or "\n" in t.whitespace_:
            end = t.i if "\n" in t.text else t.i + 1
            return ent.doc[ent.start : end] if end > ent.start else None
    return ent


def _depth(tok: Token) -> int:
    d = 0
    while tok.head is not tok and d < 50:
        tok = tok.head
        d += 1
    return d


def _sentence_index(starts: list[int], i: int) -> int:
    lo, hi = 0, len(starts)
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= i:
            lo = mid
        else:
            hi = mid
    return lo


def _base_np(head: Token) -> str:
    """The noun phrase up to its head, plus a short of/for/at/from/in phrase: no appositions or
    relative clauses ("a State Department official", "the Kremlin", "a spokesman for the Kremlin")."""
    doc = head.doc
    start = head.left_edge.i
    end = head.i + 1
    for c in head.rights:
        if c.dep_ == "prep" and c.lower_ in ("of", "for", "at", "from", "in") and c.i == end:
            sub = list(c.subtree)
            if len(sub) <= 6 and not any(t.is_punct for t in sub):
                end = sub[-1].i + 1
        if c.dep_ == "compound" and c.i == end:
            end = c.i + 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return doc[start:end].text

"""The time-aware actor resolver: text (and the article's date) in, ``ActorMention``s out.

One automaton pass finds every known phrase; the longest non-overlapping matches become tokens;
``_DocumentPass`` then composes neighbouring tokens ("Russian" + "Foreign Minister" + a name,
"adviser to the" + "Russian President" + ", Yuri Ushakov") and resolves people on the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from detente.actors import lexicon as lx
from detente.actors.ambiguity import CueCounts, Decision
from detente.actors.fuzzy import FuzzyHit, FuzzyNames
from detente.actors.kb import KnowledgeBase, Person, load_kb
from detente.actors.lexicon import Entry, Extras, load_extras
from detente.actors.matcher import Match, Matcher
from detente.actors.normalise import key
from detente.actors.people import read_person
from detente.records import ActorMention

QUALIFIERS = frozenset({lx.STATE, lx.STATE_ADJ, lx.METONYM, lx.ORGANISATION, lx.BODY, lx.GROUP, lx.GROUP_ADJ})
ADJECTIVES = frozenset({lx.STATE_ADJ, lx.GROUP_ADJ})
HEADS = frozenset({lx.AGENT, lx.TITLE, lx.INSTITUTION})
PEOPLE = frozenset({lx.PERSON, lx.SHORT})
PEOPLE_OF_STATE = frozenset({lx.STATE_ADJ, lx.DEMONYM})
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“A-Z])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z][a-z]{0,3}|\b[A-Z])\.\Z")  # "Gen." or "U.": no sentence end
STANDALONE_ORDER = (lx.PERSON, lx.STATE, lx.METONYM, lx.BODY, lx.ORGANISATION, lx.INSTITUTION, lx.GROUP,
                    lx.DEMONYM, lx.SHORT)  # fmt: skip

_CONJUNCTION = re.compile(r"(?:\s*,\s*|\s+)(?:and|or|&)\s+|\s*,\s*", re.IGNORECASE)
_HEAD_GAP = re.compile(r"(?:['’]s?)?\s+")
_NAME_GAP = re.compile(r",?\s+")
_LINK = re.compile(r"\s+(?:to|of|for)\s+(?:the\s+)?", re.IGNORECASE)
_NAME_WORD = r"(?:[A-Z]\.|[A-Z][\w'’-]*)"  # a capitalised word or an initial
_PARTICLE = r"(?:de|da|di|du|la|le|van|von|der|den|al|el|bin|ibn|ben|dos|das)"
_UNKNOWN_NAME = re.compile(rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,3}}")
_GIVEN_NAME = re.compile(rf"(?<![\w'’.])({_NAME_WORD})\s+\Z")  # a capitalised word right before a surname
_CAPITALISED_RUN = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}")
_MEANS = {
    lx.STATE: "names",
    lx.STATE_ADJ: "is the adjective of",
    lx.METONYM: "stands for the government of",
    lx.ORGANISATION: "names",
    lx.BODY: "is a body of",
    lx.GROUP: "names the group",
    lx.GROUP_ADJ: "is the adjective of",
    lx.DEMONYM: "are the people of",
    lx.INSTITUTION: "is an institution of",
}
_MENTION_KIND = {lx.BODY: "organisation", lx.INSTITUTION: "agent"}  # the kinds ActorMention documents
HOLDER_TITLES = ("President", "Prime Minister", "Chancellor", "Foreign Minister", "Defence Minister",
                 "Secretary of State", "Supreme Leader", "King")  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Qualifier:
    code: str
    entry: Entry
    kind: str
    confidence: float
    why: str
    ambiguous_with: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Head:
    sector: str
    role: str | None
    kind: str  # agent | institution | title
    name: str | None = None


class Resolver:
    """Finds actors in text. Cheap to pickle: the automaton is rebuilt lazily where it is used."""

    def __init__(self, kb: KnowledgeBase, extras: Extras | None = None) -> None:
        self.kb = kb
        self.extras = extras or load_extras()
        self.matcher = Matcher(lx.build_entries(kb, self.extras))
        self.fuzzy = FuzzyNames(kb)
        self.rule_of = lx.rule_index_by_name(self.extras)

    def find_mentions(self, text: str, on: date | None = None) -> list[ActorMention]:
        """Actors in ``text`` on the date ``on``: non-overlapping, longest match first, sorted by offset."""
        return _DocumentPass(self, text, on).run()

    def lookup(self, name: str, on: date | None = None) -> ActorMention | None:
        """The actor a bare name or phrase means ("Lavrov", "the Kremlin", "Russian diplomats")."""
        phrase = name.strip()
        if not phrase:
            return None
        mentions = _DocumentPass(self, phrase, on).run(fuzzy_runs=False)
        whole = [mention for mention in mentions if mention.start == 0 and mention.end == len(phrase)]
        if whole:
            return whole[0]
        adjective = self._adjective(phrase)
        if adjective is not None:
            return adjective
        hit = self.fuzzy.best(phrase)
        if hit is not None:
            return _DocumentPass(self, phrase, on).fuzzy_mention(0, len(phrase), hit)
        return mentions[0] if len(mentions) == 1 else None

    def _adjective(self, phrase: str) -> ActorMention | None:
        entries = [entry for entry in self.matcher.entries_for(phrase) if entry.kind in ADJECTIVES]
        if not entries or not entries[0].code:
            return None
        entry = entries[0]
        return ActorMention(
            text=phrase,
            code=entry.code,
            actor_id=entry.actor_id,
            name=self.kb.name_of(entry.code),
            confidence=0.8 if len(entries) == 1 else 0.5,
            start=0,
            end=len(phrase),
            kind="adjective",
            ambiguous_with=[other.code for other in entries[1:] if other.code and other.code != entry.code],
            why=f"{phrase!r} is an adjective of {self.kb.name_of(entry.code)}; an actor only with a noun",
        )


class _DocumentPass:
    """State for one text: tokens, cue counts, people introduced so far, names introduced by titles."""

    def __init__(self, resolver: Resolver, text: str, on: date | None) -> None:
        self.resolver = resolver
        self.kb = resolver.kb
        self.text = text
        self.on = on
        self.cues = CueCounts()
        self.introduced: dict[str, int] = {}  # person id -> order of first full mention
        self.aliases: dict[str, ActorMention] = {}  # surname of a person not in the KB -> their mention
        self.mentions: list[ActorMention] = []
        self.tokens = self._tokens(resolver.matcher.find(text))
        self._token_starts = {token.start for token in self.tokens}

    # -- tokens -------------------------------------------------------------------------------
    def _tokens(self, matches: list[Match]) -> list[Match]:
        """Count cues, then keep the longest non-overlapping matches (blockers win and vanish)."""
        candidates = []
        for match in matches:
            for entry in match.entries:
                if entry.kind == lx.CUE and entry.rule is not None and entry.option is not None:
                    self.cues.add(entry.rule, entry.option, self.text[match.start : match.end])
            kept = tuple(entry for entry in match.entries if entry.kind != lx.CUE)
            if any(entry.kind != lx.BLOCKER for entry in kept):
                kept = tuple(entry for entry in kept if entry.kind != lx.BLOCKER)
            if kept:
                candidates.append(Match(match.start, match.end, kept))
        candidates.sort(key=lambda match: (-match.length, match.start))
        taken = bytearray(len(self.text) + 1)
        tokens = []
        for match in candidates:
            if taken.find(1, match.start, match.end) == -1:
                taken[match.start : match.end] = b"\x01" * match.length
                tokens.append(match)
        tokens.sort(key=lambda match: match.start)
        return [token for token in tokens if token.entries[0].kind != lx.BLOCKER]

    def _span(self, token: Match) -> str:
        return self.text[token.start : token.end]

    def _gap(self, left: Match, right: Match) -> str:
        return self.text[left.end : right.start]

    # -- the pass -----------------------------------------------------------------------------
    def run(self, fuzzy_runs: bool = True) -> list[ActorMention]:
        index = 0
        while index < len(self.tokens):
            index = self._at(index)
        self._alias_mentions()
        if fuzzy_runs:
            self._fuzzy_mentions()
        return sorted(self.mentions, key=lambda mention: mention.start)

    def _at(self, index: int) -> int:
        token = self.tokens[index]
        former = False
        nxt = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        if _has(token, {lx.FORMER}) and nxt is not None and self._gap(token, nxt).isspace():
            former, index, token = True, index + 1, nxt
        if _only(token, PEOPLE_OF_STATE) and self._word_before(token.start) in self.resolver.extras.not_state_after:
            return index + 1  # "ethnic Albanians": a people, not the state's actors
        qualifiers, after = self._qualifier_run(index)
        if qualifiers and after < len(self.tokens):
            consumed = self._qualified_head(qualifiers, after, former)
            if consumed is not None:
                return consumed
        if _has(token, {lx.TITLE}):
            consumed = self._title_phrase(index, former)
            if consumed is not None:
                return consumed
        self._emit_single(token)
        return index + 1

    def _qualifier_run(self, index: int) -> tuple[list[Match], int]:
        """Coordinated qualifiers of one family: "Russian and Ukrainian", "the EU and NATO"."""
        first = self.tokens[index]
        if not (_has(first, QUALIFIERS) or _has(first, PEOPLE)):
            return [], index
        adjectival = _has(first, ADJECTIVES)
        run, position = [first], index + 1
        while position < len(self.tokens):
            candidate = self.tokens[position]
            if _has(candidate, ADJECTIVES) != adjectival or not _has(candidate, QUALIFIERS):
                break
            if not _CONJUNCTION.fullmatch(self._gap(run[-1], candidate)):
                break
            run.append(candidate)
            position += 1
        return run, position

    # -- qualifier + head ---------------------------------------------------------------------
    def _qualified_head(self, qualifiers: list[Match], head_index: int, former: bool) -> int | None:
        head_token = self.tokens[head_index]
        gap = self._gap(qualifiers[-1], head_token)
        demonym_head = _has(head_token, {lx.DEMONYM}) and _has(qualifiers[-1], {lx.STATE_ADJ})
        if not _HEAD_GAP.fullmatch(gap) or not (_has(head_token, HEADS) or demonym_head):
            return None
        possessive = gap.strip() != ""
        if _has(qualifiers[-1], PEOPLE) and not possessive:
            return None
        readings = [self._qualifier(token) for token in qualifiers]
        if any(reading is None for reading in readings):
            return None
        heads = [self._head(head_token, reading) for reading in readings if reading]
        if any(head is None for head in heads):
            return None
        start = qualifiers[0].start
        last_reading, last_head = readings[-1], heads[-1]
        assert last_reading is not None and last_head is not None
        if last_head.kind == "title" and len(qualifiers) == 1:
            consumed = self._name_after(head_index, start, last_reading, last_head, former)
            if consumed is not None:
                return consumed
        for token, reading, head in zip(qualifiers[:-1], readings[:-1], heads[:-1], strict=True):
            assert reading is not None and head is not None
            self._add_group_mention(token.start, token.end, reading, head, former)
        self._add_group_mention(
            qualifiers[-1].start if len(qualifiers) > 1 else start, head_token.end, last_reading, last_head, former
        )
        return head_index + 1

    def _qualifier(self, token: Match) -> _Qualifier | None:
        people = [entry for entry in token.entries if entry.kind in PEOPLE]
        if people:
            person = self._person_for(token, people, code_hint=None, titled=False)
            if person is None:
                return None
            reading = read_person(person[0], self.on)
            return _Qualifier(reading.code or person[0].country, people[0], "person", person[1], person[2])
        entries = [entry for entry in token.entries if entry.kind in QUALIFIERS and entry.code]
        chosen = self._choose(token, entries)
        if chosen is None:
            return None
        entry, confidence, why, others = chosen
        assert entry.code is not None
        return _Qualifier(entry.code, entry, entry.kind, confidence, why, tuple(others))

    def _head(self, token: Match, qualifier: _Qualifier) -> _Head | None:
        for entry in token.entries:
            if entry.kind == lx.INSTITUTION and entry.code == qualifier.code:
                name = f"{self.kb.name_of(entry.code)} {entry.phrase}"
                return _Head(entry.sector or "GOV", None, "institution", name)
        is_organisation = qualifier.kind in (lx.ORGANISATION, lx.BODY)
        for kind in (lx.TITLE, lx.AGENT):
            for entry in token.entries:
                if entry.kind == kind and entry.sector:
                    sector = "IGO" if is_organisation and entry.sector == "GOV" else entry.sector
                    return _Head(sector, entry.title, "title" if kind == lx.TITLE else "agent")
        if qualifier.kind == lx.STATE_ADJ and _has(token, {lx.DEMONYM}):
            return _Head("CVL", None, "agent")  # "Bosnian Serbs": a people of the qualifying state
        return None

    def _add_group_mention(self, start: int, end: int, qualifier: _Qualifier, head: _Head, former: bool) -> None:
        sector, role = head.sector, head.role
        actor_id, name = qualifier.code, head.name or self.kb.name_of(qualifier.code)
        why = f"{qualifier.why}; {self.text[start:end]!r}: {head.kind} of sector {head.sector}"
        if former:
            sector, role = "ELI", f"former {role}" if role else "former official"
        elif head.kind == "title" and role in HOLDER_TITLES and self.on is not None:
            holders = self.kb.holders(qualifier.code, self.on, (role,))
            if len(holders) == 1:
                person, _ = holders[0]
                actor_id, name = person.id, person.name
                why += f"; {role} on {self.on} was {person.name}"
        self._add(
            start,
            end,
            qualifier.code,
            sector,
            actor_id,
            name,
            role,
            qualifier.confidence,
            "agent",
            list(qualifier.ambiguous_with),
            why,
        )

    # -- titles and names ---------------------------------------------------------------------
    def _title_phrase(self, index: int, former: bool) -> int | None:
        """A title without a qualifier: "President Putin", "adviser to the Russian President, X"."""
        token = self.tokens[index]
        title = next(entry for entry in token.entries if entry.kind == lx.TITLE)
        link = _LINK.match(self.text, token.end)
        if link and index + 1 < len(self.tokens) and self.tokens[index + 1].start == link.end():
            qualifiers, after = self._qualifier_run(index + 1)
            if len(qualifiers) == 1 and after < len(self.tokens):
                reading = self._qualifier(qualifiers[0])
                inner = self.tokens[after]
                head = (
                    self._head(inner, reading)
                    if reading and _HEAD_GAP.fullmatch(self._gap(qualifiers[0], inner))
                    else None
                )
                if reading and head and head.kind == "title":
                    role = f"{title.title} {self.text[token.end : link.end()].strip()} {head.role}"
                    compound = _Head(title.sector or "GOV", role, "title")
                    consumed = self._name_after(after, token.start, reading, compound, former)
                    if consumed is not None:
                        return consumed
                    self._add_group_mention(token.start, inner.end, reading, compound, former)
                    return after + 1
        implied = (
            _Qualifier(title.code, title, lx.TITLE, 0.9, f"{title.phrase!r} implies {title.code}")
            if title.code
            else None
        )
        head = _Head(title.sector or "GOV", title.title, "title")
        return self._name_after(index, token.start, implied, head, former)

    def _name_after(
        self, head_index: int, start: int, qualifier: _Qualifier | None, head: _Head, former: bool
    ) -> int | None:
        """A known person, or a capitalised name, right after a title (or after an apposition comma)."""
        head_token = self.tokens[head_index]
        nxt = self.tokens[head_index + 1] if head_index + 1 < len(self.tokens) else None
        if nxt is not None and _has(nxt, PEOPLE) and _NAME_GAP.fullmatch(self._gap(head_token, nxt)):
            people = [entry for entry in nxt.entries if entry.kind in PEOPLE]
            found = self._person_for(nxt, people, qualifier.code if qualifier else None, titled=True)
            if found is not None and self._title_fits(found[0], head, nxt):
                person, confidence, why, others = found
                self._add_person(
                    start,
                    nxt.end,
                    person,
                    confidence,
                    f"{why}; introduced as {self.text[start : head_token.end]!r}",
                    others,
                )
                return head_index + 2
        gap = _NAME_GAP.match(self.text, head_token.end)
        if gap is None:
            return None
        name = _UNKNOWN_NAME.match(self.text, gap.end())
        if name is None:
            return None
        limit = nxt.start if nxt is not None else len(self.text)
        surname_of_other = nxt is not None and _only(nxt, {lx.SHORT}) and name.start() <= nxt.start < name.end()
        if surname_of_other and nxt is not None:
            # "spokesman Pavel Ivanov": a KB surname after an unknown given name is someone else's name;
            # "President Levy X": a KB surname that did not fit the title starts someone else's name.
            after = self.tokens[head_index + 2].start if head_index + 2 < len(self.tokens) else len(self.text)
            limit = nxt.end if name.start() < nxt.start else after
        words = [word for word in self.text[name.start() : min(name.end(), limit)].split() if word]
        while words and words[-1].rstrip(".,") in self.resolver.extras.not_names:
            words.pop()
        if not words or words[0] in self.resolver.extras.not_names:
            return None
        name_text = " ".join(words).rstrip(".,")
        end = gap.end() + len(name_text)
        consumed = head_index + 2 if surname_of_other and nxt is not None and end >= nxt.end else head_index + 1
        hit = self.resolver.fuzzy.best(name_text)
        if hit is not None:
            self.fuzzy_mention(start, end, hit)
            return consumed
        if qualifier is None:
            qualifier = self._sentence_state(start)
            if qualifier is None:
                return None
        sector = "ELI" if former else head.sector
        role = f"former {head.role}" if former else head.role
        mention = self._add(
            start,
            end,
            qualifier.code,
            sector,
            None,
            name_text,
            role,
            0.75 * qualifier.confidence,
            "person",
            list(qualifier.ambiguous_with),
            f"{name_text} is not in the knowledge base; {qualifier.why}; title {head.role!r} "
            f"gives sector {head.sector}",
        )
        self.aliases.setdefault(words[-1], mention)
        self.aliases.setdefault(name_text, mention)
        return consumed

    def _title_fits(self, person: Person, head: _Head, token: Match) -> bool:
        """False when a short name after a head-of-state title is someone who never held one:
        "President Levy X" is not the foreign minister David Levy."""
        if head.role not in self.resolver.extras.head_titles or _has(token, {lx.PERSON}):
            return True
        return any(head.role.lower() in role.title.lower() for role in person.roles)

    def _word_before(self, position: int) -> str:
        words = self.text[max(0, position - 30) : position].split()
        return words[-1].lower() if words else ""

    def _sentence_bounds(self, position: int) -> tuple[int, int]:
        start, end = 0, len(self.text)
        for found in _SENTENCE_END.finditer(self.text):
            if _ABBREVIATION.search(self.text, max(0, found.start() - 5), found.start() + 1):
                continue
            if found.end() <= position:
                start = found.end()
            else:
                end = found.start()
                break
        return start, end

    def _sentence_state(self, position: int) -> _Qualifier | None:
        """The one state a sentence names, for a titled person the KB does not know ("President X
        threatened to ban Ugandan opposition candidates"): a low-confidence guess, said as such."""
        start, end = self._sentence_bounds(position)
        kinds = {lx.STATE, lx.STATE_ADJ, lx.METONYM, lx.DEMONYM}
        codes: dict[str, Entry] = {}
        for token in self.tokens:
            if token.start < start or token.end > end:
                continue
            entries = [entry for entry in token.entries if entry.kind in kinds and entry.code in self.kb.states]
            if len({entry.code for entry in entries}) == 1:
                codes.setdefault(entries[0].code or "", entries[0])
        if len(codes) != 1:
            return None
        code, entry = next(iter(codes.items()))
        return _Qualifier(code, entry, entry.kind, 0.6, f"the sentence names one state, {self.kb.name_of(code)}")

    # -- people -------------------------------------------------------------------------------
    def _person_for(
        self, token: Match, entries: list[Entry], code_hint: str | None, titled: bool
    ) -> tuple[Person, float, str, list[str]] | None:
        """The person a full name or short form means here: introduced, in office, or unique."""
        ids = dict.fromkeys(entry.actor_id for entry in entries if entry.actor_id)
        people = [self.kb.people[person_id] for person_id in ids]
        span = self._span(token)
        if any(entry.kind == lx.PERSON for entry in entries):
            full = [p for p in people if any(e.kind == lx.PERSON and e.actor_id == p.id for e in entries)]
            return full[0], 1.0, f"full name of {full[0].name}", [p.country for p in full[1:]]
        if code_hint:
            hinted = [p for p in people if p.country == code_hint or any(r.country == code_hint for r in p.roles)]
            people = hinted or people
        if all(entry.ambiguous for entry in entries) and not titled and self._common_word_context(token):
            return None
        introduced = sorted((p for p in people if p.id in self.introduced), key=lambda p: -self.introduced[p.id])
        if introduced:
            return introduced[0], 0.95, f"{span!r} refers back to {introduced[0].name}", []
        in_office = [p for p in people if self.on is not None and p.roles_on(self.on)]
        if all(entry.ambiguous for entry in entries) and not titled:
            return self._ambiguous_short_form(span, in_office, people)
        if len(in_office) == 1:
            return in_office[0], 0.9, f"{span!r}: the only person so called in office on {self.on}", []
        if len(people) == 1:
            return people[0], 0.85, f"{span!r}: the only person so called in the knowledge base", []
        pool = in_office or people
        others = sorted({p.country for p in pool[1:] if p.country != pool[0].country})
        names = ", ".join(p.name for p in pool[:4])
        return pool[0], 0.5, f"{span!r} is ambiguous ({names}); taken as {pool[0].name}", others

    def _ambiguous_short_form(
        self, span: str, in_office: list[Person], people: list[Person]
    ) -> tuple[Person, float, str, list[str]] | None:
        """A surname that is also a common word or name is only read as a person who leads a
        state or organisation on the date — and then with low confidence and the others named."""
        leading = [p for p in in_office if any(_is_leader_title(role.title) for role in p.roles_on(self.on))]
        if len(leading) != 1 or self.on is None:
            return None
        chosen = leading[0]
        others = sorted({p.country for p in people if p is not chosen and p.country != chosen.country})
        why = f"{span!r} is also a common name; taken as {chosen.name}, in office as leader on {self.on}"
        return chosen, 0.6, why, others

    def _emit_person(self, token: Match, entries: list[Entry]) -> None:
        """A full name, or a surname, possibly after a given name the KB spells differently."""
        given = self._given_name_before(token) if entries[0].kind == lx.SHORT else None
        if given is not None:
            hit = self.resolver.fuzzy.best(self.text[given.start(1) : token.end])
            if hit is not None:
                self.fuzzy_mention(given.start(1), token.end, hit)
                return
        found = self._person_for(token, entries, None, titled=False)
        if found is None:
            return
        person, confidence, why, others = found
        if given is not None:
            confidence, why = (
                min(confidence, 0.5),
                f"{why}; but preceded by {given.group(1)!r}, not a given name of theirs",
            )
        self._add_person(token.start, token.end, person, confidence, why, others)

    def _common_word_context(self, token: Match) -> bool:
        previous = self.text[max(0, token.start - 20) : token.start].split()
        return bool(previous) and previous[-1].lower() in self.resolver.extras.not_person_after

    def _given_name_before(self, token: Match) -> re.Match[str] | None:
        """A free capitalised word right before a surname ("Pavel" in "Pavel Ivanov"), if any."""
        given = _GIVEN_NAME.search(self.text, max(0, token.start - 40), token.start)
        if given is None or given.start(1) in self._token_starts:
            return None
        word = given.group(1)
        if word in self.resolver.extras.not_names or word.endswith(("'s", "’s")):
            return None
        return given

    def _add_person(
        self,
        start: int,
        end: int,
        person: Person,
        confidence: float,
        why: str,
        ambiguous_with: list[str],
        kind: str = "person",
    ) -> ActorMention:
        reading = read_person(person, self.on)
        self.introduced.setdefault(person.id, len(self.introduced))
        return self._add(
            start,
            end,
            reading.code,
            reading.sector,
            person.id,
            person.name,
            reading.role,
            round(confidence * reading.confidence, 3),
            kind,
            ambiguous_with,
            f"{why}; {reading.why}",
        )

    def fuzzy_mention(self, start: int, end: int, hit: FuzzyHit) -> ActorMention:
        confidence = round(0.9 * hit.score / 100, 3)
        return self._add_person(
            start,
            end,
            hit.person,
            confidence,
            f"fuzzy match of {self.text[start:end]!r} to {hit.matched!r} ({hit.score:.0f}/100)",
            [],
        )

    # -- single tokens ------------------------------------------------------------------------
    def _choose(self, token: Match, entries: list[Entry]) -> tuple[Entry, float, str, list[str]] | None:
        """One entry among several for the same string; ambiguity rules decide from context."""
        if not entries:
            return None
        span = self._span(token)
        valid = [entry for entry in entries if entry.valid_on(self.on)] or entries
        historical = valid[0].start is not None or valid[0].end is not None
        rule_index = self.resolver.rule_of.get(key(span))
        if rule_index is not None:
            decision: Decision = self.cues.decide(rule_index, self.resolver.extras.rules[rule_index], span)
            if decision.code is None:
                return None
            chosen = next((entry for entry in valid if entry.code == decision.code), None)
            if chosen is None:
                return None
            return chosen, decision.confidence, decision.why, decision.ambiguous_with
        codes = list(dict.fromkeys(entry.code for entry in valid if entry.code))
        entry = next((entry for entry in valid if not entry.ambiguous), valid[0])
        name = self.kb.name_of(entry.code or "")
        if len(codes) > 1:
            others = [code for code in codes if code != entry.code]
            return entry, 0.6, f"{span!r} could be {', '.join(codes)}; taken as {name}", others
        if entry.ambiguous:
            return entry, 0.8, f"{span!r} is {name} (the string also has other meanings)", []
        if historical and not entry.valid_on(self.on):
            return entry, 0.8, f"{span!r}: historical name, mapped to {name}", []
        return entry, 1.0, f"{span!r} {_MEANS[entry.kind]} {name}", []

    def _emit_single(self, token: Match) -> None:
        for kind in STANDALONE_ORDER:
            entries = [entry for entry in token.entries if entry.kind == kind and entry.standalone]
            if not entries:
                continue
            if kind in PEOPLE:
                self._emit_person(token, entries)
                return
            chosen = self._choose(token, entries)
            if chosen is None:
                return
            entry, confidence, why, others = chosen
            assert entry.code is not None
            name = self.kb.name_of(entry.code)
            if entry.kind == lx.BODY:
                body = self.kb.body(entry.actor_id or "")
                name = body.name if body else name
            elif entry.kind == lx.INSTITUTION:
                name = f"{name} {entry.phrase}"
            sector = entry.sector
            if entry.kind == lx.METONYM and sector is None:
                sector = "GOV"
            self._add(
                token.start,
                token.end,
                entry.code,
                sector,
                entry.actor_id,
                name,
                None,
                confidence,
                _MENTION_KIND.get(entry.kind, entry.kind),
                others,
                why,
            )
            return

    def _add(
        self,
        start: int,
        end: int,
        code: str | None,
        sector: str | None,
        actor_id: str | None,
        name: str | None,
        role: str | None,
        confidence: float,
        kind: str,
        ambiguous_with: list[str],
        why: str,
    ) -> ActorMention:
        mention = ActorMention(
            text=self.text[start:end],
            code=code,
            sector=sector,
            actor_id=actor_id,
            name=name,
            role=role,
            confidence=round(confidence, 3),
            start=start,
            end=end,
            kind=kind,
            ambiguous_with=ambiguous_with,
            why=why,
        )
        self.mentions.append(mention)
        return mention

    # -- passes after composition -------------------------------------------------------------
    def _covered(self) -> bytearray:
        covered = bytearray(len(self.text) + 1)
        for item in (*self.mentions, *self.tokens):
            covered[item.start : item.end] = b"\x01" * (item.end - item.start)
        return covered

    def _alias_mentions(self) -> None:
        """Later short forms of people introduced with a title but unknown to the KB ("Novak said")."""
        if not self.aliases:
            return
        covered = self._covered()
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(self.aliases, key=len, reverse=True))) + r")\b")
        for found in pattern.finditer(self.text):
            source = self.aliases[found.group()]
            if found.start() < source.end or covered.find(1, found.start(), found.end()) != -1:
                continue
            self._add(
                found.start(),
                found.end(),
                source.code,
                source.sector,
                None,
                source.name,
                source.role,
                0.9 * source.confidence,
                "alias",
                list(source.ambiguous_with),
                f"{found.group()!r} refers back to {source.text!r}",
            )

    def _fuzzy_mentions(self) -> None:
        """Capitalised two- or three-word names the automaton missed, matched fuzzily to KB people."""
        covered = self._covered()
        for found in _CAPITALISED_RUN.finditer(self.text):
            end = found.end()
            if covered.find(1, found.start(), end) != -1:
                end = covered.find(1, found.start(), end)  # the free words before a known phrase
            candidate = self.text[found.start() : end].strip()
            hit = self.resolver.fuzzy.best(candidate) if " " in candidate else None
            if hit is not None:
                self.fuzzy_mention(found.start(), found.start() + len(candidate), hit)


def _has(token: Match, kinds: frozenset[str] | set[str]) -> bool:
    return any(entry.kind in kinds for entry in token.entries)


def _only(token: Match, kinds: frozenset[str] | set[str]) -> bool:
    return all(entry.kind in kinds for entry in token.entries)


@lru_cache(maxsize=1)
def default_resolver() -> Resolver:
    """The process-wide resolver over the packaged knowledge base (built on first use)."""
    return Resolver(load_kb())


_LEADER_WORDS = ("President", "Prime Minister", "Premier", "Chancellor", "King", "Supreme Leader", "Secretary-General")


def _is_leader_title(title: str) -> bool:
    """Heads of state or government (acting ones included), not vice presidents or deputies."""
    return any(word in title for word in _LEADER_WORDS) and not any(
        word in title for word in ("Vice", "Deputy", "Suspended", "former", "-elect")
    )

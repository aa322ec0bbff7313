"""Event extraction: triggers plus dependency roles, only on sentences that can hold an event.

Per article: rule-based sentence split; actors resolved once over the whole text (so in-document
short forms work); only sentences holding both a trigger word and an actor mention are parsed,
by spaCy's tok2vec + parser alone (no tagger, lemmatizer or NER: the lexicons carry their own
inflected forms). Each trigger token then gets its actor(s) and recipient(s) from the tree.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Token

from detente.events.dates import event_date, is_historical
from detente.events.lexicon import Cues, load_cues, talks_about
from detente.events.modality import clause_head, event_modality, obligation_target_clause
from detente.events.ontology import Ontology, load_ontology
from detente.events.quantities import quantity_of
from detente.events.sentences import after_dateline, split_sentences
from detente.events.stats import ExtractionStats
from detente.events.triggers import Trigger, TriggerLexicon, governing_verb, is_verbal, load_triggers
from detente.nlp.matmul_ops import one_blas_thread
from detente.nlp.spacy_model import load_pipeline
from detente.records import ActorMention, ActorRef, Article, Event

# The parser (with the tok2vec it listens to) is all extraction needs.
UNUSED_COMPONENTS = ("tagger", "attribute_ruler", "lemmatizer", "ner", "senter")
# Categories whose clausal complement is their content, not a second event: "urged Russia to
# withdraw", "agreed to cooperate", "refused to meet", "threatened to cut off".
CONTENT_TAKING = frozenset({"REQUEST", "REJECT", "THREATEN", "AGREE", "ACCUSE", "CONCEDE"})
# Compound actors without a recipient act on each other in these categories (CAMEO's convention).
RECIPROCAL_CATEGORIES = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE"})
STATE_KINDS = frozenset({"state", "metonym", "demonym", "organisation"})
STATE_SECTORS = frozenset({None, "GOV", "MIL", "LEG", "JUD", "IGO"})
# Mentions that name a place an event can happen in ("in Lebanon", "in Amman").
PLACE_KINDS = frozenset({"state", "metonym"})
# Mentions a trigger's phrase may hold as an implied recipient: states, their capitals, their groups.
CLAUSE_TARGET_KINDS = frozenset({"state", "metonym", "agent"})
# Sectors of the state's own apparatus: their domestic counterpart is the population, and vice versa.
AUTHORITY_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
_PRONOUNS = {
    "he": "person", "him": "person", "his": "person", "she": "person", "her": "person",
    "it": "collective", "its": "collective", "they": "collective", "them": "collective", "their": "collective",
}  # fmt: skip
_RELATIVE = frozenset({"which", "who", "that", "whom", "whose"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "npadvmod"})
_NAME_INTERNAL_DEPS = frozenset({"compound", "appos", "conj", "amod", "nmod"})
_NAMED_KINDS = frozenset({"person", "state", "organisation"})
# Parsed sentences kept for reuse by the next copies of a report (5-10 kB each without tensors, so
# about 40 MB per worker; copies of a report arrive within hours of each other, not days).
RECENT_PARSES = 5_000
_NO_TENSOR = numpy.zeros((0, 0), dtype="float32")


class Resolver(Protocol):
    def find_mentions(self, text: str, on: date | None = None) -> list[ActorMention]: ...


@dataclass(slots=True)
class Actor:
    """An actor filling a role, and how sure the syntax is about it."""

    mention: ActorMention
    certainty: float = 1.0


@functools.cache
def state_adjectives() -> dict[str, str]:
    """ "Israeli" → ISR. The resolver makes an actor of an adjective only with an actor noun
    ("Israeli officials"); on an event's participant ("the Israeli strike", "an Australian
    ultimatum") the adjective alone still names the state."""
    from detente.actors import load_kb

    adjectives: dict[str, str] = {}
    for state in load_kb().states.values():
        for adjective in state.adjectives:
            adjectives.setdefault(adjective, state.code)
    return adjectives


@functools.cache
def agent_nouns() -> dict[str, str]:
    """Lower-case nouns for kinds of people ("rebels", "opposition candidates") → their sector."""
    from detente.actors import load_kb

    return load_kb().agent_nouns


@dataclass(slots=True)
class SentenceContext:
    """One candidate sentence: its parse, and the article's mentions mapped onto its tokens."""

    article: Article
    index: int
    start: int
    doc: Doc
    token_mentions: dict[int, ActorMention]
    earlier_mentions: list[ActorMention]  # mentions before this sentence, for pronouns


@dataclass(slots=True)
class Extractor:
    """Holds the loaded resources; one per process."""

    nlp: Language | None = None
    resolver: Resolver | None = None
    lexicon: TriggerLexicon = field(default_factory=load_triggers)
    cues: Cues = field(default_factory=load_cues)
    ontology: Ontology = field(default_factory=load_ontology)
    stats: ExtractionStats = field(default_factory=ExtractionStats)
    recent_parses: dict[str, Doc] = field(default_factory=dict)

    def pipeline(self) -> Language:
        if self.nlp is None:
            self.nlp = load_pipeline(UNUSED_COMPONENTS)
        return self.nlp

    def actor_resolver(self) -> Resolver:
        if self.resolver is None:
            from detente.actors import default_resolver

            self.resolver = default_resolver()
        return self.resolver

    def extract(self, articles: Sequence[Article]) -> list[Event]:
        """Events of every article, parsing the candidate sentences of the whole batch together."""
        pending: list[tuple[Article, int, int, int, list[ActorMention], list[ActorMention]]] = []
        resolver = self.actor_resolver()
        for article in articles:
            mentions = sorted(resolver.find_mentions(article.text, on=article.published), key=lambda m: m.start)
            for index, (sentence_start, end) in enumerate(split_sentences(article.text)):
                self.stats.sentences += 1
                self.stats.words += article.text.count(" ", sentence_start, end) + 1
                start = after_dateline(article.text, sentence_start, end)
                inside = [m for m in mentions if start <= m.start and m.end <= end]
                if inside and self.lexicon.might_hold_event(article.text[start:end]):
                    earlier = [m for m in mentions if m.end <= sentence_start]
                    pending.append((article, index, start, end, inside, earlier))
        parses = self._parse([article.text[start:end] for article, _, start, end, _, _ in pending])
        events: list[Event] = []
        for article, index, start, end, inside, earlier in pending:
            doc = parses[article.text[start:end]]
            context = SentenceContext(article, index, start, doc, _map_mentions(doc, start, inside), earlier)
            events.extend(self.sentence_events(context))
        self.stats.events += len(events)
        return events

    def _parse(self, texts: list[str]) -> dict[str, Doc]:
        """The parse of each distinct text. A sentence parsed recently is not parsed again: copies of
        one report (syndication, wire stories, updates) repeat most of their sentences verbatim."""
        found = {text: self.recent_parses[text] for text in texts if text in self.recent_parses}
        unseen = [text for text in dict.fromkeys(texts) if text not in found]
        self.stats.sentences_reused += len(texts) - len(unseen)
        with one_blas_thread():
            for text, doc in zip(unseen, self.pipeline().pipe(unseen, batch_size=64), strict=True):
                self.stats.sentences_parsed += 1
                doc.tensor = _NO_TENSOR  # the parse is kept; tok2vec's output is not read again
                found[text] = doc
                self.recent_parses[text] = doc
        while len(self.recent_parses) > RECENT_PARSES:
            del self.recent_parses[next(iter(self.recent_parses))]  # the oldest first
        return found

    # -- one sentence ------------------------------------------------------------------------
    def sentence_events(self, context: SentenceContext) -> list[Event]:
        found: dict[int, Trigger] = {}
        for token in context.doc:
            trigger = self.lexicon.match(token)
            if trigger is not None:
                found[token.i] = trigger
        events: list[Event] = []
        seen: set[tuple[str, str | None, str | None]] = set()
        for position, trigger in found.items():
            token = context.doc[position]
            if (
                self._is_content_of_another(token, found)
                or self._readiness_to_threaten(token, trigger, found)
                or self._carried_by_its_object(token, found)
                or self._decides_on_conflict(token, trigger, found)
            ):
                continue
            for event in self._events_for(context, token, trigger):
                key = (event.event_type, event.source.code or event.source.text, event.target and event.target.code)
                if key not in seen:
                    seen.add(key)
                    events.append(event)
        return events

    def _is_content_of_another(self, token: Token, found: dict[int, Trigger]) -> bool:
        """An embedded trigger ("urged Russia to [withdraw]") or a noun argument of a trigger verb
        ("[rejected] the proposal") is part of the other event, not an event of its own."""
        verb = governing_verb(token) if not is_verbal(token) else None
        if verb is not None and verb.i in found and verb.i != token.i and not self._carried_by_its_object(verb, found):
            return True
        current = clause_head(token)
        for _ in range(3):
            purpose = current.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
            if (current.dep_ not in ("xcomp", "ccomp", "pcomp", "prep", "advcl")) or current.head is current:
                return False
            dep = current.dep_
            current = current.head
            governor = found.get(current.i)
            if governor is None:
                continue
            if self._threatens(governor, found[token.i]):
                return False  # the readiness is the threat's modality, the content its event
            if (
                self._is_decision(current, governor)
                and self._is_decided_act(found[token.i])
                and (found[token.i] in _clause_acts(clause_head(token), found))
            ):
                return False  # "agreed to freeze the assets of": the decided act is the event
            # "staged a hunger strike to demand ...": a purpose, or a protest's topic, is not coded apart
            if (governor.event in CONTENT_TAKING and dep != "advcl") or purpose or governor.event == "PROTEST":
                return True
        return False

    def _is_decision(self, verb: Token, trigger: Trigger) -> bool:
        return trigger.event == "AGREE" and bool(self.cues.decision_verbs.lemma_of(verb.lower_))

    def _is_decided_act(self, trigger: Trigger) -> bool:
        return trigger.event in self.cues.decided_categories

    def _decides_on_conflict(self, token: Token, trigger: Trigger, found: dict[int, Trigger]) -> bool:
        """ "EU ministers agreed to freeze the assets of ...": the decision is not an agreement
        with the target; the act decided on, coded from its own trigger, is the event."""
        if not self._is_decision(token, trigger):
            return False
        return any(
            self._is_decided_act(act) for child in token.children if child.dep_ in ("xcomp", "ccomp")
            for act in _clause_acts(child, found)
        )  # fmt: skip

    def _carried_by_its_object(self, verb: Token, found: dict[int, Trigger]) -> bool:
        """ "ordered sanctions against", "ordered an expulsion": an order whose object is an action
        noun is that action, taken by whoever gave the order; the order is no request of its own."""
        if found[verb.i].event != "REQUEST" or not self.cues.command_verbs.lemma_of(verb.lower_):
            return False
        return any(
            other.pos == "noun" and (other.verbs is None or verb.lower_ in other.verbs)
            for other in _governed_triggers(verb, found)
        )

    def _promises_retaliation(self, token: Token) -> bool:
        """The promise's content (its clause or object) names a retaliation (``threat_*`` cues)."""
        words = {
            word.lower_
            for child in token.children
            if child.dep_ in ("xcomp", "ccomp", "dobj")
            for word in child.subtree
        }
        if any(self.cues.threat_verbs.lemma_of(word) or self.cues.threat_nouns.lemma_of(word) for word in words):
            return True
        return "against" in words and any(self.cues.threat_nouns_against.lemma_of(word) for word in words)

    def _threatens(self, governor: Trigger, content: Trigger) -> bool:
        """ "was ready to impose sanctions": readiness (an AGREE adjective) to act against someone is a
        threat, coded from the content, whose intended form is THREATEN."""
        return governor.event == "AGREE" and governor.pos == "adj" and self._intended_as_threat(content)

    def _intended_as_threat(self, trigger: Trigger) -> bool:
        return self.ontology.category(trigger.event).intended_as == "THREATEN"

    def _readiness_to_threaten(self, token: Token, trigger: Trigger, found: dict[int, Trigger]) -> bool:
        if trigger.event != "AGREE" or trigger.pos != "adj":
            return False
        inside = {word.i for child in token.children if child.dep_ in ("xcomp", "ccomp") for word in child.subtree}
        return any(position in inside and self._intended_as_threat(other) for position, other in found.items())

    def _events_for(self, context: SentenceContext, token: Token, trigger: Trigger) -> list[Event]:
        roles = Roles(context, self.cues, trigger)
        sources, targets = roles.for_trigger(token)
        if not sources:
            return []
        event_type, mode = trigger.event, trigger.mode
        modality = event_modality(token, self.cues)
        head = clause_head(token)
        sentence = context.doc.text
        anchor = token.idx
        planned = modality in ("intended", "hypothetical")
        day, precision = event_date(sentence, context.article.published, anchor, _clause_span(head), planned)
        if modality in ("asserted", "reported") and is_historical(day, precision, context.article.published):
            modality = "historical"
        if trigger.state_event and all(_is_state_like(actor) for actor in sources):
            event_type = trigger.state_event
            mode = mode if self.ontology.has_mode(event_type, mode) else None
        if trigger.event == "AGREE" and self._promises_retaliation(token):
            event_type, mode = "THREATEN", None
        decided = head.dep_ == "xcomp" and bool(self.cues.decision_verbs.lemma_of(head.head.lower_))
        if (
            modality in ("intended", "hypothetical")
            and trigger.event != "AGREE"
            and not decided
            and _modal_on(head, self.cues)
        ):
            converted = self.ontology.category(event_type).intended_as
            if converted:
                event_type = converted
                mode = mode if self.ontology.has_mode(event_type, mode) else None
        quantity = roles.quantity(token)
        cue = _response_cue(sentence, self.cues)
        pairs = _pairs(sources, targets, trigger.reciprocal, event_type)
        group_id = _digest(context.article.id, context.index, token.i, "group") if len(pairs) > 1 else None
        events = []
        for source, target in pairs:
            certainty = source.certainty * (target.certainty if target else 1.0)
            confidences = [source.mention.confidence] + ([target.mention.confidence] if target else [])
            actor_confidence = sum(confidences) / len(confidences) or 0.5
            weight = 0.9 if trigger.pos == "verb" else 0.8
            events.append(
                Event(
                    event_id=_digest(
                        context.article.id, context.index, token.i, event_type,
                        source.mention.start, target.mention.start if target else -1,
                    ),
                    doc_id=context.article.id,
                    sentence_index=context.index,
                    sentence=sentence,
                    event_type=event_type,
                    source=_ref(source.mention),
                    target=_ref(target.mention) if target else None,
                    mode=mode,
                    context=list(trigger.context),
                    quad=self.ontology.category(event_type).quad,
                    score=self.ontology.score(event_type, mode),
                    cameo_root=self.ontology.cameo_root(event_type, mode),
                    trigger=_trigger_text(token, trigger),
                    date=day,
                    date_precision=precision,
                    modality=modality,
                    quantity=quantity[0] if quantity else None,
                    quantity_text=quantity[1] if quantity else None,
                    confidence=round(weight * certainty * min(1.0, actor_confidence), 3),
                    group_id=group_id,
                    response_cue=cue,
                )
            )  # fmt: skip
        return events


class Roles:
    """Actor and recipient of a trigger, read from the dependency tree."""

    def __init__(self, context: SentenceContext, cues: Cues, trigger: Trigger) -> None:
        self.context = context
        self.cues = cues
        self.trigger = trigger
        self.target_token: Token | None = None

    # -- noun phrases to actors ----------------------------------------------------------------
    def actors_of(self, token: Token, depth: int = 0) -> list[Actor]:
        """The actors a noun phrase names: the head's own mention, else its modifiers', and its
        conjuncts' ("the US and Britain" → two)."""
        found = self._own_actor(token, depth)
        for child in token.children:
            if child.dep_ == "conj":
                found.extend(self.actors_of(child, depth))
        return _unique(found)

    def _own_actor(self, token: Token, depth: int) -> list[Actor]:
        mention = self.context.token_mentions.get(token.i)
        if mention is not None:
            coordinated = self._coordinated_qualifiers(token, mention) + self._tangled_conjuncts(token, mention)
            return [Actor(mention), *coordinated]
        if token.lower_ in _PRONOUNS:
            resolved = self._pronoun(token)
            return [Actor(resolved, 0.7)] if resolved else []
        if token.lower_ in _RELATIVE and token.head.dep_ == "relcl":
            return self.actors_of(token.head.head, depth)
        modifiers: list[Actor] = []
        for child in token.children:
            if child.dep_ in _MODIFIER_DEPS:
                modifiers.extend(self._modifier_actors(child))
        if modifiers:
            return modifiers
        if depth < 2:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in ("of", "from", "in", "for"):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            inner = self.actors_of(pobj, depth + 1)
                            if inner:
                                return [Actor(a.mention, a.certainty * 0.9) for a in inner]
        return []

    def _coordinated_qualifiers(self, token: Token, own: ActorMention) -> list[Actor]:
        """ "Hungarian and Romanian officials": the first adjective is an actor of its own."""
        found = []
        for child in token.children:
            if child.dep_ in _MODIFIER_DEPS and any(c.dep_ in ("cc", "conj") for c in child.children):
                for member in (child, *(c for c in child.children if c.dep_ == "conj")):
                    mention = self.context.token_mentions.get(member.i)
                    if mention is not None and mention is not own and mention.kind == "agent":
                        found.append(Actor(mention))
        return found

    def _tangled_conjuncts(self, token: Token, own: ActorMention) -> list[Actor]:
        """ "President Donald Trump and Russian President Vladimir Putin met": the small parser
        often hangs the first name inside the second's title (compound → appos → conj) instead of
        coordinating the two. Other named actors reached through such name-internal links, in a
        phrase holding "and", are conjuncts all the same."""
        phrase = list(token.subtree)
        if not any(t.dep_ == "cc" and t.lower_ == "and" for t in phrase):
            return []
        found = []
        for other in phrase:
            mention = self.context.token_mentions.get(other.i)
            if mention is None or mention is own or mention.kind not in _NAMED_KINDS:
                continue
            node = other
            while node.i != token.i and node.dep_ in _NAME_INTERNAL_DEPS:
                node = node.head
            if node.i == token.i:
                found.append(Actor(mention))
        return found

    def _modifier_actors(self, modifier: Token) -> list[Actor]:
        mention = self.context.token_mentions.get(modifier.i) or self._adjective_mention(modifier)
        found = [Actor(mention)] if mention else []
        if not found and modifier.lower_ in ("his", "her", "its", "their"):
            resolved = self._pronoun(modifier)
            found = [Actor(resolved, 0.7)] if resolved else []
        for child in modifier.children:
            if child.dep_ in ("conj", "compound", "poss"):
                found.extend(self._modifier_actors(child))
        return found

    def _unresolved(self, subject: Token) -> list[Actor]:
        """A named subject the resolver does not know ("President Yoweri Museveni") still acts:
        the event is kept with the name as text and no code, at low confidence."""
        words = [t for t in subject.subtree if t.dep_ in ("compound", "amod", "nmod") or t is subject]
        if not any(t.text[:1].isupper() for t in words) or subject.lower_ in _PRONOUNS:
            return []
        tokens = list(subject.subtree)
        start = self.context.start + tokens[0].idx
        text = subject.doc[tokens[0].i : tokens[-1].i + 1].text
        codes = {m.code for m in self.context.token_mentions.values() if m.kind in PLACE_KINDS | {"agent", "demonym"}}
        if len(codes) == 1 and None not in codes:
            # CAMEO codes unnamed domestic groups ("prisoners rioted in Dili") by the one state in view
            code = codes.pop()
            sector = agent_nouns().get(subject.lower_)
            why = f"unnamed {subject.text!r}: the sentence names one state, {code}"
            mention = ActorMention(text=text, code=code, sector=sector, confidence=0.3, start=start,
                                   end=start + len(text), kind="domestic", why=why)  # fmt: skip
            return [Actor(mention, 0.5)]
        unresolved = ActorMention(text=text, confidence=0.3, start=start, end=start + len(text), kind="unresolved")
        return [Actor(unresolved, 0.5)]

    def _adjective_mention(self, token: Token) -> ActorMention | None:
        code = state_adjectives().get(token.text)
        if code is None:
            return None
        start = self.context.start + token.idx
        return ActorMention(
            text=token.text,
            code=code,
            actor_id=code,
            confidence=0.6,
            start=start,
            end=start + len(token.text),
            kind="demonym",
            why="state adjective on an event participant",
        )

    def _pronoun(self, token: Token) -> ActorMention | None:
        """The latest fitting mention before a pronoun. Subjects and possessives may point into
        their own sentence ("Japan said it had halted"); objects may not: "Biden called him a
        killer" cannot mean Biden."""
        wanted_person = _PRONOUNS[token.lower_] == "person"
        candidates = list(self.context.earlier_mentions)
        if token.dep_ in ("poss", "nsubj", "nsubjpass"):
            position = self.context.start + token.idx
            candidates += sorted(
                {id(m): m for m in self.context.token_mentions.values() if m.end <= position}.values(),
                key=lambda m: m.start,
            )
        for mention in reversed(candidates):
            if (mention.kind == "person") == wanted_person:
                return mention
        return None

    # -- roles -------------------------------------------------------------------------------
    def subject_of(self, verb: Token, hops: int = 0) -> list[Actor]:
        """Who does what ``verb`` says: its subject, the "by" agent of a passive, or the subject of
        the clause it hangs from ("Moscow responded by expelling", "wants to hold")."""
        for child in verb.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and (agents := self.actors_of(pobj)):
                        return agents  # not "spoke [by] phone", which the parser may take for an agent
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj"):
                return self.actors_of(child) or self._unresolved(child)
        if _is_passive(verb):
            return self._announcing_authority(verb)
        if verb.dep_ in ("relcl", "acl") and verb.head is not verb:
            return [Actor(a.mention, a.certainty * 0.9) for a in self.actors_of(verb.head)]
        if (
            hops < 4
            and verb.dep_ in ("xcomp", "conj", "advcl", "pcomp", "ccomp", "prep", "pobj", "acomp")
            and verb.head is not verb
        ):
            head = verb.head
            if verb.dep_ == "xcomp" and head.lower_ not in self.cues.intent_verbs:
                objects = [c for c in head.children if c.dep_ in ("dobj", "dative")]
                if objects:  # object control: "urged Russia to halt"
                    return self.actors_of(objects[0])
            return [Actor(a.mention, a.certainty * 0.85) for a in self.subject_of(head, hops + 1)]
        return []

    def _announcing_authority(self, passive: Token) -> list[Actor]:
        """ "Moscow said ten US diplomats would be expelled": a passive with no agent, reported by a
        government, is that government's act. Other speakers (newspapers, witnesses) are not taken."""
        if (
            self.trigger.event not in self.cues.announced_categories
            or passive.dep_ != "ccomp"
            or not self.cues.speech_verbs.lemma_of(passive.head.lower_)
        ):
            return []
        speakers = [c for c in passive.head.children if c.dep_ == "nsubj" and c.lower_ not in _PRONOUNS]
        found = self.actors_of(speakers[0]) if speakers else []
        return [
            Actor(actor.mention, actor.certainty * 0.8)
            for actor in found
            if actor.mention.code and actor.mention.sector in STATE_SECTORS
        ]

    def for_trigger(self, token: Token) -> tuple[list[Actor], list[Actor]]:
        if self.trigger.pos == "noun":
            sources, targets = self._noun_roles(token)
        else:
            sources, targets = self._verb_roles(token)
        if self.trigger.event in ("REQUEST", "ACCUSE", "REJECT", "THREATEN") or not targets:
            obliged = obligation_target_clause(token, self.cues)
            if obliged is not None and not targets:
                targets = self.subject_of(obliged)
        source_ids = {id(a.mention) for a in sources}
        targets = [t for t in targets if id(t.mention) not in source_ids]
        targets = self._as_domestic(targets, sources)
        if sources and not targets:
            implied = (
                self._place_targets(token) or self._condition_targets(token) or self._clause_targets(token, sources)
            )
            targets = self._as_domestic(implied, sources) or self._domestic_targets(token, sources)
        return sources, targets

    # -- recipients the sentence implies -------------------------------------------------------
    def _event_heads(self, token: Token) -> list[Token]:
        """The trigger, its governing verb (for nouns) and their objects: where place phrases attach."""
        heads = [token]
        verb = governing_verb(token) if not is_verbal(token) else None
        if verb is not None:
            heads.append(verb)
        return heads + [c for head in heads for c in head.children if c.dep_ in ("dobj", "nsubjpass")]

    def _place_targets(self, token: Token) -> list[Actor]:
        """The state an event happens in, when no recipient is named: "lifted the curfew in Montenegro"."""
        if self.trigger.event in self.cues.place_excluded_categories:
            return []
        for head in self._event_heads(token):
            for child in head.children:
                if child.dep_ != "prep" or child.lower_ not in self.cues.place_preps:
                    continue
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    places = [a for a in self.actors_of(pobj) if a.mention.kind in PLACE_KINDS]
                    if places:
                        self.target_token = pobj
                        return [Actor(a.mention, a.certainty * 0.7) for a in places]
        return []

    def _as_domestic(self, implied: list[Actor], sources: list[Actor]) -> list[Actor]:
        """A recipient that is the actor's own state by place makes a domestic event ("imposed a curfew in
        southeastern Turkey"): kept, told apart from the source by its sector."""
        by_code = {a.mention.code: a for a in sources if a.mention.code}
        return [
            self._domestic(by_code[actor.mention.code], _token_at(self.context, actor.mention), None, None,
                           self.trigger.event)
            if actor.mention.code in by_code and actor.mention.kind in PLACE_KINDS
            else actor
            for actor in implied
        ]  # fmt: skip

    def _condition_targets(self, token: Token) -> list[Actor]:
        """A threat is aimed at whoever its condition names: "threatened to walk out unless Baghdad
        accepted", "will halt talks if the United States goes ahead"."""
        if self.trigger.event != "THREATEN":
            return []
        for mark in token.subtree:
            if mark.dep_ == "mark" and mark.lower_ in self.cues.conditional_marks:
                for subject in (c for c in mark.head.children if c.dep_ in ("nsubj", "nsubjpass")):
                    found = self.actors_of(subject)
                    if found:
                        return [Actor(a.mention, a.certainty * 0.8) for a in found]
        return []

    def _clause_targets(self, token: Token, sources: list[Actor]) -> list[Actor]:
        """Last resort: the first other state the trigger's own phrase names after it ("willing to
        withdraw its troops from neighbouring Lebanon", "opened an embassy in Tehran")."""
        if self.trigger.event in self.cues.place_excluded_categories:
            return []
        source_codes = {a.mention.code for a in sources}
        subject_tokens = {t.i for c in clause_head(token).children if c.dep_ in _SUBJECT_DEPS for t in c.subtree}
        for later in token.subtree:
            mention = self.context.token_mentions.get(later.i)
            if (
                later.i > token.i
                and later.i not in subject_tokens
                and mention is not None
                and mention.kind in CLAUSE_TARGET_KINDS
                and mention.code not in source_codes
            ):
                return [Actor(mention, 0.5)]
        return []

    def _people_object(self, token: Token) -> tuple[Token, str] | None:
        """An object naming unnamed people ("accused rebels", "jailed 52 members"), with their sector."""
        heads = [token] + ([verb] if (verb := governing_verb(token)) is not None and not is_verbal(token) else [])
        candidates = [c for head in heads for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
        candidates += [
            pobj
            for head in heads
            for prep in head.children
            if prep.dep_ == "prep" and prep.lower_ in (self.trigger.target_preps or self.cues.verb_target_preps)
            for pobj in prep.children
            if pobj.dep_ == "pobj"
        ]
        nouns = agent_nouns()
        for candidate in candidates:
            compounds = " ".join(c.lower_ for c in candidate.children if c.dep_ == "compound" and c.i < candidate.i)
            for phrase in (f"{compounds} {candidate.lower_}".strip(), candidate.lower_):
                if phrase in nouns:
                    return candidate, nouns[phrase]
        return None

    def _domestic_targets(self, token: Token, sources: list[Actor]) -> list[Actor]:
        """The actor's own state as recipient: for protest and repression, and for unnamed people as
        object ("the Sudanese government accused rebels"). CAMEO codes both as domestic events."""
        category = self.trigger.event
        if self.trigger.state_event and all(_is_state_like(actor) for actor in sources):
            category = self.trigger.state_event
        people = self._people_object(token)
        if people is None and category not in self.cues.domestic_categories:
            return []
        source = next((a for a in sources if a.mention.code and a.mention.kind != "unresolved"), None)
        if source is None:
            return []
        anchor, sector = people if people is not None else (token, None)
        return [self._domestic(source, anchor, sector, anchor.text if people else None, category)]

    def _domestic(self, source: Actor, anchor: Token, sector: str | None, text: str | None, category: str) -> Actor:
        """A recipient inside the source's own state, told apart from the source by its sector."""
        if sector is None:
            sector = "CVL" if source.mention.sector in AUTHORITY_SECTORS or source.mention.sector is None else "GOV"
        start = self.context.start + anchor.idx
        mention = ActorMention(
            text=text or source.mention.name or source.mention.code or "",
            code=source.mention.code,
            sector=sector,
            confidence=round(0.5 * source.mention.confidence, 3),
            start=start,
            end=start + len(anchor.text),
            kind="domestic",
            why=f"unnamed domestic recipient of a {category} event by {source.mention.text!r}",
        )
        return Actor(mention, 0.6)

    def _verb_roles(self, verb: Token) -> tuple[list[Actor], list[Actor]]:
        sources = self.subject_of(verb)
        if _is_passive(verb):
            targets = []
            for child in verb.children:
                if child.dep_ == "nsubjpass":
                    targets = self.actors_of(child)
                    self.target_token = child
            return sources, targets or self._prep_targets(verb, self.cues.verb_target_preps)
        return sources, self._active_targets(verb)

    def _active_targets(self, verb: Token, depth: int = 0) -> list[Actor]:
        """Recipient of an active verb: its (indirect) object, a prepositional target on the verb or
        on its object ("sent troops to Poland", "rejected the proposal from Russia"), else the
        same inside its complement clause ("promised to continue aid to Mozambique")."""
        objects = [c for c in verb.children if c.dep_ in ("dative", "dobj")]
        for obj in objects:
            found = self.actors_of(obj)
            if found:
                self.target_token = obj
                return found
        found = self._prep_targets(verb, self.trigger.target_preps or self.cues.verb_target_preps)
        if found:
            return found
        for obj in objects:
            found = self._prep_targets(obj, self.cues.noun_target_preps | {"from", "by"})
            if found:
                return found
        if depth >= 2 or self.cues.speech_verbs.lemma_of(verb.lower_):
            return []
        for child in verb.children:
            if child.dep_ in ("xcomp", "ccomp"):
                inner_subject = [c for c in child.children if c.dep_ in _SUBJECT_DEPS]
                found = self.actors_of(inner_subject[0]) if inner_subject else self._active_targets(child, depth + 1)
                if found:
                    return found
        return []

    def _prep_targets(self, head: Token, preps: Iterable[str]) -> list[Actor]:
        wanted = set(preps)
        for child in head.children:
            if child.dep_ in ("prep", "dative") and child.lower_ in wanted:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = self.actors_of(pobj)
                        if found:
                            self.target_token = pobj
                            return found
        return []

    def _noun_roles(self, noun: Token) -> tuple[list[Actor], list[Actor]]:
        preps = self.trigger.target_preps or self.cues.noun_target_preps
        targets = self._prep_targets(noun, preps)
        own: list[Actor] = []
        for child in noun.children:
            if child.dep_ in _MODIFIER_DEPS:
                own.extend(self._modifier_actors(child))
        verb = governing_verb(noun)
        if verb is not None and not targets and noun.dep_ == "nsubj":
            # read past a misparse ("announced travel [bans] and asset freezes against 21 officials",
            # "freezes" taken for a verb): the target hangs on the clause the noun was put into
            targets = self._prep_targets(noun.head, preps)
        if verb is not None and not targets:
            targets = self._prep_targets(verb, preps)
            if not targets:
                targets = [a for c in verb.children if c.dep_ == "dative" for a in self.actors_of(c)]
        if verb is not None and self.cues.undergoer_verbs.lemma_of(verb.lower_):
            # "Russia faces new sanctions": the subject undergoes them
            return own, targets or self.subject_of(verb)
        if own:
            return own, targets
        if verb is not None and not talks_about(verb.lower_, self.cues):
            return self.subject_of(verb), targets
        return [], targets

    def quantity(self, token: Token) -> tuple[int, str] | None:
        candidates = [self.target_token] if self.target_token is not None else []
        candidates += [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        candidates += [p for c in token.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
        for candidate in candidates:
            if candidate is not None and (found := quantity_of(candidate)):
                return found
        return None


def _clause_acts(clause: Token, found: dict[int, Trigger]) -> list[Trigger]:
    """What a clause does: its own verb's trigger ("agreed to [lift] the embargo"), else the triggers
    of the nouns it governs ("agreed to impose [sanctions]")."""
    return [found[clause.i]] if clause.i in found else _governed_triggers(clause, found)


def _governed_triggers(verb: Token, found: dict[int, Trigger]) -> list[Trigger]:
    """The triggers of the noun phrases ``verb`` governs ("imposed [sanctions]", "ordered [an expulsion]")."""
    return [
        trigger
        for position, trigger in found.items()
        if position != verb.i and (governor := governing_verb(verb.doc[position])) is not None and governor.i == verb.i
    ]


def _token_at(context: SentenceContext, mention: ActorMention) -> Token:
    """The first token of a mention in its sentence (the sentence root if it is not there)."""
    for index, covering in context.token_mentions.items():
        if covering is mention:
            return context.doc[index]
    return context.doc[0].sent.root


def _is_passive(verb: Token) -> bool:
    return any(child.dep_ in ("nsubjpass", "auxpass") for child in verb.children)


def _clause_span(head: Token) -> tuple[int, int]:
    tokens = list(head.subtree)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _is_state_like(actor: Actor) -> bool:
    """A state or its government named directly ("Demonstrators in Baghdad" are not Iraq's state)."""
    mention = actor.mention
    return actor.certainty == 1.0 and mention.kind in STATE_KINDS and mention.sector in STATE_SECTORS


def _modal_on(head: Token, cues: Cues) -> bool:
    """True unless the event is hypothetical only through an "if" clause: "would expel", "will
    expel" and "plans to expel" announce the actor's own action; "if Russia invades" does not."""
    auxiliaries = {c.lower_ for c in head.children if c.dep_ == "aux"}
    if auxiliaries & cues.hypothetical_modals or auxiliaries & cues.future_auxiliaries:
        return True
    return not any(c.dep_ == "mark" and c.lower_ in cues.conditional_marks for c in head.children)


def _pairs(
    sources: list[Actor], targets: list[Actor], reciprocal: bool, event_type: str
) -> list[tuple[Actor, Actor | None]]:
    """One record per member pair; "X and Y agreed" (no recipient) is X→Y and Y→X."""
    pairs: list[tuple[Actor, Actor | None]] = [
        (s, t) for s in sources for t in targets if not _same_actor(s.mention, t.mention)
    ]
    if pairs:
        return pairs
    if (reciprocal or event_type in RECIPROCAL_CATEGORIES) and len(sources) > 1:
        return [(s, t) for s in sources for t in sources if s is not t and not _same_actor(s.mention, t.mention)]
    return [(s, None) for s in sources]


def _same_actor(first: ActorMention, second: ActorMention) -> bool:
    if first.actor_id and first.actor_id == second.actor_id:
        return True
    return first.code == second.code and first.sector == second.sector


def _unique(actors: list[Actor]) -> list[Actor]:
    seen: set[int] = set()
    unique = []
    for actor in actors:
        if id(actor.mention) not in seen:
            seen.add(id(actor.mention))
            unique.append(actor)
    return unique


def _map_mentions(doc: Doc, offset: int, mentions: list[ActorMention]) -> dict[int, ActorMention]:
    """Token index → the mention covering it (sentence-relative character offsets)."""
    covered: dict[int, ActorMention] = {}
    for mention in mentions:
        span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            covered.setdefault(token.i, mention)
    return covered


def _ref(mention: ActorMention) -> ActorRef:
    return ActorRef(
        text=mention.text,
        code=mention.code,
        sector=mention.sector,
        actor_id=mention.actor_id,
        name=mention.name,
        role=mention.role,
        confidence=mention.confidence,
    )


def _trigger_text(token: Token, trigger: Trigger) -> str:
    extra = [c.text for c in token.children if c.dep_ in ("prt",) or (c.lower_ in trigger.words and c is not token)]
    return " ".join([token.text, *extra])


def _response_cue(sentence: str, cues: Cues) -> str | None:
    lowered = sentence.lower()
    for cue in cues.response_cues:
        start = lowered.find(cue)
        if start >= 0:
            # Cues may be stems ("retaliat"): report the words as the sentence writes them.
            end = start + len(cue)
            while end < len(lowered) and (lowered[end].isalpha() or lowered[end] == "-"):
                end += 1
            return lowered[start:end]
    return None


def _digest(*parts: Any) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


# -- the public, stateless entry points ------------------------------------------------------------
_DEFAULT: Extractor | None = None


def default_extractor() -> Extractor:
    global _DEFAULT  # one per process: spaCy and the resolver load once
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT


def extract_batch(articles: list[Article]) -> list[Event]:
    """Events of a batch of articles (the Ray runner calls this on its workers)."""
    return default_extractor().extract(articles)


def extract_text(text: str, published: date | None, doc_id: str = "doc") -> list[Event]:
    return extract_batch([Article(id=doc_id, text=text, published=published, language="en")])

"""The trigger dictionary: which words, in which syntactic frame, signal which PLOVER event.

Two uses: ``might_hold_event`` tests raw sentence text at tokenizer speed (a set of surface forms),
so only candidate sentences are parsed; ``match`` tests a parsed token against the entries' frames.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Token

from detente.errors import ConfigError
from detente.events.lexicon import WordSet, checked_words, load_cues, talks_about, word_set
from detente.events.ontology import load_ontology, read_data_yaml

TRIGGERS_FILE = "triggers.yaml"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")

# Dependency labels that make a token a clause head (verbal) or a noun phrase head (nominal); the
# parser runs without a tagger, so part of speech is read off the tree.
VERBAL_CHILD_DEPS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "dobj", "prt", "agent", "xcomp", "ccomp", "neg"})
NOMINAL_CHILD_DEPS = frozenset({"det", "amod", "poss", "nummod", "compound", "predet"})
NOMINAL_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "dative", "oprd", "npadvmod", "compound"}
)
OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd", "dative", "xcomp", "ccomp", "conj", "appos"})


@dataclass(frozen=True, slots=True)
class Trigger:
    lemma: str
    event: str
    pos: str = "verb"
    mode: str | None = None
    context: tuple[str, ...] = ()
    objects: WordSet | None = None
    preps: frozenset[str] = frozenset()
    verbs: WordSet | None = None
    needs_object: bool = False
    clause: bool = False
    target_preps: frozenset[str] | None = None
    reciprocal: bool = False
    state_event: str | None = None
    obligation: bool = False  # "X said Y must ...": needs a complement clause with must/should
    words: tuple[str, ...] = field(default=())  # the lemma split into words
    forms: frozenset[str] = frozenset()  # surface forms of the head word (and closed spellings)

    @property
    def specificity(self) -> int:
        return sum(
            (
                self.objects is not None,
                bool(self.preps),
                self.verbs is not None,
                self.needs_object,
                self.clause,
                self.obligation,
                len(self.words) > 1,
            )
        )


def is_verbal(token: Token) -> bool:
    deps = {child.dep_ for child in token.children}
    if deps & VERBAL_CHILD_DEPS:
        return True
    if deps & NOMINAL_CHILD_DEPS:
        return False
    return token.dep_ not in NOMINAL_DEPS


def governing_verb(token: Token) -> Token | None:
    """The verb a noun phrase depends on: "imposed [a ban]", "went [on strike]"; None for subjects."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative"):
        return token.head
    if token.dep_ == "pobj" and token.head.dep_ in ("prep", "agent") and is_verbal(token.head.head):
        return token.head.head
    if token.dep_ == "nsubj":
        return _verb_read_past(token)
    return None


def _is_content_clause(verb: Token, child: Token) -> bool:
    """An xcomp, or a ccomp that is not the misparse ``_verb_read_past`` repairs: a clause whose
    subject is really the verb's object ("ordered [sanctions ... has taken]")."""
    if child.dep_ == "xcomp":
        return True
    if child.dep_ != "ccomp":
        return False
    subjects = [grandchild for grandchild in child.children if grandchild.dep_ == "nsubj"]
    governor = _verb_read_past(subjects[0]) if subjects else None
    return governor is None or governor.i != verb.i


def _verb_read_past(noun: Token) -> Token | None:
    """The small parser reads "Obama ordered [sanctions] against seven officials, the first step
    Washington has taken" with the noun as the subject of a later clause; the verb right before
    the noun phrase, an ancestor of it with no object of its own, is the one that governs it."""
    start = noun.left_edge.i
    if start == 0:
        return None
    verb = noun.doc[start - 1]
    if not is_verbal(verb) or verb not in noun.ancestors or talks_about(verb.lower_, load_cues()):
        return None  # "said [the sanctions] were illegal" is parsed right
    if any(child.dep_ in ("dobj", "dative") for child in verb.children):
        return None
    return verb


def sentence_words(text: str) -> set[str]:
    """Lower-cased words of ``text``, with the parts spaCy splits off hyphens and apostrophes, so
    every token text a parse can have is in the set ("cease-fire" → also "cease", "fire")."""
    words: set[str] = set()
    for word in _WORD.findall(text):
        lowered = word.lower()
        words.add(lowered)
        if "-" in lowered or "'" in lowered:
            words.update(part for part in re.split(r"[-']", lowered) if part)
    return words


def surface_requirements(trigger: Trigger, form: str) -> tuple[frozenset[str], ...]:
    """Word sets that must each meet a sentence for ``trigger`` to fit a token spelled ``form``:
    a string-level necessary condition of ``_fits`` (the frame's other words, prepositions, object
    nouns and governing verbs must occur somewhere in the sentence)."""
    required: list[frozenset[str]] = []
    closed_spelling = "-" in form or (len(trigger.words) > 1 and form.startswith("".join(trigger.words)))
    if len(trigger.words) > 1 and not closed_spelling:
        rest = trigger.words[1:] if trigger.pos != "noun" else trigger.words[:-1]
        required.extend(frozenset({word}) for word in rest)
    if trigger.preps:
        required.append(trigger.preps)
    if trigger.objects is not None:
        required.append(frozenset(trigger.objects.forms))
    if trigger.verbs is not None:
        required.append(frozenset(trigger.verbs.forms))
    return tuple(required)


class TriggerLexicon:
    """All trigger entries, indexed by the surface forms of their head words."""

    def __init__(self, triggers: Iterable[Trigger]) -> None:
        self.by_form: dict[str, list[Trigger]] = defaultdict(list)
        for trigger in triggers:
            for form in trigger.forms:
                self.by_form[form].append(trigger)
        # "said" is in most news sentences: it makes a sentence a candidate only next to "must"
        self.obligation_forms = frozenset(
            form for form, entries in self.by_form.items() if any(entry.obligation for entry in entries)
        )
        self.surface_forms = frozenset(
            form for form, entries in self.by_form.items() if not all(entry.obligation for entry in entries)
        )
        self.requirements = {
            form: {surface_requirements(trigger, form) for trigger in self.by_form[form] if not trigger.obligation}
            for form in self.surface_forms
        }
        self.modals = load_cues().obligation_modals

    def might_hold_event(self, text: str) -> bool:
        """Whether some entry's frame can fit a word of ``text``: the words it needs are all there.
        Checked on the string, so that sentences no parse could turn into an event are not parsed
        (a quarter of the candidates in news-like text: "a scheduled meeting", "trade between")."""
        words = sentence_words(text)
        for form in words & self.surface_forms:
            if any(all(not words.isdisjoint(needed) for needed in frame) for frame in self.requirements[form]):
                return True
        return not words.isdisjoint(self.obligation_forms) and not words.isdisjoint(self.modals)

    def match(self, token: Token) -> Trigger | None:
        """The most specific entry whose frame fits ``token``, or None."""
        best: Trigger | None = None
        for trigger in self.by_form.get(token.lower_, ()):
            if _fits(trigger, token) and (best is None or trigger.specificity > best.specificity):
                best = trigger
        return best


def _object_words(token: Token) -> Iterable[Token]:
    for child in token.children:
        if child.dep_ in OBJECT_DEPS:
            yield child
            for grandchild in child.children:
                if grandchild.dep_ in ("conj", "compound", "oprd", "attr", "dobj", "appos"):
                    yield grandchild
            # "described the expulsions [as] unacceptable": the parser hangs the predicate off the object
            for word in child.subtree:
                if word.dep_ == "prep" and word.lower_ == "as":
                    yield from word.children
        elif child.dep_ == "prep" and child.lower_ in ("as", "of"):
            yield from (grand for grand in child.children if grand.dep_ == "pobj")


def _has_phrase(trigger: Trigger, token: Token) -> bool:
    """The other words of a multi-word trigger are attached to (verbs) or stand before (nouns) it."""
    rest = trigger.words[1:] if trigger.pos != "noun" else trigger.words[:-1]
    if trigger.pos != "noun":
        children = {child.lower_ for child in token.children}
        return all(word in children for word in rest)
    if token.lower_.replace("-", "") == "".join(trigger.words) or "-" in token.lower_:
        return True
    doc = token.doc
    start = token.i - len(rest)
    if trigger.words[0] != "state" and start >= 0:
        return [t.lower_ for t in doc[start : token.i]] == list(rest)
    # "state of emergency": the head comes first
    span = [t.lower_ for t in doc[token.i : token.i + len(trigger.words)]]
    return span == list(trigger.words)


def _fits(trigger: Trigger, token: Token) -> bool:
    if len(trigger.words) > 1 and not _has_phrase(trigger, token):
        return False
    if trigger.pos == "verb" and not is_verbal(token):
        return False
    if trigger.pos == "noun" and is_verbal(token) and len(trigger.words) == 1:
        return False
    if trigger.pos == "adj" and not any(child.dep_ in ("xcomp", "ccomp", "prep") for child in token.children):
        return False
    if trigger.clause and not any(_is_content_clause(token, child) for child in token.children):
        return False
    if trigger.obligation and not any(
        child.dep_ in ("ccomp", "xcomp") and any(aux.lower_ in load_cues().obligation_modals for aux in child.children)
        for child in token.children
    ):
        return False
    if trigger.needs_object and not any(child.dep_ == "dobj" for child in token.children):
        return False
    if trigger.preps and not any(
        child.dep_ in ("prep", "prt", "dative", "agent") and child.lower_ in trigger.preps for child in token.children
    ):
        return False
    if trigger.objects is not None and not any(word.lower_ in trigger.objects for word in _object_words(token)):
        return False
    if trigger.verbs is not None:
        verb = governing_verb(token)
        if verb is None or verb.lower_ not in trigger.verbs:
            return False
    return True


def _trigger(entry: dict[str, Any], irregular: dict[str, tuple[str, ...]]) -> Trigger:
    ontology = load_ontology()
    lemma = str(entry["lemma"]).lower()
    event = str(entry["event"])
    pos = str(entry.get("pos", "verb"))
    if event not in ontology.categories or pos not in ("verb", "noun", "adj"):
        raise ConfigError(f"data/events/{TRIGGERS_FILE}: {lemma}: unknown event {event!r} or pos {pos!r}")
    mode = entry.get("mode")
    if not ontology.has_mode(event, mode):
        raise ConfigError(f"data/events/{TRIGGERS_FILE}: {lemma}: {event} has no mode {mode!r}")
    where = f"data/events/{TRIGGERS_FILE}: {lemma}"
    for key in ("object", "prep", "verbs", "target_preps", "forms", "context"):
        if key in entry:
            entry = {**entry, key: checked_words(entry[key], f"{where}: {key}")}
    words = tuple(lemma.split())
    head = words[-1] if pos == "noun" else words[0]
    heads = [head] if len(words) == 1 else [head, "-".join(words), "".join(words)]
    forms = set(entry.get("forms", ())) | set(word_set(heads, pos, irregular).forms)
    return Trigger(
        lemma=lemma,
        event=event,
        pos=pos,
        mode=mode,
        context=tuple(entry.get("context", ())),
        objects=word_set(entry["object"], "noun", irregular) if "object" in entry else None,
        preps=frozenset(entry.get("prep", ())),
        verbs=word_set(entry["verbs"], "verb", irregular) if "verbs" in entry else None,
        needs_object=bool(entry.get("needs_object", False)),
        clause=bool(entry.get("clause", False)),
        target_preps=frozenset(entry["target_preps"]) if "target_preps" in entry else None,
        reciprocal=bool(entry.get("reciprocal", False)),
        state_event=entry.get("state_event"),
        obligation=bool(entry.get("obligation", False)),
        words=words,
        forms=frozenset(form.lower() for form in forms),
    )


@functools.cache
def load_triggers() -> TriggerLexicon:
    raw = read_data_yaml(TRIGGERS_FILE)
    if not isinstance(raw, list):
        raise ConfigError(f"data/events/{TRIGGERS_FILE}: expected a list of entries")
    irregular = dict(load_cues().irregular)
    triggers = []
    for entry in raw:
        try:
            triggers.append(_trigger(entry, irregular))
        except KeyError as error:
            raise ConfigError(f"data/events/{TRIGGERS_FILE}: entry {entry!r} lacks {error}") from error
    return TriggerLexicon(triggers)

"""Modality of an event mention, read off the parse around its trigger.

negated ("did not expel"), hypothetical ("if ...", "could impose"), intended ("will", "wants to",
"plans to"), reported (attributed speech: "X said that Y ..."), else asserted. "historical" is set
later, from the resolved date.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from detente.events.lexicon import Cues
from detente.events.triggers import governing_verb
from detente.records import Modality

_CLIMB_DEPS = frozenset({"xcomp", "ccomp", "conj", "advcl", "relcl", "pcomp", "acl", "parataxis", "prep", "pobj"})


def clause_head(token: Token) -> Token:
    """The verb whose clause carries the event: the trigger itself, or the verb governing a noun."""
    verb = governing_verb(token)
    return verb if verb is not None else token


def ancestors(token: Token) -> Iterator[Token]:
    """Heads above ``token`` while they stay in one sentence's clause chain."""
    current = token
    while current.head is not current and current.dep_ in _CLIMB_DEPS:
        current = current.head
        yield current


def _aux_words(verb: Token) -> set[str]:
    return {child.lower_ for child in verb.children if child.dep_ in ("aux", "auxpass")}


def _negated(token: Token, head: Token, cues: Cues) -> bool:
    if any(child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no") for child in token.children):
        return True
    if any(child.dep_ == "neg" for child in head.children):
        return True
    current = head
    while current.dep_ in ("xcomp", "conj") and current.head is not current:
        parent = current.head
        if current.dep_ == "xcomp" and parent.lower_ in cues.negating_verbs:
            return True
        if current.dep_ == "xcomp" and any(child.dep_ == "neg" for child in parent.children):
            return True
        current = parent
    return False


def _under_speech(head: Token, cues: Cues) -> Token | None:
    """The speech verb whose complement holds ``head`` ("said [that Y expelled]"), if any."""
    current = head
    for parent in ancestors(head):
        if current.dep_ in ("ccomp", "parataxis") and parent.lower_ in cues.speech_verbs:
            return parent
        current = parent
    for child in head.children:  # "Y expelled ..., officials said" parsed with "said" below
        if child.dep_ in ("parataxis", "ccomp", "advcl") and child.lower_ in cues.speech_verbs:
            return child
    return None


def _conditional(head: Token, cues: Cues) -> bool:
    current = head
    for _ in range(4):
        if any(child.dep_ == "mark" and child.lower_ in cues.conditional_marks for child in current.children):
            return True
        if current.dep_ not in ("advcl", "conj", "xcomp") or current.head is current:
            return False
        current = current.head
    return False


def _intended(head: Token, cues: Cues) -> bool:
    if _aux_words(head) & cues.future_auxiliaries:
        return True
    current = head
    while current.dep_ in ("xcomp", "conj") and current.head is not current:
        parent = current.head
        if current.dep_ == "xcomp" and (parent.lower_ in cues.intent_verbs or parent.lower_ in cues.intent_adjectives):
            return True
        if _aux_words(parent) & cues.future_auxiliaries:
            return True
        current = parent
    return False


def event_modality(token: Token, cues: Cues) -> Modality:
    head = clause_head(token)
    if _negated(token, head, cues):
        return "negated"
    speech = _under_speech(head, cues)
    modals = _aux_words(head)
    if _conditional(head, cues):
        return "hypothetical"
    if modals & cues.hypothetical_modals:
        return "intended" if speech is not None and modals & {"would", "'d"} else "hypothetical"
    if _intended(head, cues):
        return "intended"
    if speech is not None or _according_to(token):
        return "reported"
    return "asserted"


def _according_to(token: Token) -> bool:
    """Each parsed doc is one sentence; "according to X" attributes all of it."""
    doc = token.doc
    return any(t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to" for t in doc)


def obligation_target_clause(head: Token, cues: Cues) -> Token | None:
    """For "X said Y must Z": the complement verb Z when it carries an obligation modal."""
    for child in head.children:
        if child.dep_ in ("ccomp", "xcomp") and _aux_words(child) & cues.obligation_modals:
            return child
    return None

"""Word lists for extraction, and lemma-free matching of their inflected forms.

The parser runs without tagger and lemmatizer (they cost time and extraction needs lemmas only for
the few hundred words it knows), so every known lemma is expanded here into its surface forms and
tokens are looked up by their lower-cased text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from detente.errors import ConfigError
from detente.events.ontology import read_data_yaml

CUES_FILE = "cues.yaml"
_VOWELS = set("aeiou")


def _doubled(stem: str) -> str | None:
    """``expel`` → ``expell``: English doubles a final consonant after a single short vowel."""
    if len(stem) >= 3 and stem[-1] not in _VOWELS | set("wxy") and stem[-2] in _VOWELS:
        return stem + stem[-1]
    return None


def inflect(lemma: str, pos: str, irregular: Mapping[str, Iterable[str]] = {}) -> set[str]:
    """Surface forms of a lower-case lemma; generous, because a form that never occurs costs nothing."""
    forms = {lemma, *irregular.get(lemma, ())}
    if pos == "adj":
        return forms
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(lemma + "es")
    elif lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if pos == "noun":
        return forms
    stems = [lemma]
    if doubled := _doubled(lemma):
        stems.append(doubled)
    for stem in stems:
        if stem.endswith("e"):
            forms.update({stem + "d", stem[:-1] + "ing" if not stem.endswith(("ee", "ye", "oe")) else stem + "ing"})
        elif stem.endswith("y") and stem[-2:-1] not in _VOWELS:
            forms.update({stem[:-1] + "ied", stem + "ing"})
        else:
            forms.update({stem + "ed", stem + "ing"})
    if lemma.endswith("ie"):
        forms.add(lemma[:-2] + "ying")
    return forms


@dataclass(frozen=True, slots=True)
class WordSet:
    """Lemmas and all their surface forms; ``lemma_of`` maps a token's text back to a lemma."""

    forms: Mapping[str, str]

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.forms

    def lemma_of(self, word: str) -> str | None:
        return self.forms.get(word.lower())


def word_set(lemmas: Iterable[str], pos: str, irregular: Mapping[str, Iterable[str]]) -> WordSet:
    forms: dict[str, str] = {}
    for lemma in lemmas:
        for form in sorted(inflect(str(lemma).lower(), pos, irregular)):
            forms.setdefault(form, str(lemma).lower())
    return WordSet(forms)


@dataclass(frozen=True, slots=True)
class Cues:
    """The word lists of ``cues.yaml``, expanded."""

    verb_target_preps: frozenset[str]
    noun_target_preps: frozenset[str]
    undergoer_verbs: WordSet
    command_verbs: WordSet
    decision_verbs: WordSet
    threat_verbs: WordSet
    threat_nouns: WordSet
    threat_nouns_against: WordSet
    speech_verbs: WordSet
    topic_verbs: WordSet
    obligation_modals: frozenset[str]
    intent_verbs: WordSet
    intent_adjectives: frozenset[str]
    future_auxiliaries: frozenset[str]
    hypothetical_modals: frozenset[str]
    conditional_marks: frozenset[str]
    negations: frozenset[str]
    negating_verbs: WordSet
    response_cues: tuple[str, ...]
    place_preps: frozenset[str]
    place_excluded_categories: frozenset[str]
    domestic_categories: frozenset[str]
    announced_categories: frozenset[str]
    decided_categories: frozenset[str]
    irregular: Mapping[str, tuple[str, ...]]


def checked_words(value: Any, where: str) -> list[str]:
    """A YAML list of words; bare on/off/yes/no load as booleans, which is always a mistake here."""
    if not isinstance(value, list) or any(isinstance(word, bool) for word in value):
        raise ConfigError(f'{where}: expected a list of words (quote "on", "no", "off", "yes")')
    return [str(word).lower() for word in value]


def _words(raw: dict[str, Any], key: str) -> list[str]:
    return checked_words(raw.get(key), f"data/events/{CUES_FILE}: {key}")


def talks_about(verb: str, cues: Cues) -> bool:
    """A verb of saying or judging: its object is a topic, not an act of its subject."""
    return bool(cues.topic_verbs.lemma_of(verb))


@functools.cache
def load_cues() -> Cues:
    raw = read_data_yaml(CUES_FILE)
    irregular = {str(lemma): tuple(forms) for lemma, forms in (raw.get("irregular") or {}).items()}
    preps = raw.get("target_preps") or {}
    return Cues(
        verb_target_preps=frozenset(checked_words(preps.get("verb"), f"data/events/{CUES_FILE}: target_preps")),
        noun_target_preps=frozenset(checked_words(preps.get("noun"), f"data/events/{CUES_FILE}: target_preps")),
        undergoer_verbs=word_set(_words(raw, "undergoer_verbs"), "verb", irregular),
        command_verbs=word_set(_words(raw, "command_verbs"), "verb", irregular),
        decision_verbs=word_set(_words(raw, "decision_verbs"), "verb", irregular),
        threat_verbs=word_set(_words(raw, "threat_verbs"), "verb", irregular),
        threat_nouns=word_set(_words(raw, "threat_nouns"), "noun", irregular),
        threat_nouns_against=word_set(_words(raw, "threat_nouns_against"), "noun", irregular),
        speech_verbs=word_set(_words(raw, "speech_verbs"), "verb", irregular),
        topic_verbs=word_set(_words(raw, "topic_verbs"), "verb", irregular),
        obligation_modals=frozenset(_words(raw, "obligation_modals")),
        intent_verbs=word_set(_words(raw, "intent_verbs"), "verb", irregular),
        intent_adjectives=frozenset(_words(raw, "intent_adjectives")),
        future_auxiliaries=frozenset(_words(raw, "future_auxiliaries")),
        hypothetical_modals=frozenset(_words(raw, "hypothetical_modals")),
        conditional_marks=frozenset(_words(raw, "conditional_marks")),
        negations=frozenset(_words(raw, "negations")),
        negating_verbs=word_set(_words(raw, "negating_verbs"), "verb", irregular),
        response_cues=tuple(_words(raw, "response_cues")),
        place_preps=frozenset(_words(raw, "place_preps")),
        place_excluded_categories=frozenset(word.upper() for word in _words(raw, "place_excluded_categories")),
        domestic_categories=frozenset(word.upper() for word in _words(raw, "domestic_categories")),
        announced_categories=frozenset(word.upper() for word in _words(raw, "announced_categories")),
        decided_categories=frozenset(word.upper() for word in _words(raw, "decided_categories")),
        irregular=irregular,
    )

"""Rewrites, translations and story links: is this other article about the same development?

No single signal suffices. Leads about the same actors in the same week embed close together
even when they report different events, and a translation shares almost no words with its
original. So the embedding cosine of the leads is combined with the overlap of actors, of facts
(numbers, dates) and of names, and with publication-date proximity. Facts that disagree veto a
rewrite: both leads give figures but different ones, or name different days (a retaliation
mirrors its cause almost word for word, but not its day). Only the leads are checked for
contradictions: bodies recall earlier dates and figures. Which actor the lead names first (usually
who acted) is one more signal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detente.dedup.facts import facts_disagree
from detente.dedup.settings import RewriteSettings, StorySettings
from detente.dedup.signatures import DocFeatures


@dataclass(frozen=True, slots=True)
class PairEvidence:
    days: int | None  # publication days apart
    cosine: float | None  # embedding cosine of the leads; None unless both are English and embedded
    actors: float | None  # overlap coefficient of actor codes; None if either has none
    facts: float | None  # overlap coefficient of numbers and dates; None if either has none
    shared_facts: int
    names: float | None  # overlap coefficient of names
    contradicts: bool = False  # the leads give other figures or name other days
    lead_actor: float | None = None  # 1.0 when both leads name the same actor first, 0.0 when another


def _overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))


def cosine(a: DocFeatures, b: DocFeatures) -> float | None:
    if a.embedding is None or b.embedding is None:
        return None
    return float(np.dot(a.embedding, b.embedding))


def evidence(a: DocFeatures, b: DocFeatures, cosine_value: float | None = None) -> PairEvidence:
    days = abs((a.published - b.published).days) if a.published and b.published else None
    facts_a, facts_b = a.facts.facts, b.facts.facts
    return PairEvidence(
        days=days,
        cosine=cosine_value if cosine_value is not None else cosine(a, b),
        actors=_overlap(a.actors, b.actors),
        facts=_overlap(facts_a, facts_b),
        shared_facts=len(facts_a & facts_b),
        names=_overlap(a.facts.names, b.facts.names),
        contradicts=facts_disagree(a.lead_facts, b.lead_facts),
        lead_actor=None if not (a.lead_actor and b.lead_actor) else float(a.lead_actor == b.lead_actor),
    )


def _weighted(signals: dict[str, float | None], weights: dict[str, float]) -> float:
    present = {name: value for name, value in signals.items() if value is not None and weights.get(name)}
    total = sum(weights[name] for name in present)
    return sum(weights[name] * value for name, value in present.items()) / total if total else 0.0


def rewrite_similarity(found: PairEvidence, settings: RewriteSettings) -> float:
    """The weighted evidence, without any threshold: the similarity reported for a rewrite."""
    signals = {
        "cosine": found.cosine,
        "actors": found.actors,
        "facts": found.facts,
        "names": found.names,
        "lead_actor": found.lead_actor,
    }
    return _weighted(signals, settings.weights)


def rewrite_score(found: PairEvidence, settings: RewriteSettings) -> float | None:
    """The combined similarity if the pair is a rewrite (or translation) of one report, else None."""
    if found.days is None or found.days > settings.window_days:
        return None
    if found.actors is not None and found.actors < settings.min_actor_overlap:
        return None
    if found.contradicts or (found.facts is not None and found.facts < settings.min_fact_overlap):
        return None  # both give figures, dates or lead events, and they disagree: another event
    if found.cosine is None:
        return _translation_score(found, settings)
    if found.cosine < settings.min_cosine:
        return None
    score = rewrite_similarity(found, settings)
    return score if score >= settings.min_score else None


def _translation_score(found: PairEvidence, settings: RewriteSettings) -> float | None:
    cross = settings.cross_language
    if found.shared_facts < cross.min_shared_facts or (found.facts or 0.0) < cross.min_fact_overlap:
        return None
    if (found.names or 0.0) < cross.min_name_overlap and not found.actors:
        return None
    return rewrite_similarity(found, settings)


def same_story(found: PairEvidence, settings: StorySettings) -> bool:
    """Looser than a rewrite: same actors, close in time, leads on the same subject."""
    if found.days is None or found.days > settings.window_days:
        return False
    if found.actors is None or found.actors < settings.min_actor_overlap:
        return False
    if found.cosine is None:
        return bool(found.shared_facts) and (found.names or 0.0) > 0.0 and not found.contradicts
    # Leads that contradict each other are one development only when one restates the other.
    return found.cosine >= (settings.contradicted_min_cosine if found.contradicts else settings.min_cosine)

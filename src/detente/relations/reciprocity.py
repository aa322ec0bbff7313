"""Tit-for-tat: link a response B (Y→X) to an earlier action A (X→Y) that it answers.

B answers A when, within ``window_days`` after A, B is conflictual and either *in kind* (the same
PLOVER category: expulsion for expulsion, sanction for sanction, ban for ban) or an *escalation*
(a more conflictual score than A). Confidence adds up evidence:

    in kind, same mode         0.45      (expel ↔ expel)
    in kind, other mode        0.35
    escalation                 0.20
    + response cue in B        0.35      ("in response", "retaliat…", "tit-for-tat", "mirror", …)
    + proximity                0.20 · (1 − Δdays / window)

capped at 1. Each response keeps its single best action; links at or above ``min_confidence``
are kept. Links sharing events form chains (A → B → C …), numbered by their first action.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from detente.records import ReciprocityLink
from detente.relations.index import EXCLUDED_MODALITIES, CountedEvent, Dyad

DEFAULT_WINDOW_DAYS = 60
DEFAULT_MIN_CONFIDENCE = 0.4
CONFLICT_QUADS = frozenset({3, 4})


@dataclass(frozen=True, slots=True)
class LinkWeights:
    same_mode: float = 0.45
    same_type: float = 0.35
    escalation: float = 0.20
    cue: float = 0.35
    proximity: float = 0.20


def _is_conflict(counted: CountedEvent) -> bool:
    return counted.event.quad in CONFLICT_QUADS or counted.event.score < 0


def _pair_confidence(action: CountedEvent, response: CountedEvent, window_days: int, weights: LinkWeights) -> float:
    assert action.day is not None and response.day is not None
    first, second = action.event, response.event
    if first.event_type == second.event_type:
        kind = weights.same_mode if first.mode and first.mode == second.mode else weights.same_type
    elif second.score < first.score:
        kind = weights.escalation
    else:
        return 0.0
    gap = (response.day - action.day).days
    confidence = kind + weights.proximity * (1.0 - gap / window_days)
    if second.response_cue:
        confidence += weights.cue
    return min(confidence, 1.0)


def find_links(
    events: Iterable[CountedEvent],
    dyad: Dyad | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    weights: LinkWeights = LinkWeights(),
) -> list[ReciprocityLink]:
    """All tit-for-tat links among ``events`` (restricted to one dyad when given), by date."""
    candidates = [
        counted
        for counted in events
        if counted.day is not None
        and counted.source_code
        and counted.target_code
        and counted.source_code != counted.target_code
        and counted.event.modality not in EXCLUDED_MODALITIES
        and _is_conflict(counted)
        and (dyad is None or dyad.direction(counted) != 0)
    ]
    candidates.sort(key=lambda counted: (counted.day, counted.event.response_cue is not None, counted.canonical_id))
    by_direction: dict[tuple[str, str], list[CountedEvent]] = defaultdict(list)
    for counted in candidates:
        by_direction[(counted.source_code, counted.target_code)].append(counted)  # type: ignore[index]
    order = {counted.canonical_id: position for position, counted in enumerate(candidates)}

    pairs: list[tuple[CountedEvent, CountedEvent, float]] = []
    for response in candidates:
        earlier = by_direction.get((response.target_code, response.source_code), [])  # type: ignore[arg-type]
        days = [counted.day for counted in earlier]
        assert response.day is not None
        begin = bisect_left(days, response.day - timedelta(days=window_days))
        best: tuple[float, CountedEvent] | None = None
        for action in earlier[begin:]:
            if order[action.canonical_id] >= order[response.canonical_id]:
                break
            confidence = _pair_confidence(action, response, window_days, weights)
            if confidence >= min_confidence and (best is None or confidence > best[0]):
                best = (confidence, action)
        if best is not None:
            pairs.append((best[1], response, round(best[0], 4)))
    return _with_chains(pairs)


def _with_chains(pairs: list[tuple[CountedEvent, CountedEvent, float]]) -> list[ReciprocityLink]:
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for action, response, _ in pairs:
        parent[root(response.canonical_id)] = root(action.canonical_id)
    first_action: dict[str, CountedEvent] = {}
    for action, _, _ in pairs:
        chain_root = root(action.canonical_id)
        known = first_action.get(chain_root)
        if known is None or (action.day, action.canonical_id) < (known.day, known.canonical_id):
            first_action[chain_root] = action
    links = []
    for action, response, confidence in pairs:
        start = first_action[root(action.canonical_id)]
        chain_id = "chain-" + hashlib.sha1(start.canonical_id.encode()).hexdigest()[:12]
        links.append(
            ReciprocityLink(
                action=action.event,
                response=response.event,
                cue=response.event.response_cue,
                confidence=confidence,
                chain_id=chain_id,
            )
        )
    links.sort(key=lambda link: (link.response.date, link.chain_id))
    return links

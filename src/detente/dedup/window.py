"""Blocking by publication date: each new article is compared only with articles near it in time.

Cost per article is the number of articles within the story window (days × articles per day),
not the corpus size; cosines are computed a block of new articles at a time with one matrix
product, and only pairs above the cosine floor (or needing the cross-language rules) are scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detente.dedup.rewrite import evidence, rewrite_score, same_story
from detente.dedup.settings import DedupSettings
from detente.dedup.signatures import DocFeatures
from detente.records import DuplicateLink

_BLOCK = 256


@dataclass(slots=True)
class WindowLinks:
    rewrites: list[DuplicateLink]
    story_pairs: list[tuple[str, str]]


def window_links(new: Sequence[DocFeatures], stored: Sequence[DocFeatures], settings: DedupSettings) -> WindowLinks:
    """Rewrite and story links of the dated ``new`` articles, among themselves and with ``stored``."""
    new_ids = {feature.doc_id for feature in new}
    pool = sorted(
        [feature for feature in stored if feature.doc_id not in new_ids and feature.published]
        + [feature for feature in new if feature.published],
        key=lambda feature: (feature.published, feature.doc_id),
    )
    result = WindowLinks([], [])
    if not pool:
        return result
    position = {feature.doc_id: index for index, feature in enumerate(pool)}
    days = np.array([feature.published.toordinal() for feature in pool])  # type: ignore[union-attr]
    vectors = np.zeros((len(pool), _width(pool)), dtype=np.float32)
    embedded = np.zeros(len(pool), dtype=bool)
    for index, feature in enumerate(pool):
        if feature.embedding is not None:
            vectors[index] = feature.embedding
            embedded[index] = True
    span = max(settings.stories.window_days, settings.rewrite.window_days)
    floor = min(settings.stories.min_cosine, settings.rewrite.min_cosine)
    dated_new = [feature for feature in new if feature.published]
    for start in range(0, len(dated_new), _BLOCK):
        block = dated_new[start : start + _BLOCK]
        rows = np.array([position[feature.doc_id] for feature in block])
        low = int(np.searchsorted(days, days[rows].min() - span, side="left"))
        high = int(np.searchsorted(days, days[rows].max() + span, side="right"))
        cosines = vectors[rows] @ vectors[low:high].T
        for offset, feature in enumerate(block):
            me = rows[offset]
            near_in_time = np.abs(days[low:high] - days[me]) <= span
            # An English article's English neighbours must pass the cosine floor; pairs with another
            # language go through the cross-language rules.
            passes = (cosines[offset] >= floor) | ~embedded[low:high] if embedded[me] else True
            keep = near_in_time & passes
            for column in np.flatnonzero(keep):
                other = pool[low + column]
                if other.doc_id == feature.doc_id or (other.doc_id in new_ids and position[other.doc_id] > me):
                    continue  # each pair of new articles once
                both = embedded[me] and embedded[low + column]
                if not both and not (feature.actors & other.actors or feature.facts.facts & other.facts.facts):
                    continue  # nothing in common to compare across languages
                found = evidence(feature, other, float(cosines[offset, column]) if both else None)
                score = rewrite_score(found, settings.rewrite)
                if score is not None:
                    result.rewrites.append(DuplicateLink(feature.doc_id, other.doc_id, "rewrite", round(score, 4)))
                if score is not None or same_story(found, settings.stories):
                    result.story_pairs.append((feature.doc_id, other.doc_id))
    return result


def _width(pool: Sequence[DocFeatures]) -> int:
    for feature in pool:
        if feature.embedding is not None:
            return len(feature.embedding)
    return 1

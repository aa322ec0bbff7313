"""Exact duplicates: the same normalised text (``records.text_hash``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from detente.records import DuplicateLink


def exact_links(new: Mapping[str, str], known: Iterable[tuple[str, str]]) -> list[DuplicateLink]:
    """Links between articles with equal text hashes.

    ``new`` maps the batch's doc ids to their hashes, ``known`` yields (doc id, hash) of earlier
    articles sharing one of those hashes. Each new article links to the first holder of its hash
    (earlier articles first, then by id); grouping picks the canonical copy later.
    """
    holders: dict[str, list[str]] = defaultdict(list)
    for doc_id, digest in sorted(known):
        holders[digest].append(doc_id)
    links = []
    for doc_id, digest in sorted(new.items()):
        first = holders[digest][0] if holders[digest] else None
        if first is not None and first != doc_id:
            links.append(DuplicateLink(doc_id, first, "exact", 1.0))
        holders[digest].append(doc_id)
    return links

"""Duplicate groups: linked copies collapse onto one canonical copy (earliest; tie → most complete)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from datetime import date
from typing import Generic, TypeVar

from detente.dedup.minhash import estimated_jaccard
from detente.dedup.rewrite import evidence, rewrite_similarity
from detente.dedup.settings import DedupSettings
from detente.dedup.signatures import DocFeatures
from detente.records import DuplicateLink

Node = TypeVar("Node", bound=Hashable)


class UnionFind(Generic[Node]):
    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, node: Node) -> Node:
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:  # path compression
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: Node, b: Node) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[root_b] = root_a

    def components(self) -> list[list[Node]]:
        grouped: dict[Node, list[Node]] = {}
        for node in list(self.parent):
            grouped.setdefault(self.find(node), []).append(node)
        return list(grouped.values())


def canonical_order(feature: DocFeatures) -> tuple[date, int, str]:
    """Sort key of the canonical copy: earliest publication, then the longest text, then the id."""
    return (feature.published or date.max, -feature.chars, feature.doc_id)


def classify(member: DocFeatures, canonical: DocFeatures, settings: DedupSettings) -> DuplicateLink:
    """How ``member`` copies ``canonical``, measured directly between the two texts."""
    if member.text_hash == canonical.text_hash:
        return DuplicateLink(member.doc_id, canonical.doc_id, "exact", 1.0)
    jaccard = estimated_jaccard(member.minhash, canonical.minhash)
    if jaccard >= settings.minhash.near_min_jaccard:
        return DuplicateLink(member.doc_id, canonical.doc_id, "near", round(jaccard, 4))
    # A rewrite, possibly reached through another copy: report the evidence between these two.
    similarity = rewrite_similarity(evidence(member, canonical), settings.rewrite)
    return DuplicateLink(member.doc_id, canonical.doc_id, "rewrite", round(similarity, 4))


def regroup(
    links: Iterable[DuplicateLink],
    group_of: Mapping[str, str],
    members_of: Mapping[str, list[str]],
    features: Mapping[str, DocFeatures],
    settings: DedupSettings,
) -> tuple[list[str], list[DuplicateLink]]:
    """Merge new links into the existing groups.

    ``group_of`` maps stored articles to their group's canonical id, ``members_of`` a canonical id
    to its stored members; ``features`` covers every article involved. Returns the ids whose
    ``duplicates`` rows must be replaced and the rows to write for them.
    """
    union: UnionFind[str] = UnionFind()
    for link in links:
        union.union(group_of.get(link.doc_id, link.doc_id), group_of.get(link.duplicate_of, link.duplicate_of))
    touched: list[str] = []
    rows: list[DuplicateLink] = []
    for roots in union.components():
        members = sorted({doc for root in roots for doc in (root, *members_of.get(root, ()))})
        canonical = min((features[doc] for doc in members), key=canonical_order)
        touched.extend(members)
        rows.extend(classify(features[doc], canonical, settings) for doc in members if doc != canonical.doc_id)
    return touched, rows

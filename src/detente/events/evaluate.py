"""Evaluation against the PLOVER gold-standard records (GSR): event type and (source, type, target).

The GSR file is not strict JSON: records are separated by ``},`` with trailing commas and no
enclosing brackets. Its category names are PLOVER 0.5's; they are mapped to today's. Records that
share a sentence are pooled, so a sentence's gold is the set of all its records' types and triples.

Scoring per sentence: the set of predicted types against the gold set; the set of predicted
(source code, type, target code) triples against the gold triples. A gold record with several
sources and no target is reciprocal (CAMEO's convention): its triples are every ordered pair.
Organisation codes on both sides count as ``IGO``, as the GSR codes them.

The example corpus gold (``tests/gold/corpus/*.yaml``) is scored per article instead: the set of
extracted (source, type, target) triples against the listed events, CONSULT and AGREE unordered.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from detente.errors import InputError
from detente.records import EVENT_TYPES, Event

OLD_CATEGORIES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
SKIPPED_CATEGORIES = frozenset({"DOCUMENT"})
# CAMEO-era codes in the GSR → ISO 3166-1 alpha-3; non-state codes → IGO.
OLD_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "NGO": "IGO", "IMG": "IGO", "ISM": "IGO"}
# Modalities of events that did not happen: stored, but neither PLOVER nor the corpus gold lists them.
UNREAL_MODALITIES = frozenset({"negated", "hypothetical"})
# The corpus gold treats these as symmetric between the two parties (see its header).
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE"})
GSR_DATE = date(2000, 1, 1)  # the GSR sentences carry no dates; roles are resolved as of then
_RECORD_SPLIT = re.compile(r"\n\}\s*,?\s*\n\s*\{")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")

Triple = tuple[str | None, str, str | None]


@dataclass(slots=True)
class GoldSentence:
    text: str
    types: set[str] = field(default_factory=set)
    triples: set[Triple] = field(default_factory=set)


def _code(raw: str | None, state_codes: frozenset[str]) -> str | None:
    if not raw:
        return None
    code = OLD_CODES.get(raw, raw)
    return code if code in state_codes or code == "IGO" else "IGO"


def _actor_codes(value: Any, state_codes: frozenset[str]) -> list[str | None]:
    if not isinstance(value, list):
        return []
    return [_code(actor.get("code"), state_codes) for actor in value if isinstance(actor, dict)]


def read_gsr(path: Path, state_codes: frozenset[str]) -> list[GoldSentence]:
    """Gold sentences of a GSR file, records sharing a sentence pooled."""
    try:
        raw = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror}") from error
    raw = raw.removeprefix("[").removesuffix("]").strip().removesuffix(",")
    sentences: dict[str, GoldSentence] = {}
    for number, chunk in enumerate(_RECORD_SPLIT.split(raw), start=1):
        text = "{" + chunk.strip().removeprefix("{").removesuffix(",").removesuffix("}") + "}"
        try:
            record = json.loads(_TRAILING_COMMA.sub(r"\1", text))
        except json.JSONDecodeError as error:
            raise InputError(str(path), f"record {number} is not valid JSON: {error.msg}") from error
        event = OLD_CATEGORIES.get(record.get("event", ""), record.get("event", ""))
        if event in SKIPPED_CATEGORIES or event not in EVENT_TYPES or not record.get("text"):
            continue
        sentence_text = record["text"].strip().strip("{}").strip()
        gold = sentences.setdefault(sentence_text, GoldSentence(sentence_text))
        gold.types.add(event)
        sources = _actor_codes(record.get("source"), state_codes)
        targets = _actor_codes(record.get("target"), state_codes)
        if targets:
            gold.triples.update((s, event, t) for s in sources for t in targets)
        elif len(sources) > 1:
            gold.triples.update((s, event, t) for s in sources for t in sources if s != t)
        else:
            gold.triples.update((s, event, None) for s in sources)
    return list(sentences.values())


@dataclass(slots=True)
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    def add(self, predicted: set[Any], gold: set[Any]) -> None:
        self.true_positive += len(predicted & gold)
        self.false_positive += len(predicted - gold)
        self.false_negative += len(gold - predicted)

    def scores(self) -> dict[str, float | int]:
        tp, fp, fn = self.true_positive, self.false_positive, self.false_negative
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }


def predicted_sets(events: Iterable[Event], state_codes: frozenset[str]) -> tuple[set[str], set[Triple]]:
    types: set[str] = set()
    triples: set[Triple] = set()
    for event in events:
        if event.modality == "negated":  # stored, but not an event that happened (PLOVER drops them)
            continue
        types.add(event.event_type)
        source = _code(event.source.code, state_codes)
        target = _code(event.target.code, state_codes) if event.target else None
        triples.add((source, event.event_type, target))
    return types, triples


def evaluate(
    gold: list[GoldSentence],
    extract: Callable[[list[str]], list[list[Event]]],
    state_codes: frozenset[str],
) -> dict[str, Any]:
    """Micro and per-category P/R/F1 for types and triples; ``extract`` maps texts to their events."""
    predictions = extract([sentence.text for sentence in gold])
    type_counts: dict[str, Counts] = defaultdict(Counts)
    triple_counts: dict[str, Counts] = defaultdict(Counts)
    type_micro, triple_micro = Counts(), Counts()
    for sentence, events in zip(gold, predictions, strict=True):
        types, triples = predicted_sets(events, state_codes)
        type_micro.add(types, sentence.types)
        triple_micro.add(triples, sentence.triples)
        for category in types | sentence.types:
            type_counts[category].add(types & {category}, sentence.types & {category})
            triple_counts[category].add(
                {t for t in triples if t[1] == category}, {t for t in sentence.triples if t[1] == category}
            )
    support = Counter(category for sentence in gold for category in sentence.types)
    return {
        "sentences": len(gold),
        "type": type_micro.scores(),
        "triple": triple_micro.scores(),
        "per_category": {
            category: {
                "support": support[category],
                "type": type_counts[category].scores(),
                "triple": triple_counts[category].scores(),
            }
            for category in EVENT_TYPES
            if category in type_counts
        },
    }


def evaluate_gsr(path: Path) -> dict[str, Any]:
    """Run the extractor over the GSR file's sentences (dated ``GSR_DATE``) and score it."""
    from detente.actors import load_kb
    from detente.events.extract import default_extractor
    from detente.records import Article

    state_codes = frozenset(load_kb().states)
    extractor = default_extractor()

    def extract(texts: list[str]) -> list[list[Event]]:
        articles = [
            Article(id=f"gsr-{i}", text=text, published=GSR_DATE, language="en") for i, text in enumerate(texts)
        ]
        by_doc: dict[str, list[Event]] = defaultdict(list)
        for event in extractor.extract(articles):
            by_doc[event.doc_id].append(event)
        return [by_doc[article.id] for article in articles]

    return evaluate(read_gsr(path, state_codes), extract, state_codes)


def _corpus_triple(source: str, event_type: str, target: str) -> Triple:
    if event_type in SYMMETRIC_TYPES:
        source, target = sorted((source, target))
    return (source, event_type, target)


def read_corpus_gold(folder: Path) -> dict[str, set[Triple]]:
    """Gold triples per article id from every ``*.yaml`` in ``folder`` (the example-corpus gold)."""
    gold: dict[str, set[Triple]] = {}
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise InputError(str(folder), "holds no gold *.yaml files")
    for path in files:
        try:
            articles = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("articles") or {}
            for doc_id, article in articles.items():
                triples = gold.setdefault(str(doc_id), set())
                for item in article.get("events") or []:
                    triples.add(_corpus_triple(item["source"], item["type"], item["target"]))
        except (OSError, yaml.YAMLError, KeyError, AttributeError, TypeError) as error:
            raise InputError(str(path), f"not a readable corpus gold file: {error}") from error
    return gold


def corpus_triples(events: Iterable[Event]) -> dict[str, set[Triple]]:
    """Extracted triples per article, as the corpus gold lists them: real events between two named parties."""
    triples: dict[str, set[Triple]] = defaultdict(set)
    for event in events:
        source = event.source.code
        target = event.target.code if event.target else None
        # the gold lists only dyadic events between different states/organisations
        if event.modality in UNREAL_MODALITIES or not source or not target or source == target:
            continue
        triples[event.doc_id].add(_corpus_triple(source, event.event_type, target))
    return triples


def score_corpus(gold: dict[str, set[Triple]], events: Iterable[Event]) -> dict[str, Any]:
    """Micro and per-category triple P/R/F1 over the gold articles (events of other articles are ignored)."""
    predicted = corpus_triples(events)
    micro = Counts()
    per_category: dict[str, Counts] = defaultdict(Counts)
    for doc_id, gold_triples in gold.items():
        found = predicted.get(doc_id, set())
        micro.add(found, gold_triples)
        for category in {t[1] for t in found | gold_triples}:
            per_category[category].add(
                {t for t in found if t[1] == category}, {t for t in gold_triples if t[1] == category}
            )
    return {
        "articles": len(gold),
        "triple": micro.scores(),
        "per_category": {
            category: per_category[category].scores() for category in EVENT_TYPES if category in per_category
        },
    }

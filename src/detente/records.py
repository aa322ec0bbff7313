"""The typed records that flow between pipeline stages.

Every stage reads and writes these and nothing else: ingest yields ``RawDocument``; clean turns it
into an ``Article``; the actor resolver yields ``ActorMention``; extraction yields ``Event``; dedup
yields ``DuplicateLink``/``Story``/``CanonicalEvent``; relations yield ``RelationPoint`` and
``ReciprocityLink``. Keeping them in one module is what lets a stage change its internals freely.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

DateSource = Literal["metadata", "html", "warc", "estimated"]
DupKind = Literal["exact", "near", "rewrite"]
Modality = Literal["asserted", "reported", "intended", "hypothetical", "negated", "historical"]
DatePrecision = Literal["day", "month", "year", "publication"]

EVENT_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text as compared for exact duplicates: NFKC, casefolded, whitespace collapsed."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class RawDocument:
    """One document as read from an input, before cleaning.

    Exactly one of ``text`` and ``html`` is usually set; fields named here come from metadata
    (JSONL fields, sidecar ``.meta.json``, WARC headers), everything else lands in ``metadata``.
    """

    origin: str  # where it came from, e.g. "corpus/a.jsonl:12" — used in every warning
    id: str | None = None
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: datetime | None = None
    date_source: DateSource | None = None
    language: str | None = None
    author: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RemovedLine:
    line: str
    reason: str  # e.g. "comment-form", "share-widget", "caption", "teaser", "foreign-language:vi"


@dataclass(slots=True)
class Article:
    """A clean article: the unit every later stage works on."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: date | None = None
    date_source: DateSource | None = None
    language: str | None = None
    author: str | None = None
    origin: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(slots=True)
class CleanResult:
    article: Article
    removed: list[RemovedLine] = field(default_factory=list)


@dataclass(slots=True)
class ActorRef:
    """A resolved actor as it appears on an event: what the text said and what it means."""

    text: str
    code: str | None = None  # ISO 3166-1 alpha-3 for states, short code (EU, NATO, UN) for organisations
    sector: str | None = None  # GOV, MIL, LEG, JUD, OPP, MED, BUS, CVL, REB, IGO, ELI, ...
    actor_id: str | None = None  # KB id of the person/organisation/state
    name: str | None = None  # canonical name from the KB
    role: str | None = None  # e.g. "President", "former President", "President-elect"
    confidence: float = 0.0


@dataclass(slots=True)
class ActorMention(ActorRef):
    """An actor found in a text span; ``start``/``end`` are character offsets into the text."""

    start: int = 0
    end: int = 0
    kind: str = ""  # state | organisation | person | metonym | demonym | adjective | agent | group | alias
    ambiguous_with: list[str] = field(default_factory=list)  # other codes the span could mean
    why: str = ""  # human-readable explanation, shown by `detente actors lookup`


@dataclass(slots=True)
class Event:
    """One event mention: who did what to whom, when, on what evidence."""

    event_id: str
    doc_id: str
    sentence_index: int
    sentence: str
    event_type: str  # one of EVENT_TYPES
    source: ActorRef
    target: ActorRef | None
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    quad: int = 0  # 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
    score: float = 0.0  # PLOVER conflict–cooperation score (-10 .. +10)
    cameo_root: str | None = None
    trigger: str = ""  # the words that triggered the event
    date: date | None = None
    date_precision: DatePrecision = "publication"
    modality: Modality = "asserted"
    quantity: int | None = None
    quantity_text: str | None = None
    confidence: float = 0.0
    group_id: str | None = None  # shared by the records one compound-actor mention expands into
    response_cue: str | None = None  # "in response", "retaliation", ... when the sentence says so
    canonical_id: str | None = None  # filled by the dedup stage

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class DuplicateLink:
    doc_id: str
    duplicate_of: str
    dup_kind: DupKind
    similarity: float


@dataclass(slots=True)
class Story:
    story_id: str
    title: str
    first_date: date | None
    last_date: date | None
    doc_ids: list[str]
    main_actors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class CanonicalEvent:
    """One real-world event behind several mentions (copies, or reports across a story)."""

    canonical_id: str
    event: Event  # the representative mention
    num_articles: int
    num_sources: int
    doc_ids: list[str]
    mention_ids: list[str]


@dataclass(slots=True)
class RelationPoint:
    """The cooperation–conflict reading of one dyad in one period."""

    dyad: tuple[str, str]
    directed: bool
    period_start: date
    freq: str  # day | week | month | quarter
    n_events: int
    counts: dict[str, int]  # per PLOVER category
    quad_counts: dict[int, int]
    score_sum: float
    score_mean: float
    index: float  # normalised, in [-1, 1]
    canonical_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ReciprocityLink:
    action: Event
    response: Event
    cue: str | None
    confidence: float
    chain_id: str

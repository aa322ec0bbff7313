"""``detente synth``: realistic synthetic news with known events and planted copies.

Articles are composed from the templates in ``data/synth/templates.yaml`` with states and the
people holding office on the article's date from the actor knowledge base, so the names the
resolver must handle are the real ones. Beside the articles (JSONL shards in ``articles/``) goes ``gold.jsonl``:
per article its events (source, type, mode, target, date, quantity) and, for planted copies, the
article it copies and how (exact, near, rewrite). Everything streams: memory stays flat in N.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from detente.scale.profiles import ActorProfile, load_profiles

NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
FIRST_DAY = date(2014, 1, 1)
LAST_DAY = date(2025, 12, 31)
SHARD_SIZE = 10_000
ARTICLES_DIR = "articles"
GOLD_FILE = "gold.jsonl"


@dataclass(slots=True)
class PlantRates:
    exact: float = 0.03
    near: float = 0.03
    rewrite: float = 0.03
    response: float = 0.25  # an article that also reports the other side's answer


@dataclass(slots=True)
class SynthArticle:
    record: dict[str, Any]
    gold: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)  # what a rewrite needs to say the same


def load_templates() -> dict[str, Any]:
    text = (resources.files("detente.data") / "synth" / "templates.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _when(rng: random.Random, published: date) -> tuple[str, date]:
    """A date phrase and the day it means, resolved against the publication date."""
    choice = rng.random()
    if choice < 0.35:
        return "", published
    if choice < 0.65:
        back = rng.randint(1, 6)
        day = published - timedelta(days=back)
        return f"on {day.strftime('%A')}", day
    back = rng.randint(1, 20)
    day = published - timedelta(days=back)
    return f"on {day.strftime('%B')} {day.day}", day


def _fill(template: str, values: dict[str, str]) -> str:
    text = template.format(**values)
    text = text.replace(" .", ".").replace("  ", " ")
    return text[0].upper() + text[1:]


def _copy_gold(original: SynthArticle, copy_id: str, kind: str) -> dict[str, Any]:
    return {**original.gold, "id": copy_id, "duplicate_of": original.record["id"], "dup_kind": kind}


class Generator:
    """Deterministic for a seed: the same N and seed give the same files."""

    def __init__(self, seed: int = 0, rates: PlantRates | None = None) -> None:
        self.rng = random.Random(seed)
        self.rates = rates or PlantRates()
        self.templates = load_templates()
        self.profiles = load_profiles(self.templates["actors"])
        self.codes = sorted(self.profiles)
        self.weights = [self.profiles[code].weight for code in self.codes]
        self.counter = 0

    def _values(self, source: ActorProfile, target: ActorProfile, day: date, quantity: int) -> dict[str, str]:
        return {
            "src": source.name,
            "tgt": target.name,
            "src_adj": source.adjective,
            "tgt_adj": target.adjective,
            "src_cap": source.capital,
            "tgt_cap": target.capital,
            "src_leader": source.leader_phrase(day),
            "tgt_leader": target.leader_phrase(day),
            "src_surname": source.leader_surname(day),
            "n": str(quantity),
            "n_words": NUMBER_WORDS[quantity - 2] if 2 <= quantity <= 12 else str(quantity),
        }

    def _pair(self) -> tuple[ActorProfile, ActorProfile]:
        source_code = self.rng.choices(self.codes, self.weights)[0]
        target_code = source_code
        while target_code == source_code:
            target_code = self.rng.choices(self.codes, self.weights)[0]
        return self.profiles[source_code], self.profiles[target_code]

    def _compose(self, facts: dict[str, Any], variant: int) -> tuple[str, str, list[dict[str, Any]]]:
        """Title, body and gold events for the facts; ``variant`` picks other phrasings (rewrites)."""
        rng = random.Random(facts["seed"] * 7 + variant)
        source, target = self.profiles[facts["source"]], self.profiles[facts["target"]]
        spec = self.templates["events"][facts["template"]]
        values = self._values(source, target, facts["day"], facts["quantity"])
        values["when"] = facts["when"]
        sentences = spec["sentences"]
        lead_template = sentences[(facts["phrasing"] + variant) % len(sentences)]
        lead = _fill(lead_template, values)
        headline = _fill(spec["headline"][variant % len(spec["headline"])], values)
        extra = {
            "year": str(rng.randint(2000, facts["published"].year)),
            "pct": str(rng.randint(3, 60)),
            "k": str(rng.randint(2, 28)),
            "hour": str(rng.randint(8, 22)),
            "k_words": rng.choice(NUMBER_WORDS).capitalize(),
            "city": rng.choice(self.templates["cities"]),
            "topic": rng.choice(self.templates["topics"]),
        }
        chosen = [
            entry if isinstance(entry, dict) else {"line": entry}
            for entry in rng.sample(self.templates["background"], 3)
        ]
        # a line reporting an event goes first, so a near copy (which drops the last) still has it
        chosen.sort(key=lambda entry: "event" not in entry)
        background = [_fill(entry["line"], {**values, **extra}) for entry in chosen]
        body = [lead, background[0]]
        events = [
            {
                "source": source.code,
                "type": spec["type"],
                "mode": spec["mode"],
                "target": target.code,
                "date": facts["day"].isoformat(),
                "quantity": facts["quantity"] if "{n" in lead_template else None,
            }
        ]
        if facts.get("response_day"):
            answer = self._values(target, source, facts["response_day"], facts["response_quantity"])
            answer["when"] = facts["response_when"]
            responses = self.templates["responses"]
            body.append(_fill(responses[(facts["phrasing"] + variant) % len(responses)], answer))
            events.append(
                {
                    "source": target.code,
                    "type": "SANCTION",
                    "mode": "expel",
                    "target": source.code,
                    "date": facts["response_day"].isoformat(),
                    "quantity": facts["response_quantity"],
                    "response_to": 0,
                }
            )
        body.extend(background[1:])
        events.extend(
            {
                "source": source.code,
                "type": entry["event"],
                "mode": None,
                "target": target.code,
                "date": None,
                "quantity": None,
            }
            for entry in chosen
            if "event" in entry
        )
        if variant:
            body = [body[0], *rng.sample(body[1:], len(body) - 1)]
        return headline, "\n\n".join(body), events

    def _noise(self, rng: random.Random) -> list[str]:
        return rng.sample(self.templates["boilerplate"], rng.randint(0, 3))

    def _record(self, article_id: str, title: str, body: str, published: date, outlet: str) -> dict[str, Any]:
        rng = random.Random(article_id)
        lines = [body, *self._noise(rng)]
        slug = article_id.lower()
        domain = outlet.lower().replace(" ", "") + ".example"
        return {
            "id": article_id,
            "url": f"https://{domain}/{published.isoformat()}/{slug}",
            "title": title,
            "text": "\n\n".join(lines),
            "published": published.isoformat(),
            "source": domain,
            "language": "en",
        }

    def new_story(self) -> SynthArticle:
        self.counter += 1
        published = FIRST_DAY + timedelta(days=self.rng.randint(0, (LAST_DAY - FIRST_DAY).days))
        source, target = self._pair()
        when, day = _when(self.rng, published)
        template = self.rng.randrange(len(self.templates["events"]))
        facts: dict[str, Any] = {
            "seed": self.counter,
            "source": source.code,
            "target": target.code,
            "published": published,
            "day": day,
            "when": when,
            "template": template,
            "phrasing": self.rng.randrange(3),
            "quantity": self.rng.randint(2, 40),
            "outlet": self.rng.choice(self.templates["outlets"]),
        }
        if self.templates["events"][template]["mode"] == "expel" and self.rng.random() < self.rates.response:
            facts["response_day"] = published
            facts["response_when"] = ""
            facts["response_quantity"] = self.rng.randint(2, 40)
        article_id = f"synth-{self.counter:08d}"
        title, body, events = self._compose(facts, 0)
        record = self._record(article_id, title, body, published, facts["outlet"])
        return SynthArticle(record, {"id": article_id, "events": events}, facts)

    def copies(self, original: SynthArticle) -> Iterator[SynthArticle]:
        """Planted exact, near and rewritten copies of ``original``, each by another outlet."""
        rng = self.rng
        outlets = [outlet for outlet in self.templates["outlets"] if outlet != original.facts["outlet"]]
        base_id = original.record["id"]
        if rng.random() < self.rates.exact:
            record = dict(original.record, id=f"{base_id}-x", source=rng.choice(outlets).lower().replace(" ", ""))
            yield SynthArticle(record, _copy_gold(original, record["id"], "exact"))
        if rng.random() < self.rates.near:
            paragraphs = original.record["text"].split("\n\n")
            trimmed = [p for p in paragraphs if p not in self.templates["boilerplate"]][:-1]
            text = "\n\n".join([*trimmed, "This report was updated with reactions."])
            record = dict(original.record, id=f"{base_id}-n", text=text, title=original.record["title"] + " — update")
            yield SynthArticle(record, _copy_gold(original, record["id"], "near"))
        if rng.random() < self.rates.rewrite:
            title, body, events = self._compose(original.facts, 1)
            published = original.facts["published"] + timedelta(days=rng.randint(0, 1))
            record = self._record(f"{base_id}-r", title, body, published, rng.choice(outlets))
            gold = {"id": record["id"], "events": events, "duplicate_of": base_id, "dup_kind": "rewrite"}
            yield SynthArticle(record, gold, original.facts)

    def articles(self, n: int) -> Iterator[SynthArticle]:
        made = 0
        while made < n:
            original = self.new_story()
            yield original
            made += 1
            for copy in self.copies(original):
                if made >= n:
                    return
                yield copy
                made += 1


def write_corpus(n: int, out: Path, seed: int = 0, rates: PlantRates | None = None) -> dict[str, int]:
    """Write ``n`` articles as JSONL shards under ``out/articles/`` and their gold as ``out/gold.jsonl``
    (outside the articles folder, so ``detente run out/articles`` does not read it as news); returns
    counts by kind."""
    (out / ARTICLES_DIR).mkdir(parents=True, exist_ok=True)
    generator = Generator(seed, rates)
    counts = {"articles": 0, "events": 0, "exact": 0, "near": 0, "rewrite": 0}
    shard = None
    with (out / GOLD_FILE).open("w", encoding="utf-8") as gold_file:
        try:
            for position, article in enumerate(generator.articles(n)):
                if position % SHARD_SIZE == 0:
                    if shard:
                        shard.close()
                    name = f"articles-{position // SHARD_SIZE:05d}.jsonl"
                    shard = (out / ARTICLES_DIR / name).open("w", encoding="utf-8")
                assert shard is not None
                shard.write(json.dumps(article.record, ensure_ascii=False) + "\n")
                gold_file.write(json.dumps(article.gold, ensure_ascii=False) + "\n")
                counts["articles"] += 1
                counts["events"] += len(article.gold["events"])
                kind = article.gold.get("dup_kind")
                if kind:
                    counts[kind] += 1
        finally:
            if shard:
                shard.close()
    return counts

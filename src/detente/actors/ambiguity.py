"""Explicit ambiguity: decide "Brussels", "Georgia", "Congo" from cue phrases in the same document."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from detente.actors.lexicon import AmbiguityRule


@dataclass(frozen=True, slots=True)
class Decision:
    code: str | None  # None: not an actor (the US state of Georgia)
    confidence: float
    ambiguous_with: list[str]
    why: str


class CueCounts:
    """Cue phrases seen in one document, per rule and option."""

    def __init__(self) -> None:
        self._counts: dict[int, Counter[int]] = defaultdict(Counter)
        self._seen: dict[tuple[int, int], list[str]] = defaultdict(list)

    def add(self, rule: int, option: int, phrase: str) -> None:
        self._counts[rule][option] += 1
        if phrase not in self._seen[rule, option]:
            self._seen[rule, option].append(phrase)

    def decide(self, rule_index: int, rule: AmbiguityRule, phrase: str) -> Decision:
        counts = self._counts.get(rule_index, Counter())
        ranked = counts.most_common()
        codes = [option.get("code") for option in rule.options]
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            option = ranked[0][0]
            cues = ", ".join(self._seen[rule_index, option][:3])
            chosen = rule.options[option]
            code = None if chosen.get("not_actor") else codes[option]
            label = chosen.get("label", codes[option])
            return Decision(code, 0.9, [], f"{phrase!r} read as {label}: context mentions {cues}")
        default = rule.options[0]
        others = [code for code in codes[1:] if code]
        state = "cues on both sides" if ranked else "no context cue"
        return Decision(
            None if default.get("not_actor") else default.get("code"),
            rule.confidence,
            others,
            f"{phrase!r} is ambiguous ({state}); taken as {default.get('label', default.get('code'))}",
        )

"""Rule-based boilerplate removal over the lines of one article.

Three passes, each keeping a reason for every line it removes: captions (including a caption
glued to the paragraph after it, which is split off first), line rules from the YAML data, and
"related stories" teaser blocks (a header and the headline-like lines under it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from detente.clean.patterns import BoilerplatePatterns, CaptionPatterns, TeaserPatterns
from detente.records import RemovedLine

_MAX_RULE_LINE = 300  # longer lines are prose: never boilerplate by rule (also bounds regex work)
_SENTENCE_END = re.compile(r"[.。]['\"”’»)]*$")  # headlines may end in ? or ! but not in a full stop
_LETTER = re.compile(r"[^\W\d_]")
_DATE_ONLY = re.compile(
    r"\W*(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(?:\w+\.?\s+)?\d{1,2},?\s+\d{4}|\d{1,2}\s+\w+\.?\s+\d{4})(?:[\s,]+\d{1,2}:\d{2})?\W*$"
)


@dataclass(slots=True)
class LineVerdict:
    """Lines to keep (in order) and the lines removed with their reasons."""

    kept: list[str]
    removed: list[RemovedLine]


def _words(line: str) -> int:
    return len(line.split())


def split_captions(lines: Sequence[str], captions: CaptionPatterns) -> LineVerdict:
    """Remove caption lines and credits; split a caption glued to the next paragraph off it."""
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for line in lines:
        if not captions.may_hold_credit(line):
            kept.append(line)
            continue
        pending = line
        while pending:
            if len(pending) <= _MAX_RULE_LINE and captions.credit_only.match(pending):
                removed.append(RemovedLine(pending, "credit"))
                break
            glued = captions.glued_credit.match(pending)
            if glued and _words(glued["caption"]) <= captions.max_caption_words:
                caption = pending[: glued.start("rest")].strip()
                removed.append(RemovedLine(caption, "caption"))
                pending = glued["rest"].strip()
                continue
            ending = captions.credit_at_end.match(pending)
            if ending and _words(ending["caption"]) <= captions.max_caption_words:
                removed.append(RemovedLine(pending, "caption"))
                break
            if ending:  # a long paragraph that merely ends in a credit keeps its text
                removed.append(RemovedLine(pending[len(ending["caption"]) :].strip(), "credit"))
                pending = ending["caption"].strip()
            kept.append(pending)
            break
    return LineVerdict(kept, removed)


def rule_reason(line: str, patterns: BoilerplatePatterns) -> str | None:
    """The reason a line is boilerplate by the YAML rules, else None."""
    if len(line) > _MAX_RULE_LINE:
        return None
    for rule in patterns.rules:
        if rule.pattern.match(line) and (not rule.needs_letters or _LETTER.search(line)):
            return rule.reason
    return None


def _teaser_title(line: str, teasers: TeaserPatterns) -> bool:
    """Headline-like (a few words, no closing full stop) or a bare date under a teaser header."""
    if _DATE_ONLY.match(line):
        return True
    words = _words(line)
    return teasers.title_min_words <= words <= teasers.title_max_words and not _SENTENCE_END.search(line)


def remove_teasers(lines: Sequence[str], teasers: TeaserPatterns) -> LineVerdict:
    kept: list[str] = []
    removed: list[RemovedLine] = []
    titles_left = 0
    for line in lines:
        if teasers.header.match(line):
            removed.append(RemovedLine(line, "teaser"))
            titles_left = teasers.max_titles
        elif teasers.inline.match(line) and len(line) <= _MAX_RULE_LINE:
            removed.append(RemovedLine(line, "teaser"))
        elif titles_left and _teaser_title(line, teasers):
            removed.append(RemovedLine(line, "teaser"))
            titles_left -= 1
        else:
            kept.append(line)
            titles_left = 0
    return LineVerdict(kept, removed)

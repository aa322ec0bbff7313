"""Markdown → plain lines: keep the words, drop the markup (headings, emphasis, bullets, links, images)."""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|~~)(?=\S)(.+?)(?<=\S)\1")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")


def markdown_to_text(markdown: str) -> str:
    lines = []
    for line in markdown.splitlines():
        if _RULE.match(line):
            lines.append("")
            continue
        line = _IMAGE.sub("", line)  # alt text is a caption, not the story
        line = _LINK.sub(r"\1", line)
        line = _HEADING.sub("", line)
        line = _QUOTE.sub("", line)
        line = _LIST_MARKER.sub("", line)
        line = _EMPHASIS.sub(r"\2", line)
        lines.append(line)
    return "\n".join(lines)

"""Split an agent's markdown into prose and fenced code, so each code block can be
selected, copied and saved on its own."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from robotui.languages import normalize_language


@dataclass(frozen=True)
class Prose:
    text: str


@dataclass(frozen=True)
class Fence:
    code: str
    language: str


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def split_markdown(text: str) -> list[Prose | Fence]:
    """Prose and fences in document order; empty prose between fences is dropped."""
    if "```" not in text and "~~~" not in text:
        return [Prose(text)] if text.strip() else []
    lines = text.split("\n")
    pieces: list[Prose | Fence] = []
    position = 0
    for token in _parser().parse(text):
        if token.type != "fence" or token.map is None:
            continue
        start, end = token.map
        before = "\n".join(lines[position:start])
        if before.strip():
            pieces.append(Prose(before))
        pieces.append(Fence(token.content.rstrip("\n"), normalize_language(token.info)))
        position = end
    rest = "\n".join(lines[position:])
    if rest.strip():
        pieces.append(Prose(rest))
    return pieces

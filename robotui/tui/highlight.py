"""Highlighted code as a light Rich renderable.

Rich's `Syntax` builds a `Text` with a span per token, wraps it, then renders it;
for a turn full of code that dominated rendering. `Code` goes from Pygments
tokens straight to segments, with one cached `Style` per token type, and wraps
long lines by cells. It looks the same as `Syntax` with the same theme.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax

if TYPE_CHECKING:
    from pygments.lexer import Lexer
    from rich.console import Console, ConsoleOptions, RenderResult


@lru_cache(maxsize=64)
def lexer_for(language: str) -> Lexer | None:
    """A Pygments lexer for a language name, or None (plain text)."""
    if not language or language == "text":
        return None
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        # ensurenl: line-based rules (a diff's `+.*\n`) need every line ended.
        return get_lexer_by_name(language, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return None


@lru_cache(maxsize=4096)
def _token_style(theme: str, background: str, token_type: object) -> Style:
    style = Syntax.get_theme(theme).get_style_for_token(token_type)  # type: ignore[arg-type]
    return style + Style(bgcolor=background)


class Code:
    """`code` highlighted as `language`, on `background`, wrapped to the width."""

    def __init__(self, code: str, language: str, theme: str, background: str) -> None:
        self.code = code.expandtabs(4) if "\t" in code else code
        self.language = language
        self.theme = theme
        self.background = background

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(4, options.max_width)
        inner = width - 2  # one cell of padding each side
        plain = Style(bgcolor=self.background)
        pad = Segment(" ", plain)
        new_line = Segment.line()
        for line in self._lines():
            for row in _wrap(line, inner):
                used = sum(length for _, _, length in row)
                yield pad
                for text, style, _ in row:
                    yield Segment(text, style)
                yield Segment(" " * (inner - used + 1), plain)
                yield new_line

    def _lines(self) -> list[list[tuple[str, Style, int]]]:
        """Lines of (text, style, cells) pieces."""
        lexer = lexer_for(self.language)
        if lexer is None:
            from pygments.token import Token

            default = _token_style(self.theme, self.background, Token.Text)
            return [
                [(text, default, cell_len(text))] if text else [] for text in self.code.split("\n")
            ]
        lines: list[list[tuple[str, Style, int]]] = [[]]
        for token_type, value in lexer.get_tokens(self.code):
            style = _token_style(self.theme, self.background, token_type)
            first = True
            for piece in value.split("\n"):
                if not first:
                    lines.append([])
                first = False
                if piece:
                    lines[-1].append((piece, style, cell_len(piece)))
        if not lines[-1] and not self.code.endswith("\n") and len(lines) > 1:
            lines.pop()  # the newline the lexer added
        return lines


def _wrap(line: list[tuple[str, Style, int]], width: int) -> list[list[tuple[str, Style, int]]]:
    """Split a line of pieces into rows at most `width` cells wide, breaking
    after a space where there is one (as an editor's soft wrap does)."""
    if sum(length for _, _, length in line) <= width:
        return [line]
    text = "".join(piece for piece, _, _ in line)
    cells = [cell_len(character) for character in text] if not text.isascii() else None
    starts = _row_starts(text, cells, width)
    rows: list[list[tuple[str, Style, int]]] = [[] for _ in starts]
    position = 0
    row = 0
    for piece, style, _ in line:
        while piece:
            end = starts[row + 1] if row + 1 < len(starts) else len(text)
            take = min(len(piece), end - position)
            part = piece[:take]
            if part:
                rows[row].append((part, style, cell_len(part)))
            piece = piece[take:]
            position += take
            if position >= end and row + 1 < len(starts):
                row += 1
    return rows


def _row_starts(text: str, cells: list[int] | None, width: int) -> list[int]:
    """Character indexes where each wrapped row starts."""
    starts = [0]
    start = 0
    while True:
        used, index = 0, start
        while index < len(text):
            cell = cells[index] if cells is not None else 1
            if used + cell > width:
                break
            used += cell
            index += 1
        if index >= len(text):
            return starts
        space = text.rfind(" ", start + 1, index + 1)
        cut = space + 1 if space > start and space + 1 > start else index
        if cut <= start:
            cut = start + 1
        starts.append(cut)
        start = cut

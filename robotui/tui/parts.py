"""The pieces blocks are drawn from: selectable `Item`s, `Part`s, and the Rich
renderables for markdown, code, headers, collapsed text and quiet notes.

Server text is wrapped in `Text` or fed to Markdown and `Code`, never parsed as
Textual or Rich markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from rich.console import RenderableType
from rich.markdown import Heading, Markdown
from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from robotui.client import events as ev
from robotui.languages import extension_for
from robotui.textsafe import visible
from robotui.tui.highlight import Code
from robotui.tui.palette import Palette

COLLAPSED_LINES = 12  # a longer output shows this many lines until expanded
HUGE_TEXT = 200_000  # beyond this, text is shown plain: highlighting 1 MB would freeze
HUGE_MESSAGE = 64_000  # a message beyond this (or HUGE_MESSAGE_LINES) starts collapsed
HUGE_MESSAGE_LINES = 600
PREVIEW_LINES = 30


@dataclass
class Item:
    """A selectable thing inside a block."""

    kind: str  # "code", "command", "output", "diff", "file"
    text: str  # what "copy" copies
    language: str = ""
    name_hint: str = ""  # a file name suggested by "save"

    @property
    def suggested_name(self) -> str:
        if self.name_hint:
            return self.name_hint
        return "snippet" + extension_for(self.language)


@dataclass
class Part:
    renderable: RenderableType
    item: Item | None = None
    toggle: bool = False  # clicking it expands or collapses the block


class _LeftHeading(Heading):
    """Markdown headings left-aligned, as in a chat rather than a document."""

    def __rich_console__(self, console, options):  # type: ignore[override]
        text = self.text
        text.justify = "left"
        if self.tag in ("h1", "h2"):
            text.stylize("bold underline" if self.tag == "h1" else "bold")
        yield text


class ChatMarkdown(Markdown):
    """Rich's Markdown with left headings and one shared parser.

    Rich builds a new MarkdownIt parser for every document (a quarter of the cost
    of a short message); one configured the same way serves them all.
    """

    elements = {**Markdown.elements, "heading_open": _LeftHeading}

    def __init__(self, markup: str, code_theme: str = "monokai", hyperlinks: bool = True):
        self.markup = markup
        self.parsed = _markdown_parser().parse(markup)
        self.code_theme = code_theme
        self.justify = None
        self.style = "none"
        self.hyperlinks = hyperlinks
        self.inline_code_lexer = None
        self.inline_code_theme = code_theme


@lru_cache(maxsize=1)
def _markdown_parser() -> MarkdownIt:
    return MarkdownIt().enable("strikethrough").enable("table")


def markdown(text: str, palette: Palette) -> RenderableType:
    source = visible(text)
    if len(source) > HUGE_TEXT:
        return Text(source, style=palette.text)
    return ChatMarkdown(source, code_theme=palette.code_theme, hyperlinks=True)


def code(text: str, language: str, palette: Palette) -> RenderableType:
    source = visible(text)
    if len(source) > HUGE_TEXT:
        language = "text"
    return Code(source, language, palette.code_theme, palette.code_background)


def header(label: Text, palette: Palette, *buttons: str) -> Text:
    """A code block's title bar with clickable buttons on the right."""
    line = Text(" ", style=palette.header)
    line.append_text(label)
    line.append(" ")
    for button in buttons:
        line.append(" ")
        line.append(f"[{button}]", style=palette.button + Style.from_meta({"button": button}))
    line.pad_right(1)
    return line


def collapse(text: str, expanded: bool, tail: int = 0) -> tuple[str, int, str]:
    """What to show of a long text: its head, how many lines are hidden, its tail.

    Outputs keep a tail because that is where a test summary or an error is.
    """
    if expanded:
        return text, 0, ""
    lines = text.split("\n")
    if len(lines) <= COLLAPSED_LINES + 2:
        return text, 0, ""
    head = COLLAPSED_LINES - tail
    hidden = len(lines) - COLLAPSED_LINES
    return "\n".join(lines[:head]), hidden, "\n".join(lines[len(lines) - tail :]) if tail else ""


def collapsed_parts(
    text: str,
    expanded: bool,
    style: Style,
    palette: Palette,
    item: Item | None = None,
    *,
    tail: int = 0,
    indent: int = 2,
) -> list[Part]:
    """A long text as parts: head, the expand/collapse line, tail."""
    head, hidden, rest = collapse(text, expanded, tail)
    parts = []
    if head.strip() or not hidden:
        parts.append(Part(Padding(Text(visible(head), style=style), (0, 0, 0, indent)), item))
    if hidden or (expanded and text.count("\n") > COLLAPSED_LINES + 2):
        parts.append(more_line(hidden, palette))
    if rest:
        parts.append(Part(Padding(Text(visible(rest), style=style), (0, 0, 0, indent)), item))
    return parts


def more_line(hidden: int, palette: Palette) -> Part:
    label = f"  ▸ {hidden} more lines — enter or click to expand" if hidden else "  ▾ collapse"
    return Part(Text(label, style=palette.muted), toggle=True)


def note(symbol: str, text: str, style: Style, palette: Palette) -> Text:
    line = Text(f"{symbol} ", style=style)
    line.append(visible(text), style=palette.muted)
    return line


def exit_line(output: ev.CommandOutput, palette: Palette) -> Text:
    if output.exit_code is None:
        return Text("  done", style=palette.faint)
    if output.failed:
        return Text(f"  ✗ exit {output.exit_code}", style=palette.error + Style(bold=True))
    return Text(f"  ✓ exit {output.exit_code}", style=palette.success)

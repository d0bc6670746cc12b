"""What the conversation shows: one `Block` per event (an action and the
observation answering it share one), drawn as Rich renderables.

A block is a list of `Part`s; a part may carry an `Item` — something a person
can select, copy, save or put into the prompt (a code block, a command, an
output, a diff). Nothing here is a widget: `ConversationView` renders parts to
lines once and scrolls them, which is what keeps 2,000-event turns smooth.

All server text passes through `visible()` and is wrapped in `Text` or fed to
Markdown/Syntax, never parsed as Textual or Rich markup.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from markdown_it import MarkdownIt
from rich.console import RenderableType
from rich.markdown import Heading, Markdown
from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from robotui.client import events as ev
from robotui.eventtext import outputs_text, strip_echo, unified_diff
from robotui.languages import extension_for, language_for_path
from robotui.textsafe import visible
from robotui.tui.highlight import Code
from robotui.tui.markdown_split import Fence, Prose, split_markdown
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


class Block:
    """One thing in the conversation. Subclasses build `parts()`."""

    collapsible: ClassVar[bool] = False
    quiet: ClassVar[bool] = False  # a one-line note: no blank line after it

    def __init__(self) -> None:
        self.expanded = False
        self.settled = False  # the turn ended: nothing more will arrive for it
        self.version = 0  # bumped whenever what it shows changes

    def parts(self, palette: Palette) -> list[Part]:
        raise NotImplementedError

    def absorb(self, event: ev.Event) -> bool:
        """Take in `event` (an observation of this block's action); True if taken."""
        return False

    @property
    def awaiting_result(self) -> bool:
        """Still shows "running…": its action's observation has not arrived."""
        return False

    def changed(self) -> None:
        self.version += 1

    @property
    def items(self) -> list[Item]:
        return []


# ------------------------------------------------------------- rendering helpers


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


# ------------------------------------------------------------------- blocks


class PromptBlock(Block):
    """What the person sent."""

    def __init__(self, prompt: str, agent: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.agent = agent

    def parts(self, palette: Palette) -> list[Part]:
        title = Text("You", style=palette.primary)
        if self.agent:
            title.append(f"  → {self.agent}", style=palette.faint)
        body = Text(visible(self.prompt), style=palette.user_text)
        return [Part(title), Part(Padding(body, (0, 0, 0, 2)))]


class MessageBlock(Block):
    """An agent's message: markdown prose with code blocks as selectable items."""

    def __init__(self, event: ev.AgentMessage) -> None:
        super().__init__()
        self.event = event
        self._pieces: list[Prose | Fence] | None = None
        self._items: list[Item] = []
        text = event.content or event.message
        # A huge message starts collapsed to a plain preview: parsing and laying out
        # a megabyte of markdown would stall the screen for seconds.
        self.huge = len(text) > HUGE_MESSAGE or text.count("\n") > HUGE_MESSAGE_LINES

    @property
    def collapsible(self) -> bool:  # type: ignore[override]
        return self.huge

    def _split(self) -> list[Prose | Fence]:
        # Parsed on first use: a reopened conversation only pays for what is shown.
        if self._pieces is None:
            self._pieces = split_markdown(self.event.content or self.event.message)
            self._items = [
                Item("code", piece.code, piece.language)
                for piece in self._pieces
                if isinstance(piece, Fence)
            ]
        return self._pieces

    @property
    def items(self) -> list[Item]:
        if self.huge and not self.expanded:
            return []
        self._split()
        return self._items

    def parts(self, palette: Palette) -> list[Part]:
        if self.huge and not self.expanded:
            text = self.event.content or self.event.message
            lines = text.split("\n", PREVIEW_LINES)
            preview = "\n".join(lines[:PREVIEW_LINES])
            hidden = text.count("\n") + 1 - PREVIEW_LINES
            size = f"{len(text.encode()) / 1024:,.0f} KB"
            label = Text(
                f"  ▸ {hidden:,} more lines ({size}) — enter or click to expand",
                style=palette.muted,
            )
            return [Part(Text(visible(preview), style=palette.text)), Part(label, toggle=True)]
        parts: list[Part] = []
        pieces = self._split()
        items = iter(self._items)
        for piece in pieces:
            if isinstance(piece, Fence):
                item = next(items)
                label = Text(piece.language or "code", style=palette.muted)
                parts.append(Part(header(label, palette, "copy", "save", "insert"), item))
                parts.append(Part(code(piece.code, piece.language, palette), item))
            else:
                parts.append(Part(markdown(piece.text, palette)))
        if self.event.wait_for_response:
            parts.append(Part(note("…", "waiting for your reply", palette.warning, palette)))
        return parts or [Part(Text(""))]


class CommandBlock(Block):
    """A shell command and, when it arrives, its output and exit code."""

    collapsible = True

    def __init__(self, action: ev.CommandRun | None, output: ev.CommandOutput | None = None):
        super().__init__()
        self.action = action
        self.output = output
        command = action.command if action else (output.command if output else "")
        self.command_item = Item("command", command, "bash", "command.sh")

    @property
    def command(self) -> str:
        return self.command_item.text

    @property
    def awaiting_result(self) -> bool:
        return self.output is None and not self.settled

    def absorb(self, event: ev.Event) -> bool:
        if isinstance(event, ev.CommandOutput) and self.output is None:
            self.output = event
            self.changed()
            return True
        return False

    @property
    def items(self) -> list[Item]:
        items = [self.command_item]
        if self.output is not None and self.output.content:
            items.append(
                Item("output", strip_echo(self.output.content, self.command), "text", "output.txt")
            )
        return items

    def parts(self, palette: Palette) -> list[Part]:
        parts: list[Part] = []
        if self.action is not None and self.action.thought:
            parts.append(Part(Text(visible(self.action.thought), style=palette.muted)))
        prompt = Text("$ ", style=palette.accent)
        prompt.append(visible(self.command), style=palette.text + Style(bold=True))
        parts.append(Part(prompt, self.command_item))
        if self.output is None:
            if self.action and self.action.confirmation_state == "awaiting_confirmation":
                waiting = "awaiting confirmation"
            else:
                waiting = "no output" if self.settled else "running…"
            parts.append(Part(Text(f"  {waiting}", style=palette.faint)))
            return parts
        output = strip_echo(self.output.content, self.command)
        if output.strip():
            parts += collapsed_parts(
                output, self.expanded, palette.muted, palette, self.items[-1], tail=8
            )
        parts.append(Part(_exit_line(self.output, palette)))
        return parts


class IPythonBlock(Block):
    """A Jupyter cell and its output."""

    collapsible = True

    def __init__(self, action: ev.IPythonRun | None, output: ev.IPythonOutput | None = None):
        super().__init__()
        self.action = action
        self.output = output
        self.code_item = Item("code", action.code if action else "", "python", "cell.py")

    @property
    def awaiting_result(self) -> bool:
        return self.output is None and not self.settled

    def absorb(self, event: ev.Event) -> bool:
        if isinstance(event, ev.IPythonOutput) and self.output is None:
            self.output = event
            self.changed()
            return True
        return False

    @property
    def items(self) -> list[Item]:
        return [self.code_item] if self.code_item.text else []

    def parts(self, palette: Palette) -> list[Part]:
        parts: list[Part] = []
        if self.action is not None:
            if self.action.thought:
                parts.append(Part(Text(visible(self.action.thought), style=palette.muted)))
            label = Text("IPython", style=palette.muted)
            parts.append(Part(header(label, palette, "copy", "save", "insert"), self.code_item))
            parts.append(Part(code(self.action.code, "python", palette), self.code_item))
        if self.output is None:
            waiting = "no output" if self.settled else "running…"
            parts.append(Part(Text(f"  {waiting}", style=palette.faint)))
            return parts
        parts += collapsed_parts(self.output.content, self.expanded, palette.muted, palette, tail=8)
        return parts


class FileReadBlock(Block):
    """A file read: one line, the content collapsed until expanded."""

    collapsible = True

    def __init__(self, action: ev.FileRead | None, result: ev.FileReadResult | None = None):
        super().__init__()
        self.action = action
        self.result = result

    @property
    def path(self) -> str:
        return self.action.path if self.action else (self.result.path if self.result else "")

    def absorb(self, event: ev.Event) -> bool:
        if isinstance(event, ev.FileReadResult) and self.result is None:
            self.result = event
            self.changed()
            return True
        return False

    @property
    def items(self) -> list[Item]:
        if self.result is None:
            return []
        name = self.path.rsplit("/", 1)[-1]
        return [Item("file", self.result.content, language_for_path(self.path), name)]

    def parts(self, palette: Palette) -> list[Part]:
        count = len(self.result.content.splitlines()) if self.result else 0
        line = Text("▸ " if not self.expanded else "▾ ", style=palette.muted)
        line.append("read ", style=palette.muted)
        line.append(visible(self.path), style=palette.text)
        if self.result is not None:
            line.append(f"  ({count} line{'s' if count != 1 else ''})", style=palette.faint)
        parts = [Part(line, toggle=True)]
        if self.expanded and self.result is not None:
            item = self.items[0]
            parts.append(Part(code(self.result.content, item.language, palette), item))
        return parts


class FileChangeBlock(Block):
    """A write or an edit, shown as a highlighted unified diff."""

    collapsible = True

    def __init__(
        self,
        action: ev.FileWrite | ev.FileEdit | None,
        result: ev.FileWriteResult | ev.FileEditResult | None = None,
    ) -> None:
        super().__init__()
        self.action = action
        self.result = result

    @property
    def path(self) -> str:
        if self.action is not None:
            return self.action.path
        return self.result.path if self.result is not None else ""

    def absorb(self, event: ev.Event) -> bool:
        if isinstance(event, (ev.FileWriteResult, ev.FileEditResult)) and self.result is None:
            self.result = event
            self.changed()
            return True
        return False

    def diff(self) -> str:
        result = self.result
        if isinstance(result, ev.FileEditResult):
            if result.diff:
                return result.diff
            if result.new_content is not None:
                return unified_diff(self.path, result.old_content or "", result.new_content)
        if isinstance(self.action, ev.FileWrite):
            return unified_diff(self.path, None, self.action.content)
        return ""

    @property
    def items(self) -> list[Item]:
        diff = self.diff()
        return [Item("diff", diff, "diff", self.path.rsplit("/", 1)[-1] + ".diff")] if diff else []

    def parts(self, palette: Palette) -> list[Part]:
        verb = (
            "wrote"
            if isinstance(self.action, ev.FileWrite) or isinstance(self.result, ev.FileWriteResult)
            else "edited"
        )
        if self.result is None:
            verb = "writing" if verb == "wrote" else "editing"
        label = Text(f"{verb} ", style=palette.muted)
        label.append(visible(self.path), style=palette.text)
        parts: list[Part] = []
        thought = getattr(self.action, "thought", "")
        if thought:
            parts.append(Part(Text(visible(thought), style=palette.muted)))
        items = self.items
        if not items:
            parts.append(Part(label))
            return parts
        item = items[0]
        parts.append(Part(header(label, palette, "copy", "save"), item))
        text, hidden, _ = collapse(item.text, self.expanded)
        parts.append(Part(code(text, "diff", palette), item))
        if hidden or (self.expanded and item.text.count("\n") > COLLAPSED_LINES + 2):
            parts.append(more_line(hidden, palette))
        return parts


class BrowseBlock(Block):
    """A page visited (or a browser action) and the page's text, collapsed."""

    collapsible = True

    def __init__(
        self, action: ev.Browse | ev.BrowseInteractive | None, result: ev.BrowseResult | None = None
    ) -> None:
        super().__init__()
        self.action = action
        self.result = result

    def absorb(self, event: ev.Event) -> bool:
        if isinstance(event, ev.BrowseResult) and self.result is None:
            self.result = event
            self.changed()
            return True
        return False

    def parts(self, palette: Palette) -> list[Part]:
        if isinstance(self.action, ev.BrowseInteractive):
            what = f"browser: {self.action.browser_actions}"
        elif isinstance(self.action, ev.Browse):
            what = f"browse {self.action.url}"
        else:
            what = f"visited {self.result.url if self.result else ''}"
        line = Text("▾ " if self.expanded else "▸ ", style=palette.muted)
        line.append(visible(what), style=palette.text)
        if self.result is not None and self.result.has_screenshot:
            line.append("  (screenshot not shown)", style=palette.faint)
        parts = [Part(line, toggle=self.result is not None)]
        if self.expanded and self.result is not None:
            parts.append(
                Part(Padding(Text(visible(self.result.content), style=palette.muted), (0, 0, 0, 2)))
            )
        return parts


class NoteBlock(Block):
    """A one-line note: state changes, tasks, thoughts, notices."""

    quiet = True

    def __init__(self, symbol: str, text: str, tone: str = "muted") -> None:
        super().__init__()
        self.symbol = symbol
        self.text = text
        self.tone = tone

    def parts(self, palette: Palette) -> list[Part]:
        return [Part(note(self.symbol, self.text, getattr(palette, self.tone), palette))]


class StateBlock(NoteBlock):
    """Consecutive agent state changes on one quiet line: loading → init → running."""

    def __init__(self, state: str) -> None:
        super().__init__("·", "", "faint")
        self.states = [state]

    def absorb(self, event: ev.Event) -> bool:
        if isinstance(event, ev.AgentStateChanged):
            if event.agent_state != self.states[-1]:
                self.states.append(event.agent_state)
                self.changed()
            return True
        return False

    def parts(self, palette: Palette) -> list[Part]:
        tone = palette.error if self.states[-1] in ("error", "rate_limited") else palette.faint
        return [Part(note("·", "agent " + " → ".join(self.states), tone, palette))]


class CalloutBlock(Block):
    """A result, a delegation, an error: a symbol, a title, markdown details."""

    def __init__(self, symbol: str, title: str, body: str = "", tone: str = "text") -> None:
        super().__init__()
        self.symbol = symbol
        self.title = title
        self.body = body
        self.tone = tone

    def parts(self, palette: Palette) -> list[Part]:
        style = getattr(palette, self.tone)
        title = Text(f"{self.symbol} ", style=style + Style(bold=True))
        title.append(visible(self.title), style=style + Style(bold=True))
        parts = [Part(title)]
        if self.body.strip():
            parts.append(Part(Padding(markdown(self.body, palette), (0, 0, 0, 2))))
        return parts


class UnknownBlock(Block):
    """Anything new: its name, its message, and its JSON on demand."""

    collapsible = True

    def __init__(self, event: ev.UnknownEvent) -> None:
        super().__init__()
        self.event = event

    def parts(self, palette: Palette) -> list[Part]:
        label = f"{self.event.category} {self.event.name}".strip() or "event"
        line = Text("▾ " if self.expanded else "▸ ", style=palette.muted)
        line.append(f"[{visible(label)}] ", style=palette.faint)
        line.append(visible(self.event.message), style=palette.muted)
        parts = [Part(line, toggle=True)]
        if self.expanded:
            raw = json.dumps(dict(self.event.raw), indent=2, ensure_ascii=False)
            parts.append(Part(code(raw, "json", palette), Item("code", raw, "json", "event.json")))
        return parts


class TurnEndBlock(NoteBlock):
    """How a turn ended when it did not simply complete."""


# ---------------------------------------------------------------- the mapping


def block_for(event: ev.Event) -> Block | None:
    """The new block for an event, or None when it shows nothing of its own."""
    match event:
        case ev.AgentMessage(from_user=True) | ev.NullEvent() | ev.AgentStateChange():
            return None
        case ev.AgentMessage():
            return MessageBlock(event)
        case ev.CommandRun():
            return CommandBlock(event)
        case ev.CommandOutput():
            return CommandBlock(None, event)
        case ev.IPythonRun():
            return IPythonBlock(event)
        case ev.IPythonOutput():
            return IPythonBlock(None, event)
        case ev.FileRead():
            return FileReadBlock(event)
        case ev.FileReadResult():
            return FileReadBlock(None, event)
        case ev.FileWrite() | ev.FileEdit():
            return FileChangeBlock(event)
        case ev.FileWriteResult() | ev.FileEditResult():
            return FileChangeBlock(None, event)
        case ev.Browse() | ev.BrowseInteractive():
            return BrowseBlock(event)
        case ev.BrowseResult():
            return BrowseBlock(None, event)
        case ev.Delegation():
            task = event.inputs.get("task", "") if event.inputs else ""
            return CalloutBlock("⇢", f"delegated to {event.agent}", str(task), "primary")
        case ev.DelegateResult():
            body = event.content or outputs_text(event.outputs)
            return CalloutBlock("⇠", "delegate finished", body, "primary")
        case ev.Finish():
            body = event.thought or outputs_text(event.outputs) or event.message
            return CalloutBlock("✓", "finished", body, "success")
        case ev.Reject():
            return CalloutBlock("✗", "rejected", event.reason or event.message, "error")
        case ev.AgentStateChanged():
            return StateBlock(event.agent_state)
        case ev.TaskAdd():
            return NoteBlock("+", f"task: {event.goal}")
        case ev.TaskModify():
            return NoteBlock("•", f"task {event.task_id}: {event.state}")
        case ev.Think():
            return NoteBlock("…", event.thought) if event.thought else None
        case ev.Summarize():
            return CalloutBlock("≡", "summary", event.summary or event.message, "muted")
        case ev.ErrorObservation():
            return CalloutBlock("⚠", "error", event.content or event.message, "error")
        case ev.ErrorFrame():
            return CalloutBlock("⚠", "server error", event.message, "error")
        case ev.Success():
            return NoteBlock("✓", event.content or event.message, "success")
        case ev.UserRejected():
            return NoteBlock("✗", event.content or event.message, "warning")
        case ev.StatusUpdate():
            return NoteBlock("i", event.message, "error" if event.level == "error" else "muted")
        case ev.AutoContinued():
            return NoteBlock("↻", event.message, "accent")
        case ev.SessionRenewed():
            return NoteBlock("⚠", event.message, "warning")
        case ev.UnknownEvent():
            return UnknownBlock(event)
    text = event.text
    return NoteBlock("·", text) if text else None


# -------------------------------------------------------------------- helpers


def _exit_line(output: ev.CommandOutput, palette: Palette) -> Text:
    if output.exit_code is None:
        return Text("  done", style=palette.faint)
    if output.failed:
        return Text(f"  ✗ exit {output.exit_code}", style=palette.error + Style(bold=True))
    return Text(f"  ✓ exit {output.exit_code}", style=palette.success)


class BlockBuilder:
    """Turns a stream of prompts and events into blocks, pairing each observation
    with the block of the action it answers and folding runs of state changes."""

    def __init__(self, blocks: list[Block] | None = None) -> None:
        self.blocks: list[Block] = blocks if blocks is not None else []
        self._actions: dict[int, int] = {}  # action event id -> block index

    def prompt(self, prompt: str, agent: str = "") -> int:
        """A new turn starts; returns the index of its prompt block."""
        self._actions.clear()
        self.blocks.append(PromptBlock(prompt, agent))
        return len(self.blocks) - 1

    def event(self, event: ev.Event) -> tuple[int, bool] | None:
        """Returns (index, is_new) of the block showing `event`, or None."""
        if event.cause is not None and event.cause in self._actions:
            index = self._actions[event.cause]
            if self.blocks[index].absorb(event):
                return index, False
        last = self.blocks[-1] if self.blocks else None
        if isinstance(last, StateBlock) and last.absorb(event):
            return len(self.blocks) - 1, False
        block = block_for(event)
        if block is None:
            return None
        self.blocks.append(block)
        index = len(self.blocks) - 1
        if event.id is not None and "action" in event.raw:
            self._actions[event.id] = index
        return index, True

    def end_turn(self, status: str, detail: str = "") -> list[int]:
        """The turn ended: settle blocks still waiting for output; returns the indexes
        of blocks that changed or were added."""
        changed = []
        for index in sorted(set(self._actions.values())):
            block = self.blocks[index]
            if block.awaiting_result:
                block.settled = True
                block.changed()
                changed.append(index)
        self._actions.clear()
        notes = {
            "cancelled": ("■", "cancelled — what arrived is kept", "warning"),
            "interrupted": ("■", "interrupted — robotui stopped during this turn", "warning"),
            "error": ("✗", f"failed: {detail}" if detail else "failed", "error"),
        }
        if status in notes:
            self.blocks.append(TurnEndBlock(*notes[status]))
            changed.append(len(self.blocks) - 1)
        return changed

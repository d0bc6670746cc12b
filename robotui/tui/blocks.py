"""What the conversation shows: one `Block` per event (an action and the
observation answering it share one), drawn from the parts in `parts.py`.

A block is a list of `Part`s; a part may carry an `Item` — something a person
can select, copy, save or put into the prompt (a code block, a command, an
output, a diff). Nothing here is a widget: `ConversationView` renders parts to
lines once and scrolls them, which is what keeps 2,000-event turns smooth.

All server text passes through `visible()` and is wrapped in `Text` or fed to
Markdown/Syntax, never parsed as Textual or Rich markup.
"""

from __future__ import annotations

import json
from typing import ClassVar

from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from robotui.client import events as ev
from robotui.eventtext import strip_echo, unified_diff
from robotui.languages import language_for_path
from robotui.textsafe import visible
from robotui.tui.markdown_split import Fence, Prose, split_markdown
from robotui.tui.palette import Palette
from robotui.tui.parts import (
    COLLAPSED_LINES,
    HUGE_MESSAGE,
    HUGE_MESSAGE_LINES,
    PREVIEW_LINES,
    Item,
    Part,
    code,
    collapse,
    collapsed_parts,
    exit_line,
    header,
    markdown,
    more_line,
    note,
)


class Block:
    """One thing in the conversation. Subclasses build `parts()`."""

    collapsible: ClassVar[bool] = False
    quiet: ClassVar[bool] = False  # a one-line note: no blank line after it

    def __init__(self) -> None:
        self.expanded = False
        self.settled = False  # the turn ended: nothing more will arrive for it
        self.stopped = False  # ... because it was cancelled, failed or interrupted
        self.version = 0  # bumped whenever what it shows changes
        self._items: list[Item] = []
        self._items_made_for: tuple[int, bool] | None = None

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
        """The selectable things it shows: made once per change, then kept (a
        command's output or a write's diff can be large, and rendering, selecting
        and clicking all ask for them)."""
        made_for = (self.version, self.expanded)
        if self._items_made_for != made_for:
            self._items = self.make_items()
            self._items_made_for = made_for
        return self._items

    def make_items(self) -> list[Item]:
        return []


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
        self._fences: list[Item] = []
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
            self._fences = [
                Item("code", piece.code, piece.language)
                for piece in self._pieces
                if isinstance(piece, Fence)
            ]
        return self._pieces

    def make_items(self) -> list[Item]:
        if self.huge and not self.expanded:
            return []
        self._split()
        return self._fences

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
        items = iter(self._fences)
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


class PairedBlock(Block):
    """An action and, once it arrives, the observation that answers it."""

    collapsible = True
    answered_by: ClassVar[tuple[type[ev.Event], ...]] = ()

    def __init__(self, action: ev.Event | None, result: ev.Event | None = None) -> None:
        super().__init__()
        self.action = action
        self.result = result

    def absorb(self, event: ev.Event) -> bool:
        if isinstance(event, self.answered_by) and self.result is None:
            self.result = event
            self.changed()
            return True
        return False

    @property
    def awaiting_result(self) -> bool:
        return self.result is None and not self.settled

    @property
    def waiting_label(self) -> str:
        """What stands where the result will be."""
        if not self.settled:
            return "running…"
        return "stopped before its output" if self.stopped else "no output"


class CommandBlock(PairedBlock):
    """A shell command and, when it arrives, its output and exit code."""

    answered_by = (ev.CommandOutput,)
    action: ev.CommandRun | None
    result: ev.CommandOutput | None

    def __init__(self, action: ev.CommandRun | None, output: ev.CommandOutput | None = None):
        super().__init__(action, output)
        command = action.command if action else (output.command if output else "")
        self.command_item = Item("command", command, "bash", "command.sh")

    @property
    def command(self) -> str:
        return self.command_item.text

    @property
    def output(self) -> ev.CommandOutput | None:
        return self.result

    def make_items(self) -> list[Item]:
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
                waiting = self.waiting_label
            parts.append(Part(Text(f"  {waiting}", style=palette.faint)))
            return parts
        output = strip_echo(self.output.content, self.command)
        if output.strip():
            parts += collapsed_parts(
                output, self.expanded, palette.muted, palette, self.items[-1], tail=8
            )
        parts.append(Part(exit_line(self.output, palette)))
        return parts


class IPythonBlock(PairedBlock):
    """A Jupyter cell and its output."""

    answered_by = (ev.IPythonOutput,)
    action: ev.IPythonRun | None
    result: ev.IPythonOutput | None

    def __init__(self, action: ev.IPythonRun | None, output: ev.IPythonOutput | None = None):
        super().__init__(action, output)
        self.code_item = Item("code", action.code if action else "", "python", "cell.py")

    @property
    def output(self) -> ev.IPythonOutput | None:
        return self.result

    def make_items(self) -> list[Item]:
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
            waiting = self.waiting_label
            parts.append(Part(Text(f"  {waiting}", style=palette.faint)))
            return parts
        parts += collapsed_parts(self.output.content, self.expanded, palette.muted, palette, tail=8)
        return parts


class FileReadBlock(PairedBlock):
    """A file read: one line, the content collapsed until expanded."""

    answered_by = (ev.FileReadResult,)
    action: ev.FileRead | None
    result: ev.FileReadResult | None

    @property
    def path(self) -> str:
        return self.action.path if self.action else (self.result.path if self.result else "")

    def make_items(self) -> list[Item]:
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


class FileChangeBlock(PairedBlock):
    """A write or an edit, shown as a highlighted unified diff."""

    answered_by = (ev.FileWriteResult, ev.FileEditResult)
    action: ev.FileWrite | ev.FileEdit | None
    result: ev.FileWriteResult | ev.FileEditResult | None

    @property
    def path(self) -> str:
        if self.action is not None:
            return self.action.path
        return self.result.path if self.result is not None else ""

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

    def make_items(self) -> list[Item]:
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


class BrowseBlock(PairedBlock):
    """A page visited (or a browser action) and the page's text, collapsed."""

    answered_by = (ev.BrowseResult,)
    action: ev.Browse | ev.BrowseInteractive | None
    result: ev.BrowseResult | None

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

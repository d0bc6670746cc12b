"""The export dialog: Markdown or JSON, to a file the user names; never overwrites silently.

Enter exports. When the file exists the dialog says so and the next Enter (for
the same path) replaces it. The export is built and written in a thread, with
`transfer.write_export` (atomic, and only ever the named file).
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from robotui.store import ConversationNotFound, HistoryStore, StoreError
from robotui.textsafe import visible
from robotui.tui.screens import gone

Format = Literal["markdown", "json"]
EXTENSIONS: dict[Format, str] = {"markdown": ".md", "json": ".json"}
SLUG_LIMIT = 60


def slug(title: str, fallback: str = "conversation") -> str:
    """A file name stem from a title: lower case ASCII words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())
    stem = ""
    for word in words:
        candidate = f"{stem}-{word}" if stem else word
        if len(candidate) > SLUG_LIMIT:
            break
        stem = candidate
    return stem or (words[0][:SLUG_LIMIT] if words else fallback)


def shown_path(path: Path) -> str:
    """`path` as a person types it: under the home directory as `~/…`."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class _Outcome:
    kind: Literal["written", "exists", "error"]
    path: Path
    message: str = ""


def _export(
    store: HistoryStore, conversation_id: int, format: Format, path: Path, force: bool
) -> _Outcome:
    """In a thread: build the export and write it, or say why not."""
    from robotui.store import transfer

    try:
        if not force and not path.is_dir() and (path.exists() or path.is_symlink()):
            return _Outcome("exists", path)
        if format == "markdown":
            text = store.export_markdown(conversation_id)
        else:
            text = transfer.dumps(store.export_document(conversation_id))
        transfer.write_export(path, text, force=force)
    except ConversationNotFound:
        return _Outcome("error", path, "This conversation no longer exists.")
    except StoreError as error:
        if not force and path.exists() and not path.is_dir():
            return _Outcome("exists", path)  # created a moment ago, by someone else
        return _Outcome("error", path, str(error))
    except OSError as error:
        return _Outcome("error", path, f"cannot write {path}: {error.strerror or error}")
    return _Outcome("written", path)


class FormatChoice(RadioSet, inherit_bindings=False):
    """Markdown or JSON. Arrow keys choose at once (a RadioSet only moves a highlight),
    and Enter is left to the dialog, which exports."""

    BINDINGS = [
        Binding("left,up", "step(-1)", "Previous format", show=False),
        Binding("right,down", "step(1)", "Next format", show=False),
    ]

    def action_step(self, step: int) -> None:
        buttons = list(self.query(RadioButton))
        index = self.pressed_index if self.pressed_index >= 0 else 0
        buttons[(index + step) % len(buttons)].value = True


class ExportScreen(ModalScreen[Path | None]):
    """Returns the path written, or None when cancelled."""

    CSS_PATH = "export.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="export.cancel"),
        Binding("enter", "export", "Export", id="export.export"),
        Binding("m", "format('markdown')", "Markdown", id="export.markdown"),
        Binding("j", "format('json')", "JSON", id="export.json"),
    ]

    def __init__(
        self,
        store: HistoryStore,
        conversation_id: int,
        title: str,
        directory: Path | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.conversation_id = conversation_id
        self.conversation_title = title
        self.directory = (directory or Path.cwd()).expanduser()
        self.format: Format = "markdown"
        self._stem = slug(title, f"conversation-{conversation_id}")
        self._suggested = self._suggestion()
        self._overwrite: Path | None = None
        self._busy = False

    def _suggestion(self) -> str:
        return shown_path(self.directory / (self._stem + EXTENSIONS[self.format]))

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Label("Export conversation", id="export-heading")
            yield Static(
                Text(" ".join(visible(self.conversation_title).split()), no_wrap=True),
                id="export-title",
            )
            with Horizontal(classes="export-row"):
                yield Label("Format", classes="export-label")
                with FormatChoice(id="export-format"):
                    yield RadioButton("Markdown", value=True, id="export-markdown")
                    yield RadioButton("JSON", id="export-json")
            with Horizontal(classes="export-row"):
                yield Label("File", classes="export-label")
                yield Input(self._suggested, id="export-path", select_on_focus=False, compact=True)
            yield Static("", id="export-message")
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-go", variant="primary", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)
            yield Label(
                "m/j or ←→ format · tab edit the file name · enter export · esc cancel",
                id="export-help",
            )

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False
        self.query_one(FormatChoice).focus()

    # --------------------------------------------------------------- format

    def action_format(self, format: Format) -> None:
        self.query_one(f"#export-{format}", RadioButton).value = True

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        previous = self.format
        self.format = "json" if event.index == 1 else "markdown"
        if self.format == previous:
            return
        path_input = self.query_one("#export-path", Input)
        value = path_input.value
        old, new = EXTENSIONS[previous], EXTENSIONS[self.format]
        if value == self._suggested:
            value = self._suggestion()
        elif value.endswith(old):
            # The user's own name keeps its stem; only the extension follows the format.
            value = value.removesuffix(old) + new
        self._suggested = self._suggestion()
        path_input.value = value
        path_input.cursor_position = len(value)

    # --------------------------------------------------------------- export

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        if self._overwrite is not None:
            self._overwrite = None
            self._say("")
            self.query_one("#export-go", Button).label = "Export"

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def action_export(self) -> None:
        if self._busy:
            return
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self._say("Name the file to write.", "error")
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.directory / path
        self._busy = True
        self._run_export(path, force=path == self._overwrite)

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, group="export")
    async def _run_export(self, path: Path, force: bool) -> None:
        try:
            outcome = await asyncio.to_thread(
                _export, self.store, self.conversation_id, self.format, path, force
            )
        finally:
            self._busy = False
        if gone(self):
            return
        if outcome.kind == "written":
            self.dismiss(outcome.path)
        elif outcome.kind == "exists":
            self._overwrite = path
            self.query_one("#export-go", Button).label = "Overwrite"
            self._say(f"{shown_path(path)} already exists. Enter again replaces it.", "warning")
        else:
            self._say(outcome.message, "error")

    def _say(self, message: str, kind: str = "") -> None:
        label = self.query_one("#export-message", Static)
        label.update(Text(" ".join(visible(message).split())))
        label.set_class(kind == "error", "-error")
        label.set_class(kind == "warning", "-warning")

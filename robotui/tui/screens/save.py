"""Saving a code block to a file: a path prompt with a name suggested from the
language, and no silent overwrite."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from robotui.textsafe import visible


class SaveScreen(ModalScreen[Path | None]):
    """Asks where to save `text`; writes it (0600, atomically); returns the path."""

    CSS_PATH = "dialog.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="save.cancel")]

    def __init__(self, text: str, suggested_name: str, directory: Path | None = None) -> None:
        super().__init__()
        self.text = text
        self.directory = directory
        # A relative name is relative to `directory` (default: the current directory).
        self.suggested = suggested_name
        self._confirm_overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        lines = self.text.count("\n") + 1
        with Vertical(classes="dialog"):
            plural = "s" if lines != 1 else ""
            yield Label(f"Save {lines} line{plural} to a file", classes="dialog-title")
            where = "the current directory" if self.directory is None else str(self.directory)
            yield Static(
                Text(f"A name alone saves in {where}; ~ and absolute paths work."), classes="hint"
            )
            yield Input(self.suggested, id="path", classes="dialog-input", compact=True)
            yield Label("", id="message", classes="dialog-message")
            yield Label("enter save · esc cancel", classes="dialog-help")

    def on_mount(self) -> None:
        path_input = self.query_one("#path", Input)
        path_input.focus()
        # Select the file name (without extension) so typing replaces just the name.
        name_start = len(self.suggested) - len(Path(self.suggested).name)
        path_input.selection = (name_start, name_start + len(Path(self.suggested).stem))

    @on(Input.Changed, "#path")
    def _changed(self) -> None:
        self._confirm_overwrite = None
        self._say("")

    @on(Input.Submitted, "#path")
    async def _submitted(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        if not raw:
            self._say("Give a file name.", error=True)
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = (self.directory or Path.cwd()) / path
        force = self._confirm_overwrite == path
        if path.exists() and not path.is_dir() and not force:
            self._confirm_overwrite = path
            self._say(f"{visible(str(path))} exists — enter again replaces it.", error=True)
            return
        from robotui.store.models import StoreError
        from robotui.store.transfer import write_export

        try:
            await asyncio.to_thread(write_export, path, self.text, force=force)
        except StoreError as error:
            self._say(str(error).replace("; use --force to replace it", ""), error=True)
            return
        self.dismiss(path)

    def _say(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#message", Label)
        label.update(Text(message))
        label.set_class(error, "-error")

"""The prompt: a multi-line text area where Enter sends and the history is at hand."""

from __future__ import annotations

import re

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

_BLANK_LINES_FIRST = re.compile(r"\A(?:[ \t]*\n)+")


class PromptArea(TextArea):
    """Enter sends; shift+enter and ctrl+j insert a newline; up on the first line
    and down on the last walk through earlier prompts.

    The bindings are not priority bindings: Textual runs those as a key arrives,
    ahead of the keys before it still queued for the widget, so a burst of typing
    (fast hands, a paste without bracketed paste, keys typed while the app is busy)
    ending in enter sent a prompt cut short. `_on_key` runs them in order instead.
    """

    BINDINGS = [
        Binding("enter", "submit", "Send", show=True, id="prompt.send"),
        Binding("shift+enter,ctrl+j", "newline", "New line", show=False, id="prompt.newline"),
    ]
    _OWN_ACTIONS = frozenset({"submit", "newline"})

    class Submitted(Message):
        def __init__(self, prompt: PromptArea, text: str) -> None:
            super().__init__()
            self.prompt = prompt
            self.text = text

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(
            id=id,
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            placeholder=placeholder,
            compact=True,
            highlight_cursor_line=False,
        )
        self.prompt_history: list[str] = []
        self._history_index: int | None = None  # None: editing a new prompt
        self._draft = ""

    def action_submit(self) -> None:
        """Send: the prompt empties at once, so keys typed after enter start the next
        one (`restore` puts the text back if it could not be sent). Blank lines
        before and whitespace after the text (a pasted trailing newline) are not sent."""
        text = _BLANK_LINES_FIRST.sub("", self.text.rstrip())
        if not text:
            return
        if not self.prompt_history or self.prompt_history[-1] != text:
            self.prompt_history.append(text)
        self._history_index = None
        self._draft = ""
        self.clear()
        self.post_message(self.Submitted(self, text))

    def restore(self, text: str) -> None:
        """Put back a prompt that was not sent, ahead of anything typed since."""
        self.set_text(text + self.text)

    def action_newline(self) -> None:
        self.insert("\n")

    def set_text(self, text: str) -> None:
        """Replace the prompt and put the cursor at its end."""
        self.load_text(text)
        self.move_cursor(self.document.end)

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:  # a printable key bound here could never be typed
            active = self.screen.active_bindings.get(event.key)
            if (
                active is not None
                and active.node is self
                and active.binding.action in self._OWN_ACTIONS
            ):
                event.stop()
                event.prevent_default()
                await self.run_action(active.binding.action)
                return
        row, _ = self.cursor_location
        if event.key == "up" and row == 0 and self.prompt_history:
            event.stop()
            event.prevent_default()
            self._recall(-1)
            return
        if (
            event.key == "down"
            and row == self.document.line_count - 1
            and (self._history_index is not None)
        ):
            event.stop()
            event.prevent_default()
            self._recall(+1)
            return
        await super()._on_key(event)

    def _recall(self, step: int) -> None:
        if self._history_index is None:
            if step > 0:
                return
            self._draft = self.text
            self._history_index = len(self.prompt_history)
        index = self._history_index + step
        if index < 0:
            self.app.bell()
            return
        if index >= len(self.prompt_history):
            self._history_index = None
            self.set_text(self._draft)
            return
        self._history_index = index
        self.set_text(self.prompt_history[index])

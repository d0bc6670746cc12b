"""Small modal dialogs: a yes/no question and a one-line text prompt.

Both show their text literally (a title such as `[bold]x[/]` is not markup) and
are driven by the keyboard: their buttons are for the mouse and never take
focus, so Enter and Esc always mean the same thing.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from robotui.textsafe import visible


def _literal(text: str | Text) -> Text:
    return text if isinstance(text, Text) else Text(visible(text))


class ConfirmScreen(ModalScreen[bool]):
    """Ask before doing something that cannot be undone; returns True to go ahead."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Confirm", id="dialog.confirm"),
        Binding("n,escape", "answer(False)", "Cancel", id="dialog.cancel"),
    ]

    def __init__(
        self,
        question: str | Text,
        confirm_label: str = "Confirm",
        *,
        detail: str | Text = "",
        cancel_label: str = "Cancel",
        danger: bool = True,
    ) -> None:
        super().__init__()
        self.question = _literal(question)
        self.detail = _literal(detail)
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-question")
            if self.detail:
                yield Static(self.detail, classes="dialog-detail")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    self.confirm_label,
                    id="dialog-confirm",
                    variant="error" if self.danger else "primary",
                    compact=True,
                )
                yield Button(self.cancel_label, id="dialog-cancel", compact=True)
            yield Label(
                f"y or enter: {self.confirm_label.lower()} · n or esc: cancel",
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False

    def action_answer(self, confirmed: bool) -> None:
        self.dismiss(confirmed)

    @on(Button.Pressed, "#dialog-confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#dialog-cancel")
    def _cancel(self) -> None:
        self.dismiss(False)


class TextPromptScreen(ModalScreen[str | None]):
    """Ask for one line of text; returns it stripped, or None when cancelled.

    Empty text is refused in the dialog rather than returned.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(
        self,
        title: str | Text,
        value: str = "",
        *,
        placeholder: str = "",
        max_length: int = 200,
        save_label: str = "Save",
    ) -> None:
        super().__init__()
        self.title_text = _literal(title)
        self.value = value
        self.placeholder = placeholder
        self.max_length = max_length
        self.save_label = save_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-question")
            yield Input(
                self.value,
                placeholder=self.placeholder,
                max_length=self.max_length,
                id="dialog-input",
                select_on_focus=False,
                compact=True,
            )
            yield Static("", id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.save_label, id="dialog-confirm", variant="primary", compact=True)
                yield Button("Cancel", id="dialog-cancel", compact=True)
            yield Label(f"enter: {self.save_label.lower()} · esc: cancel", classes="dialog-help")

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#dialog-input")
    @on(Button.Pressed, "#dialog-confirm")
    def _save(self) -> None:
        text = self.query_one(Input).value.strip()
        if not text:
            self.query_one("#dialog-error", Static).update("It cannot be empty.")
            return
        self.dismiss(text)

    @on(Input.Changed, "#dialog-input")
    def _edited(self) -> None:
        self.query_one("#dialog-error", Static).update("")

    @on(Button.Pressed, "#dialog-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

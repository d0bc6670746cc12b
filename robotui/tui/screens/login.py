"""Log in from the app: paste a token, or fetch a new one from the server."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from robotui.client import RobocodersError
from robotui.tui.screens import gone


class LoginScreen(ModalScreen[str | None]):
    """Returns where the token was stored, or None when cancelled."""

    CSS_PATH = "dialog.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="login.cancel")]

    def __init__(self, server: str) -> None:
        super().__init__()
        self.server = server

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(f"Log in to {self.server}"), classes="dialog-title")
            yield Static(
                "Paste a token, or leave it empty and press enter to get a new one "
                "from the server.",
                classes="hint",
            )
            yield Input(
                password=True,
                placeholder="token (hidden)",
                id="path",
                classes="dialog-input",
                compact=True,
            )
            yield Label("", id="message", classes="dialog-message")
            yield Label("enter log in · esc cancel", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._say("Checking the token with the server…")
        self.log_in(event.value.strip() or None)

    @work(exclusive=True, exit_on_error=False)
    async def log_in(self, token: str | None) -> None:
        client = await self.app.get_client()  # type: ignore[attr-defined]
        try:
            token = token or await client.fetch_token()
            await client.create_session(token)  # proves the token works
            await client.login(token)
        except RobocodersError as error:
            if not gone(self):
                self._say(str(error), error=True)
            return
        if gone(self):
            return
        credentials = client.credentials
        tokens = getattr(credentials, "tokens", None)
        where = tokens.location if hasattr(tokens, "location") else "memory (demo)"
        self.dismiss(where)

    def _say(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#message", Label)
        label.update(Text(message))
        label.set_class(error, "-error")

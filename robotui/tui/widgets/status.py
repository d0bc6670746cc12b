"""The status line: server, agent, authentication, and whether a turn is running."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class StatusLine(Static):
    """One line at the bottom of the chat screen."""

    server: reactive[str] = reactive("")
    agent: reactive[str] = reactive("")
    auth: reactive[str] = reactive("")
    turn: reactive[str] = reactive("")  # "" when idle; otherwise what is happening
    events: reactive[int] = reactive(0)
    auto_continue: reactive[int] = reactive(3)
    _frame: reactive[int] = reactive(0)

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.1, self._spin, pause=True)

    def watch_turn(self, turn: str) -> None:
        if turn:
            self._timer.resume()
        else:
            self._timer.pause()

    def _spin(self) -> None:
        self._frame += 1

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" ")
        text.append(self.server or "no server", style="bold")
        text.append("  │  ", style="dim")
        text.append(self.agent, style="bold")
        text.append("  │  ", style="dim")
        text.append(self.auth or "not signed in")
        text.append("  │  ", style="dim")
        text.append(f"auto-continue {self.auto_continue or 'off'}", style="dim")
        text.append("  │  ", style="dim")
        if self.turn:
            text.append(SPINNER[self._frame % len(SPINNER)] + " ", style="bold")
            text.append(self.turn, style="bold")
            if self.events:
                text.append(f" · {self.events} events", style="dim")
        else:
            text.append("idle", style="dim")
        return text

"""Settings: edit `config.toml` in the app. The theme and the key overrides
apply at once; the server at the next start."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TextArea

from robotui.config import Settings
from robotui.tui.agents import known_agents


class SettingsScreen(ModalScreen[Settings | None]):
    """Returns the saved settings, or None when cancelled."""

    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="settings.cancel"),
        Binding("ctrl+s", "save", "Save", id="settings.save"),
    ]

    def __init__(self, settings: Settings, themes: list[str], binding_ids: list[str]) -> None:
        super().__init__()
        self.settings = settings
        self.themes = themes
        self.binding_ids = binding_ids

    def compose(self) -> ComposeResult:
        settings = self.settings
        agents = [info.name for info in known_agents()]
        if settings.default_agent not in agents:
            agents.append(settings.default_agent)
        keys = "\n".join(f"{name} = {value}" for name, value in sorted(settings.keys.items()))
        with Vertical(id="settings"):
            yield Label("Settings", id="settings-title")
            with Grid(id="settings-form"):
                yield Label("Server")
                yield Input(
                    settings.server,
                    placeholder="empty: $ROBOTUI_BASE_URL or https://api.robocoders.ai",
                    id="server",
                    compact=True,
                )
                yield Label("Default agent")
                yield Select(
                    [(name, name) for name in agents],
                    value=settings.default_agent,
                    allow_blank=False,
                    id="agent",
                    compact=True,
                )
                yield Label("Auto-continue")
                yield Input(
                    str(settings.auto_continue),
                    type="integer",
                    placeholder="0 = off",
                    id="auto-continue",
                    compact=True,
                )
                yield Label("Theme")
                yield Select(
                    [(name, name) for name in self.themes],
                    value=settings.theme if settings.theme in self.themes else self.themes[0],
                    allow_blank=False,
                    id="theme",
                    compact=True,
                )
            yield Label("Key overrides — one per line: binding id = keys", classes="hint")
            yield TextArea(keys, id="keys", soft_wrap=False, compact=True)
            ids = Text("Ids: " + ", ".join(self.binding_ids), style="dim")
            yield Static(ids, classes="hint")
            yield Label("", id="settings-message")
            yield Label("ctrl+s save · esc cancel", id="settings-help")

    def on_mount(self) -> None:
        self.query_one("#server", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        settings = self._read()
        if settings is not None:
            self._write(settings)

    def _read(self) -> Settings | None:
        limit_text = self.query_one("#auto-continue", Input).value.strip() or "0"
        try:
            limit = int(limit_text)
        except ValueError:
            limit = -1
        if not 0 <= limit <= 100:
            return self._fail("Auto-continue must be a number from 0 (off) to 100.")
        server = self.query_one("#server", Input).value.strip().rstrip("/")
        if server and not server.startswith(("http://", "https://")):
            return self._fail("The server must be an http:// or https:// URL (or empty).")
        keys: dict[str, str] = {}
        for number, line in enumerate(self.query_one("#keys", TextArea).text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            name, equals, value = line.partition("=")
            name, value = name.strip().strip('"'), value.strip().strip('"')
            if not equals or not name or not value:
                return self._fail(f"Key overrides, line {number}: write `binding.id = keys`.")
            if name not in self.binding_ids:
                return self._fail(f"Key overrides, line {number}: no binding {name!r}.")
            keys[name] = value
        return replace(
            self.settings,
            server=server,
            default_agent=str(self.query_one("#agent", Select).value),
            auto_continue=limit,
            theme=str(self.query_one("#theme", Select).value),
            keys=keys,
            problems=[],
        )

    def _fail(self, message: str) -> None:
        label = self.query_one("#settings-message", Label)
        label.update(Text(message))
        label.add_class("-error")
        return None

    def _write(self, settings: Settings) -> None:
        async def write() -> None:
            try:
                await asyncio.to_thread(settings.save)
            except OSError as error:
                self._fail(f"Cannot write the settings: {error.strerror or error}")
                return
            self.dismiss(settings)

        self.run_worker(write, exclusive=True)

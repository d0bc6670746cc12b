"""`RobotuiApp`: the services the screens share — settings, the client, the
history store, the demo server — and the app-wide bindings and commands."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from robotui.config import Settings, default_base_url, normalize_base_url
from robotui.tui.screens.chat import ChatScreen

if TYPE_CHECKING:
    from robotui.client import RobocodersClient
    from robotui.emulator import EmulatorConfig, RunningEmulator
    from robotui.store import HistoryStore


# Allocations before a young collection, and young/middle collections before the
# next older one (CPython's defaults: 700, 10, 10).
GC_THRESHOLDS = (20_000, 20, 20)


class RobotuiApp(App[None]):
    """The full-screen robotui."""

    TITLE = "robotui"
    # The chat screen's CSS is the app's: as the default screen, its own CSS_PATH
    # would not be loaded.
    CSS_PATH = ["app.tcss", "screens/chat.tcss"]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("f1", "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        *,
        base_url: str | None = None,
        demo: bool = False,
        proxy: str | None = None,
        agent: str | None = None,
        settings: Settings | None = None,
        emulator_config: EmulatorConfig | None = None,
    ) -> None:
        super().__init__()
        self.emulator_config = emulator_config
        self.settings = settings or Settings.load()
        self.demo = demo
        self.proxy = proxy
        self.base_url = normalize_base_url(base_url or self.settings.server or default_base_url())
        self.initial_agent = agent or self.settings.default_agent
        self.store: HistoryStore | None = None
        self._store_ready = asyncio.Event()
        self._server_ready = asyncio.Event()
        self._client: RobocodersClient | None = None
        self._emulator: RunningEmulator | None = None
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self._auto_continue_limit = self.settings.auto_continue or 3
        self._gc_thresholds: tuple[int, ...] | None = None

    # ------------------------------------------------------------ lifecycle

    def get_default_screen(self) -> Screen:
        # The chat screen is the first one drawn, not a screen pushed over an empty one.
        return ChatScreen(self.initial_agent)

    def on_mount(self) -> None:
        for problem in self.settings.problems:
            self.notify(problem, title="Settings", severity="warning", markup=False)
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def on_ready(self) -> None:
        # What exists after start-up lives as long as the app: keep it out of the
        # collector's scans, and collect less often. A streaming turn allocates
        # quickly, and full collections over a growing heap made rendering slower
        # than linear (a quarter of a 2,000-event turn's time went to the collector).
        self._gc_thresholds = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        gc.enable()  # `robotui` turns it off for start-up
        # After the first frame: the history store and the demo server import and
        # start in threads, so neither delays what a person sees first.
        self.run_worker(self._open_store, group="startup", exit_on_error=False)
        if self.demo:
            self.run_worker(self._start_demo_server, group="startup", exit_on_error=False)
        else:
            self._server_ready.set()

    async def _open_store(self) -> None:
        try:
            self.store, problem = await asyncio.to_thread(_open_history)
            if problem:
                self.notify(
                    f"{problem} — conversations will not be saved this time.",
                    title="History unavailable",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
        finally:
            self._store_ready.set()

    async def _start_demo_server(self) -> None:
        try:
            self._emulator = await asyncio.to_thread(_start_emulator, self.emulator_config)
            self.base_url = self._emulator.base_url
            self._update_status()
        except OSError as error:
            self.notify(
                f"The demo server could not start: {error}",
                title="Demo",
                severity="error",
                markup=False,
            )
        finally:
            self._server_ready.set()

    async def on_unmount(self) -> None:
        if self._gc_thresholds is not None:  # leave the process as we found it
            gc.unfreeze()
            gc.set_threshold(*self._gc_thresholds)
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()
        if self.store is not None:
            await asyncio.to_thread(self.store.close)
        if self._emulator is not None:
            await asyncio.to_thread(self._emulator.stop)

    # ------------------------------------------------------------- services

    async def wait_for_store(self) -> HistoryStore | None:
        """The history store once it is open (None if it could not be)."""
        await self._store_ready.wait()
        return self.store

    async def get_client(self) -> RobocodersClient:
        """The client, created on first use (after the demo server is up)."""
        await self._server_ready.wait()
        if self._client is None:
            from robotui.client import MemoryCredentials, RobocodersClient
            from robotui.client.credentials import Credentials

            credentials = (
                MemoryCredentials()
                if self.demo
                else Credentials(
                    on_warning=lambda text: self.notify(text, severity="warning", markup=False)
                )
            )
            self._client = RobocodersClient(
                self.base_url, proxy=self.proxy, credentials=credentials
            )
        return self._client

    @property
    def server_label(self) -> str:
        if self.demo:
            if self._emulator is None:
                return "demo server (starting…)"
            return f"demo server {self.base_url.removeprefix('http://')}"
        return self.base_url.removeprefix("https://")

    def auth_label(self) -> str:
        client = self._client
        if self.demo:
            return "demo token" if client and client.token_source != "none" else "demo"
        if client is None:
            return ""
        return {
            "environment": "token from ROBOCODERS_API_TOKEN",
            "argument": "token given",
            "stored": "signed in",
            "fetched": "signed in (new token)",
        }.get(client.token_source, "not signed in")

    def _update_status(self) -> None:
        from robotui.tui.widgets.status import StatusLine

        for screen in self.screen_stack:
            for status in screen.query(StatusLine):
                status.server = self.server_label
                status.auth = self.auth_label()
                status.auto_continue = self.settings.auto_continue

    # ------------------------------------------------------------- commands

    @property
    def chat(self) -> ChatScreen:
        return next(screen for screen in self.screen_stack if isinstance(screen, ChatScreen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        chat = self.chat
        limit = self.settings.auto_continue
        yield SystemCommand(
            "New conversation", "Start an empty conversation (ctrl+n)", chat.action_new_conversation
        )
        yield SystemCommand(
            "Switch agent", "Choose the agent for the next prompt (ctrl+t)", chat.action_pick_agent
        )
        yield SystemCommand(
            "History",
            "Every conversation: search, open, rename, export (ctrl+r)",
            chat.action_history,
        )
        yield SystemCommand(
            "Copy last code block", "To the clipboard (ctrl+o)", chat.action_copy_last_code
        )
        yield SystemCommand(
            "Export conversation", "This conversation as Markdown or JSON", chat.action_export
        )
        yield SystemCommand("Retry", "Send the last prompt again (f5)", chat.action_retry)
        yield SystemCommand("Cancel", "Stop the running turn (esc)", chat.action_cancel_turn)
        yield SystemCommand(
            "Toggle auto-continue",
            f"Now {'up to ' + str(limit) if limit else 'off'}: answer 'continue' at the "
            "agent's resource limit",
            self.action_toggle_auto_continue,
        )
        yield SystemCommand("Log in", "Store a token for this server", self.action_login)
        yield SystemCommand(
            "Log out", "Forget this server's token and sessions", self.action_logout
        )
        yield SystemCommand(
            "Settings", "Server, default agent, auto-continue, theme, keys", self.action_settings
        )
        yield SystemCommand("Help", "Every key and what it does (f1)", self.action_help)
        yield from super().get_system_commands(screen)

    def action_toggle_auto_continue(self) -> None:
        if self.settings.auto_continue:
            self._auto_continue_limit = self.settings.auto_continue
            self.settings.auto_continue = 0
        else:
            self.settings.auto_continue = self._auto_continue_limit
        limit = self.settings.auto_continue
        self._update_status()
        self.notify(
            f"Auto-continue is {'on, up to ' + str(limit) + ' times' if limit else 'off'} "
            "for this session (Settings keeps it).",
            timeout=4,
        )

    def action_help(self) -> None:
        from robotui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.binding_groups(), self._help_notes()))

    def binding_groups(self) -> list[tuple[str, list]]:
        from robotui.tui.widgets.conversation import ConversationView
        from robotui.tui.widgets.prompt import PromptArea

        groups = [
            ("Everywhere", list(self.BINDINGS)),
            ("Chat", list(ChatScreen.BINDINGS)),
            ("Prompt", list(PromptArea.BINDINGS)),
            ("Conversation", list(ConversationView.BINDINGS)),
        ]
        try:
            from robotui.tui.screens.history import HistoryScreen
        except ImportError:  # pragma: no cover - the history screen ships with the app
            return groups
        return [*groups, ("History", list(HistoryScreen.BINDINGS))]

    def binding_ids(self) -> list[str]:
        return sorted(
            binding.id
            for _, bindings in self.binding_groups()
            for binding in bindings
            if isinstance(binding, Binding) and binding.id
        )

    def _help_notes(self) -> list[str]:
        from robotui.config import config_dir, data_dir, state_dir

        mode = (
            "Demo mode: robotui runs its own Robocoders emulator on this machine; no account "
            "and no network are needed."
            if self.demo
            else f"Server: {self.base_url}. A token is fetched from its /auth page on first "
            "use and kept in the OS keyring; ctrl+p → Log in stores one you paste, and "
            "ROBOCODERS_API_TOKEN overrides both."
        )
        return [
            mode,
            "Auto-continue: when the agent stops at its resource limit, robotui answers "
            f"'continue' up to {self.settings.auto_continue or 'no'} times per prompt "
            "(ctrl+p → Toggle auto-continue).",
            "Code blocks: ctrl+l (or tab) moves into the conversation, then ] and [ select "
            "blocks; c copies, s saves, i puts the block into the prompt. ctrl+o copies the "
            "last code block from anywhere. Clicking [copy] [save] [insert] works too.",
            f"Settings: {config_dir() / 'config.toml'} · History: {data_dir() / 'history.db'}"
            f" · Sessions: {state_dir()}",
        ]

    def action_settings(self) -> None:
        from robotui.tui.screens.settings import SettingsScreen

        def saved(settings: Settings | None) -> None:
            if settings is None:
                return
            server_changed = settings.server != self.settings.server
            self.settings = settings
            if settings.theme in self.available_themes:
                self.theme = settings.theme
            self.set_keymap(settings.keys)
            self._update_status()
            message = "Settings saved."
            if server_changed:
                message += " The new server is used from the next start."
            self.notify(message, timeout=5)

        self.push_screen(
            SettingsScreen(self.settings, sorted(self.available_themes), self.binding_ids()),
            saved,
        )

    def _theme_changed(self, theme: object) -> None:
        from robotui.tui.widgets.conversation import ConversationView

        for view in self.query(ConversationView):
            view.refresh_theme()
        for screen in self.screen_stack:
            for view in screen.query(ConversationView):
                view.refresh_theme()
        if self.settings.theme != self.theme:
            self.settings.theme = self.theme
            self.run_worker(self.settings.save, thread=True, group="settings", exit_on_error=False)

    def action_login(self) -> None:
        from robotui.tui.screens.login import LoginScreen

        def done(where: str | None) -> None:
            if where:
                self.notify(f"Signed in; the token is stored in {where}.", markup=False)
                self._update_status()

        self.push_screen(LoginScreen(self.base_url), done)

    def action_logout(self) -> None:
        async def log_out() -> None:
            client = await self.get_client()
            client.logout()
            self._update_status()
            message = f"Logged out of {self.base_url}: token and cached sessions removed."
            if client.token_source == "environment":
                message += " ROBOCODERS_API_TOKEN is still set and still used."
            self.notify(message, markup=False, timeout=6)

        self.run_worker(log_out, group="auth")


def _open_history() -> tuple[HistoryStore | None, str]:
    """In a thread: the history store, or the reason it cannot be opened."""
    from robotui.store import HistoryStore, StoreError

    try:
        return HistoryStore.open(), ""
    except StoreError as error:
        return None, str(error)


def _start_emulator(config: EmulatorConfig | None) -> RunningEmulator:
    """In a thread: the demo server (uvicorn and Starlette load here, not on the UI)."""
    from robotui.emulator import start_in_thread

    return start_in_thread(config)

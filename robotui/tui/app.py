"""`RobotuiApp`: the services the screens share — settings, the client, the
history store, the demo server — and the app-wide bindings and commands."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from robotui.config import Settings, default_base_url, normalize_base_url
from robotui.tui.screens.chat import ChatScreen

if TYPE_CHECKING:
    from robotui.client import RobocodersClient
    from robotui.emulator import RunningEmulator
    from robotui.store import HistoryStore


class RobotuiApp(App[None]):
    """The full-screen robotui."""

    TITLE = "robotui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        *,
        base_url: str | None = None,
        demo: bool = False,
        proxy: str | None = None,
        agent: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings or Settings.load()
        self.demo = demo
        self.proxy = proxy
        self.base_url = normalize_base_url(base_url or self.settings.server or default_base_url())
        self.initial_agent = agent or self.settings.default_agent
        self.store: HistoryStore | None = None
        self._store_ready: asyncio.Event | None = None
        self._server_ready: asyncio.Event | None = None
        self._client: RobocodersClient | None = None
        self._emulator: RunningEmulator | None = None
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme

    # ------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        self._store_ready = asyncio.Event()
        self._server_ready = asyncio.Event()
        for problem in self.settings.problems:
            self.notify(problem, title="Settings", severity="warning", markup=False)
        self.push_screen(ChatScreen(self.initial_agent))
        self.run_worker(self._open_store, group="startup", exit_on_error=False)
        if self.demo:
            self.run_worker(self._start_demo_server, group="startup", exit_on_error=False)
        else:
            self._server_ready.set()

    async def _open_store(self) -> None:
        from robotui.store import HistoryStore, StoreError

        try:
            self.store = await asyncio.to_thread(HistoryStore.open)
        except StoreError as error:
            self.notify(
                f"{error} — conversations will not be saved this time.",
                title="History unavailable",
                severity="error",
                timeout=15,
                markup=False,
            )
        finally:
            assert self._store_ready is not None
            self._store_ready.set()

    async def _start_demo_server(self) -> None:
        from robotui.emulator import start_in_thread

        try:
            self._emulator = await asyncio.to_thread(start_in_thread)
            self.base_url = self._emulator.base_url
            self._update_status()
        finally:
            assert self._server_ready is not None
            self._server_ready.set()

    async def on_unmount(self) -> None:
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
        assert self._store_ready is not None
        await self._store_ready.wait()
        return self.store

    async def get_client(self) -> RobocodersClient:
        """The client, created on first use (after the demo server is up)."""
        assert self._server_ready is not None
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

        for status in self.screen.query(StatusLine):
            status.server = self.server_label
            status.auth = self.auth_label()

"""Snapshot tests of the chat screen and the agent picker.

`snap_compare` runs the app itself, so these tests are synchronous. Update the
reference images after an intended change with `pytest --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import respx
from tui_helpers import BASE, wait_until

from robotui.config import Settings
from robotui.tui.app import RobotuiApp
from robotui.tui.widgets.prompt import PromptArea

EXAMPLE_FILE = Path(__file__).parent / "data" / "openhands-0.15-events.ndjson"
SIZE = (120, 40)


@pytest.fixture
def server() -> respx.Router:
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        mock.get("/auth").respond(200, html='<pre id="token">tok</pre>')
        mock.get("/create-session").respond(200, json={"sid": "sid-1"})
        mock.post("/chat").respond(200, content=EXAMPLE_FILE.read_bytes())
        yield mock


def make_app() -> RobotuiApp:
    return RobotuiApp(base_url=BASE, settings=Settings(auto_continue=0))


def test_chat_screen_empty(snap_compare, server) -> None:
    async def ready(pilot) -> None:
        await wait_until(pilot, lambda: pilot.app.store is not None)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=ready)


def test_chat_screen_after_a_turn(snap_compare, server) -> None:
    async def run_turn(pilot) -> None:
        await wait_until(pilot, lambda: pilot.app.store is not None)
        prompt = pilot.app.screen.query_one(PromptArea)
        prompt.load_text("Write a hello world script in Python and run it.")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: server.routes[2].called and not pilot.app.screen.turn_running,
        )
        await wait_until(
            pilot,
            lambda: (
                "hello world"
                in str(pilot.app.screen.query_one("#recent").get_option_at_index(0).prompt).lower()
            ),
        )
        conversation = pilot.app.screen.query_one("#conversation")
        conversation.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_turn)


def test_agent_picker(snap_compare, server) -> None:
    async def open_picker(pilot) -> None:
        await wait_until(pilot, lambda: pilot.app.store is not None)
        await pilot.press("ctrl+t")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_picker)


def test_agent_picker_filtered(snap_compare, server) -> None:
    async def filter_picker(pilot) -> None:
        await wait_until(pilot, lambda: pilot.app.store is not None)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"front")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=filter_picker)


def test_help_screen(snap_compare, server) -> None:
    async def open_help(pilot) -> None:
        await wait_until(pilot, lambda: pilot.app.store is not None)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_help)


def test_settings_screen(snap_compare, server) -> None:
    async def open_settings(pilot) -> None:
        await wait_until(pilot, lambda: pilot.app.store is not None)
        pilot.app.action_settings()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_settings)


def test_login_dialog(snap_compare, server) -> None:
    async def open_login(pilot) -> None:
        await wait_until(pilot, lambda: pilot.app.store is not None)
        pilot.app.action_login()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_login)


def test_save_dialog_and_a_selected_block(snap_compare, server, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)

    async def save_block(pilot) -> None:
        await wait_until(pilot, lambda: pilot.app.store is not None)
        prompt = pilot.app.screen.query_one(PromptArea)
        prompt.load_text("Write a hello world script in Python and run it.")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: server.routes[2].called and not pilot.app.screen.turn_running
        )
        await pilot.press("ctrl+l", "home", "]", "]", "]", "]")
        await pilot.press("s")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=save_block)

"""Snapshot tests of the history screen, its search, the export dialog and the delete question.

`snap_compare` runs the app itself, so these tests are synchronous. Times are
fixed (`pinned_time`), so "4 min ago" is the same on every run. Update the
reference images after an intended change with `pytest --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from history_samples import fill, pinned_time
from textual.app import App
from tui_helpers import wait_until

from robotui.store import HistoryStore
from robotui.tui.screens.history import HistoryScreen
from robotui.tui.widgets.history_detail import ConversationDetail

SIZE = (120, 40)
EXPORTS = Path("/home/robo/exports")  # only shown, never written


@pytest.fixture(autouse=True)
def fixed_time():
    with pinned_time():
        yield


@pytest.fixture
def store():
    with HistoryStore.open() as store:
        fill(store)
        yield store


class Host(App[None]):
    TITLE = "robotui"

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self.history = HistoryScreen(store, current_conversation_id=2, export_directory=EXPORTS)

    def on_mount(self) -> None:
        self.push_screen(self.history)


async def settled(pilot) -> None:
    """The rows are in and the highlighted conversation's first prompt is shown."""
    screen = pilot.app.history
    await wait_until(pilot, lambda: screen.loaded, what="the first page")
    detail = screen.query_one(ConversationDetail)
    await wait_until(
        pilot,
        lambda: detail.conversation is None or detail.conversation.id in detail.first_prompts,
        what="the first prompt",
    )
    await pilot.pause()


def test_history_screen(snap_compare, store) -> None:
    assert snap_compare(Host(store), terminal_size=SIZE, run_before=settled)


def test_history_search(snap_compare, store) -> None:
    async def search(pilot) -> None:
        await settled(pilot)
        await pilot.press(*"the")
        screen = pilot.app.history
        await wait_until(pilot, lambda: screen.query_text == "the", what="the search")
        await pilot.press("down")
        await settled(pilot)

    assert snap_compare(Host(store), terminal_size=SIZE, run_before=search)


def test_export_dialog(snap_compare, store) -> None:
    async def export(pilot) -> None:
        await settled(pilot)
        await pilot.press("down", "down", "e")
        await pilot.pause()

    assert snap_compare(Host(store), terminal_size=SIZE, run_before=export)


def test_delete_confirmation(snap_compare, store) -> None:
    async def delete(pilot) -> None:
        await settled(pilot)
        await pilot.press("down", "down", "down", "d")
        await pilot.pause()

    assert snap_compare(Host(store), terminal_size=SIZE, run_before=delete)

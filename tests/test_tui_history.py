"""The history screen and its dialogs with Pilot, over a real store in tmp_path."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from history_samples import SAMPLES, fill, fill_many, pinned_time
from rich.console import Console
from textual.app import App
from textual.widgets import Input, Static
from textual.widgets.data_table import ColumnKey
from tui_helpers import wait_until

from robotui.store import HistoryStore
from robotui.tui.screens.dialogs import ConfirmScreen, TextPromptScreen
from robotui.tui.screens.export import ExportScreen, slug
from robotui.tui.screens.history import (
    FIRST_PAGE,
    PAGE_SIZE,
    HistoryResult,
    HistoryScreen,
    as_you_type,
)
from robotui.tui.widgets.history_table import PIN_MARK, HistoryTable

SIZE = (120, 40)
LANDING, HELLO, FIX, MARKUP, MIGRATE = range(5)  # indexes into SAMPLES and the ids


@pytest.fixture(autouse=True)
def fixed_time():
    with pinned_time():
        yield


@pytest.fixture
def store():
    with HistoryStore.open() as store:
        yield store


@pytest.fixture
def ids(store: HistoryStore) -> list[int]:
    return fill(store)


class Host(App[None]):
    """Shows one HistoryScreen and records what it was closed with."""

    def __init__(self, screen: HistoryScreen) -> None:
        super().__init__()
        self.history = screen
        self.results: list[HistoryResult | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.history, self.results.append)


def host(store: HistoryStore, current: int | None = None, **options: object) -> Host:
    return Host(HistoryScreen(store, current, **options))


async def opened(pilot) -> HistoryScreen:
    screen = pilot.app.history
    await wait_until(pilot, lambda: screen.loaded, what="the first page")
    return screen


def table(pilot) -> HistoryTable:
    return pilot.app.history.query_one(HistoryTable)


def titles(pilot) -> list[str]:
    """The titles as shown, top to bottom (the first line of each title cell)."""
    rows = table(pilot)
    return [rows.get_row_at(index)[1].plain.split("\n")[0] for index in range(rows.row_count)]


def shown(widget: Static) -> str:
    """A Static's content as plain text, however it was built (str, Text, Group, Table)."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def title_of(index: int) -> str:
    return SAMPLES[index].title


async def focus_row(pilot, index: int) -> None:
    rows = table(pilot)
    rows.focus()
    rows.move_cursor(row=index)
    await pilot.pause()


# ---------------------------------------------------------------- listing


async def test_lists_pinned_first_then_newest(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        assert titles(pilot) == [title_of(i) for i in (LANDING, HELLO, FIX, MARKUP, MIGRATE)]
        rows = table(pilot)
        assert rows.get_row_at(0)[0].plain == PIN_MARK
        assert [rows.get_row_at(i)[0].plain for i in range(1, 5)] == [""] * 4
        hello = rows.get_row_at(1)
        assert [cell.plain for cell in hello[2:]] == ["GeneralCodingAgent", "4 min ago", "3", "3"]
        assert isinstance(screen.focused, Input), "the search box has focus at start"
        assert "5 conversations" in shown(screen.query_one("#history-title", Static))
        detail = shown(screen.query_one("#history-detail", Static))
        assert title_of(LANDING) in detail and "FrontEndAgent" in detail


async def test_a_narrow_table_gives_the_counts_width_to_the_title(store, ids) -> None:
    async with host(store).run_test(size=(80, 30)) as pilot:
        await opened(pilot)
        rows = table(pilot)
        keys = [column.key.value for column in rows.ordered_columns]
        assert keys == ["pin", "title", "agent", "activity"], "turns and events are left out"
        hello = [cell.plain for cell in rows.get_row_at(1)[2:]]
        assert hello == ["GeneralCodingAgent", "4 min ago"]
        narrow_title = rows.columns[ColumnKey("title")].width
        await pilot.resize_terminal(120, 30)
        await wait_until(pilot, lambda: len(rows.ordered_columns) == 6, what="the counts back")
        assert [cell.plain for cell in rows.get_row_at(1)[2:]][-2:] == ["3", "3"]
        wide_title = rows.columns[ColumnKey("title")].width
        counts = (5 + 2) + (6 + 2)  # the two columns with their padding
        assert narrow_title == wide_title - (120 - 80) + counts


async def test_empty_history_says_so(store) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        empty = screen.query_one("#history-empty", Static)
        assert empty.display and not table(pilot).display
        assert "No conversations yet" in shown(empty)


async def test_search_as_you_type_narrows_and_widens(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press(*"lea")  # a prefix while typing: "leap" is in one conversation
        await wait_until(pilot, lambda: titles(pilot) == [title_of(FIX)], what="narrowed")
        cell = table(pilot).get_row_at(0)[1].plain
        assert "leap" in cell.split("\n")[1], "the snippet is the row's second line"
        await pilot.press(*"p dumps")  # "leap dumps": no conversation has both
        screen = pilot.app.history
        empty = screen.query_one("#history-empty", Static)
        await wait_until(pilot, lambda: empty.display, what="the empty state")
        assert "Nothing matches “leap dumps”" in shown(empty)
        await pilot.press(*["backspace"] * 11)
        await wait_until(pilot, lambda: len(titles(pilot)) == 5, what="everything again")
        assert titles(pilot)[0] == title_of(LANDING)


async def test_letters_typed_in_search_are_text_not_commands(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press(*"rdpe", "delete", "f2")
        await pilot.pause(0.3)
        assert pilot.app.screen is screen, "no dialog opened"
        assert screen.query_one("#history-search", Input).value == "rdpe"
        assert store.get_conversation(ids[HELLO]) is not None
        assert not store.get_conversation(ids[HELLO]).pinned


def test_as_you_type() -> None:
    assert as_you_type("hel") == "hel*"
    assert as_you_type("hello ") == "hello"
    assert as_you_type('"unit tes') == '"unit tes'
    assert as_you_type('"unit tests" fa') == '"unit tests" fa*'
    assert as_you_type("  ") is None


# ------------------------------------------------------------ navigation


async def test_enter_opens_the_highlighted_conversation(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("down")
        assert screen.focused is table(pilot), "down from the search box goes to the list"
        await pilot.press("down", "enter")
        assert pilot.app.results == [HistoryResult("open", ids[HELLO])]


async def test_enter_in_the_search_box_opens_the_first_match(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press(*"postgresql")
        await wait_until(pilot, lambda: titles(pilot) == [title_of(MIGRATE)])
        await pilot.press("enter")
        assert pilot.app.results == [HistoryResult("open", ids[MIGRATE])]


async def test_enter_right_after_typing_opens_the_match_not_the_old_first_row(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press(*"postgresql", "enter")  # well within the search pause
        await wait_until(pilot, lambda: pilot.app.results, what="a result")
        assert pilot.app.results == [HistoryResult("open", ids[MIGRATE])]


async def test_up_from_the_first_row_and_slash_return_to_search(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        search = screen.query_one("#history-search", Input)
        await pilot.press("down", "up")
        assert screen.focused is search
        await pilot.press("down", "down", "slash")
        assert screen.focused is search
        await pilot.press("down", "ctrl+f")
        assert screen.focused is search


async def test_escape_goes_back_with_nothing(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("escape")
        assert pilot.app.results == [None]


# ---------------------------------------------------------------- actions


async def test_rename(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        await opened(pilot)
        await focus_row(pilot, FIX)
        await pilot.press("r")
        assert isinstance(pilot.app.screen, TextPromptScreen)
        prompt = pilot.app.screen.query_one(Input)
        assert prompt.value == title_of(FIX), "prefilled with the title"
        await pilot.press("ctrl+u", "enter")
        assert isinstance(pilot.app.screen, TextPromptScreen), "an empty title is refused"
        assert "cannot be empty" in shown(pilot.app.screen.query_one("#dialog-error"))
        await pilot.press(*"Leap years", "enter")
        await wait_until(pilot, lambda: titles(pilot)[FIX] == "Leap years", what="new title")
        assert store.get_conversation(ids[FIX]).title == "Leap years"


async def test_rename_cancelled_keeps_the_title(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        await opened(pilot)
        await focus_row(pilot, FIX)
        await pilot.press("f2", "ctrl+u", *"Other", "escape")
        await pilot.pause(0.2)
        assert store.get_conversation(ids[FIX]).title == title_of(FIX)
        assert titles(pilot)[FIX] == title_of(FIX)


async def test_delete_asks_first(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await focus_row(pilot, FIX)
        await pilot.press("d")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        question = pilot.app.screen.question.plain
        assert question == f"Delete “{title_of(FIX)}”?"
        await pilot.press("n")
        assert pilot.app.screen is screen
        assert store.get_conversation(ids[FIX]) is not None
        await pilot.press("delete", "escape")
        assert store.get_conversation(ids[FIX]) is not None
        await pilot.press("d", "y")
        await wait_until(pilot, lambda: len(titles(pilot)) == 4, what="the row to go")
        assert title_of(FIX) not in titles(pilot)
        assert store.get_conversation(ids[FIX]) is None
        assert "4 conversations" in shown(screen.query_one("#history-title", Static))
        await pilot.press("escape")
        assert pilot.app.results == [None], "another conversation than the open one"


async def test_deleting_the_open_conversation_is_reported(store, ids) -> None:
    async with host(store, ids[HELLO]).run_test(size=SIZE) as pilot:
        await opened(pilot)
        await focus_row(pilot, HELLO)
        assert "(open now)" in titles(pilot)[HELLO]
        await pilot.press("d", "enter")
        await wait_until(pilot, lambda: store.get_conversation(ids[HELLO]) is None)
        await wait_until(pilot, lambda: len(titles(pilot)) == 4)
        await pilot.press("escape")
        assert pilot.app.results == [HistoryResult("deleted-current", ids[HELLO])]


async def test_pin_moves_to_the_top_and_unpin_moves_back(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        await opened(pilot)
        await focus_row(pilot, MARKUP)
        await pilot.press("p")
        # Pinned ones first, the newer pinned one (LANDING) above it.
        expected = [title_of(LANDING), title_of(MARKUP)]
        await wait_until(pilot, lambda: titles(pilot)[:2] == expected, what="pinned")
        assert store.get_conversation(ids[MARKUP]).pinned
        rows = table(pilot)
        assert rows.get_row_at(1)[0].plain == PIN_MARK
        assert rows.cursor_row == 1, "the cursor follows the row"
        await pilot.press("p")
        await wait_until(pilot, lambda: titles(pilot)[MARKUP] == title_of(MARKUP))
        assert not store.get_conversation(ids[MARKUP]).pinned
        assert rows.get_row_at(MARKUP)[0].plain == ""


async def test_titles_with_markup_are_shown_literally(store, ids) -> None:
    async with host(store).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await focus_row(pilot, MARKUP)
        assert titles(pilot)[MARKUP] == "[bold red]Markup[/] is shown as typed"
        detail = shown(screen.query_one("#history-detail", Static))
        assert "[bold red]Markup[/] is shown as typed" in detail
        await pilot.press("d")
        assert pilot.app.screen.question.plain == "Delete “[bold red]Markup[/] is shown as typed”?"


# ----------------------------------------------------------------- export


async def export_from_row(pilot, index: int, *keys: str) -> ExportScreen:
    await focus_row(pilot, index)
    await pilot.press("e")
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportScreen)
    if keys:
        await pilot.press(*keys)
    return dialog


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """An empty directory for exports (tmp_path also holds the test's home and XDG dirs)."""
    path = tmp_path / "exports"
    path.mkdir()
    return path


async def test_export_markdown(store, ids, exports: Path) -> None:
    async with host(store, export_directory=exports).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await export_from_row(pilot, FIX, "enter")
        target = exports / "fix-the-failing-test-in-my-repository.md"
        await wait_until(pilot, lambda: pilot.app.screen is screen, what="the dialog to close")
        text = target.read_text(encoding="utf-8")
        assert title_of(FIX) in text
        assert SAMPLES[FIX].prompt in text
        assert [path.name for path in exports.iterdir()] == [target.name], "nothing else"
        assert any(f"Exported to {target}" in n.message for n in pilot.app._notifications)


async def test_export_json(store, ids, exports: Path) -> None:
    async with host(store, export_directory=exports).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        dialog = await export_from_row(pilot, HELLO, "j")
        path = dialog.query_one("#export-path", Input)
        assert path.value == str(exports / "write-a-hello-world-script-in-python.json")
        await pilot.press("enter")
        await wait_until(pilot, lambda: pilot.app.screen is screen, what="the dialog to close")
        document = json.loads((exports / Path(path.value).name).read_text(encoding="utf-8"))
        assert document["conversation"]["id"] == ids[HELLO]
        assert document["conversation"]["title"] == title_of(HELLO)
        assert document["turns"][0]["prompt"] == SAMPLES[HELLO].prompt
        assert len(document["turns"]) == SAMPLES[HELLO].turns


async def test_export_never_overwrites_without_a_second_enter(store, ids, exports) -> None:
    target = exports / "fix-the-failing-test-in-my-repository.md"
    target.write_text("keep me", encoding="utf-8")
    async with host(store, export_directory=exports).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        dialog = await export_from_row(pilot, FIX, "enter")
        message = dialog.query_one("#export-message", Static)
        await wait_until(pilot, lambda: "already exists" in shown(message))
        assert target.read_text(encoding="utf-8") == "keep me"
        assert pilot.app.screen is dialog
        await pilot.press("enter")
        await wait_until(pilot, lambda: pilot.app.screen is screen, what="the dialog to close")
        assert title_of(FIX) in target.read_text(encoding="utf-8")


async def test_export_problems_are_shown_in_the_dialog(store, ids, exports) -> None:
    async with host(store, export_directory=exports).run_test(size=SIZE) as pilot:
        await opened(pilot)
        dialog = await export_from_row(pilot, FIX)
        path = dialog.query_one("#export-path", Input)
        message = dialog.query_one("#export-message", Static)
        for value, expected in (
            (str(exports / "missing" / "x.md"), "does not exist"),
            (str(exports), "is a directory"),
            ("   ", "Name the file"),
        ):
            path.value = value
            await pilot.press("enter")
            await wait_until(pilot, lambda e=expected: e in shown(message), what=expected)
            assert pilot.app.screen is dialog
            assert "Traceback" not in shown(message)
        assert sorted(p.name for p in exports.iterdir()) == []
        await pilot.press("escape")
        assert pilot.app.screen is pilot.app.history


async def test_export_name_follows_the_format(store, ids, exports) -> None:
    async with host(store, export_directory=exports).run_test(size=SIZE) as pilot:
        await opened(pilot)
        dialog = await export_from_row(pilot, HELLO)
        path = dialog.query_one("#export-path", Input)
        assert path.value.endswith("/write-a-hello-world-script-in-python.md")
        await pilot.press("j")
        assert path.value.endswith("/write-a-hello-world-script-in-python.json")
        await pilot.press("left")
        assert path.value.endswith(".md") and dialog.format == "markdown"
        await pilot.press("tab")
        assert dialog.focused is path
        path.value = str(exports / "notes.md")
        await pilot.press("shift+tab", "j")
        assert path.value == str(exports / "notes.json"), "an edited name keeps its stem"
        path.value = str(exports / "notes")
        await pilot.press("m")
        assert path.value == str(exports / "notes"), "an edited name is otherwise left alone"


def test_slug() -> None:
    assert slug("Write a hello world script") == "write-a-hello-world-script"
    assert slug("[bold]Ünïcode[/] & symbols!") == "bold-unicode-symbols"
    assert slug("…", "conversation-7") == "conversation-7"
    assert len(slug("word " * 40)) <= 60


# ------------------------------------------------------------------ scale


async def test_ten_thousand_conversations_open_a_page_at_a_time(store) -> None:
    fill_many(store, 10_000)
    started = time.perf_counter()
    async with host(store).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        elapsed = time.perf_counter() - started
        rows = table(pilot)
        assert 0 < rows.row_count <= FIRST_PAGE
        assert titles(pilot)[0] == "Conversation number 00000"
        heading = shown(screen.query_one("#history-title", Static))
        assert f"{rows.row_count}+ conversations" in heading
        assert elapsed < 5, f"opening took {elapsed:.1f} s"
        rows.focus()
        await pilot.press("end")
        await wait_until(pilot, lambda: rows.row_count > FIRST_PAGE, what="the next page")
        await pilot.pause()
        assert rows.row_count <= FIRST_PAGE + 2 * PAGE_SIZE, "a page or two more, not all"
        assert titles(pilot)[FIRST_PAGE] == f"Conversation number {FIRST_PAGE:05d}"
        assert len(set(titles(pilot))) == rows.row_count, "no row twice"

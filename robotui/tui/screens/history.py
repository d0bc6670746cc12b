"""The history screen: every conversation, newest first; search as you type; act on one.

Rows arrive a page at a time from the store (in a thread), the next page when
the cursor or the scroll position nears the end, so 10,000 conversations open as
fast as 10. Typing searches with the store's full-text search after a short
pause; Enter opens, and the table's keys rename, delete, pin and export.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from robotui.store import Conversation, HistoryStore, StoreError
from robotui.textsafe import one_line
from robotui.tui.screens import gone
from robotui.tui.screens.dialogs import ConfirmScreen, TextPromptScreen
from robotui.tui.widgets.history_detail import ConversationDetail, counted
from robotui.tui.widgets.history_table import HistoryTable

PAGE_SIZE = 200
# The first page only needs to fill the screen: fewer rows paint sooner, and the
# next page is fetched as soon as the cursor or the scroll moves towards the end.
FIRST_PAGE = 20  # at least: more when the table is taller (see _first_page)
FIRST_SEARCH_PAGE = 10  # search rows are two lines high
# Load the next page this many rows before the end, so scrolling rarely waits.
LOOKAHEAD = 5
SEARCH_DELAY = 0.15


@dataclass(frozen=True, slots=True)
class HistoryResult:
    """What the history screen was closed with.

    "open": open `conversation_id`. "deleted-current": the conversation the caller
    is showing was deleted (the screen was closed with Esc after that).
    """

    action: Literal["open", "deleted-current"]
    conversation_id: int


def as_you_type(text: str) -> str | None:
    """Search text for a query that is still being typed: the last word is a prefix."""
    stripped = text.strip()
    if not stripped:
        return None
    # A space after the last word means it is finished; an open quote, a phrase.
    if text[-1].isalnum() and text.count('"') % 2 == 0:
        return stripped + "*"
    return stripped


class HistoryScreen(Screen[HistoryResult | None]):
    """Browse, search, open, rename, delete, pin and export conversations."""

    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="history.back"),
        Binding("slash,ctrl+f", "focus_search", "Search", id="history.search"),
        Binding("enter", "open", "Open", id="history.open", show=False),
        Binding("down", "focus_table", "List", id="history.list"),
        Binding("up", "focus_table", "List", show=False),
    ]

    def __init__(
        self,
        store: HistoryStore,
        current_conversation_id: int | None = None,
        *,
        export_directory: Path | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.current_conversation_id = current_conversation_id
        self.export_directory = export_directory
        self.query_text = ""
        self.exhausted = False
        self.loaded = False
        self._generation = 0
        self._loading_more = False
        self._deleted_current = False
        self._open_when_loaded = False

    # --------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static(Text("History", style="bold"), id="history-title")
        yield Input(
            placeholder='Search every prompt and reply…   words · "a phrase" · prefix*',
            id="history-search",
        )
        with Vertical(id="history-body"):
            yield HistoryTable(self.current_conversation_id, id="history-table")
            yield Static("", id="history-empty")
        yield ConversationDetail(self.store, id="history-detail")
        yield Footer()

    @property
    def table(self) -> HistoryTable:
        return self.query_one(HistoryTable)

    def on_mount(self) -> None:
        self.query_one("#history-search", Input).focus()
        self.watch(self.table, "scroll_y", self._scrolled, init=False)
        self.load(delay=0)

    # -------------------------------------------------------------- loading

    @on(Input.Changed, "#history-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.load(event.value, delay=SEARCH_DELAY)

    @work(exclusive=True, group="history-query")
    async def load(
        self,
        text: str = "",
        *,
        delay: float = 0,
        keep: int | None = None,
        at_least: int | None = None,
    ) -> None:
        """Show the first rows for `text` (all conversations when empty).

        Exclusive: a newer call (the next keystroke) cancels this one, sleep included,
        which is the debounce.
        """
        if delay:
            await asyncio.sleep(delay)
        self._generation += 1
        generation = self._generation
        search = as_you_type(text)
        if at_least is None:
            at_least = self._first_page(searching=search is not None)
        try:
            rows = await asyncio.to_thread(
                self.store.list_conversations, at_least, 0, search=search
            )
        except StoreError as error:
            self.notify(str(error), title="History", severity="error", markup=False)
            return
        if generation != self._generation or gone(self):
            return
        self.query_text = text
        self.exhausted = len(rows) < at_least
        self.loaded = True
        self.table.show(rows, searching=search is not None, keep=keep)
        self._refresh_view()
        if self._open_when_loaded:
            self._open_when_loaded = False
            self.action_open()

    def _first_page(self, *, searching: bool) -> int:
        """Rows enough to fill the table once: fewer rows, fewer search snippets to
        cut and rows to add before the first paint; the rest come as pages."""
        row_height = 2 if searching else 1
        visible = self.table.size.height // row_height if self.table.size.height else 0
        floor = FIRST_SEARCH_PAGE if searching else FIRST_PAGE
        return max(floor, visible + LOOKAHEAD + 2)

    def load_more(self) -> None:
        """Append the next page of the current list, unless one is on its way."""
        # Checked and set here, not in the worker: two calls in a row would otherwise
        # both start a worker before either had set the flag.
        if self._loading_more or self.exhausted or not self.loaded:
            return
        self._loading_more = True
        self._fetch_page(self._generation, self.table.row_count)

    @work(group="history-page")
    async def _fetch_page(self, generation: int, offset: int) -> None:
        try:
            rows = await asyncio.to_thread(
                self.store.list_conversations,
                PAGE_SIZE,
                offset,
                search=as_you_type(self.query_text),
            )
        except StoreError as error:
            self.notify(str(error), title="History", severity="error", markup=False)
            return
        finally:
            self._loading_more = False
        if generation != self._generation or gone(self):
            return
        self.exhausted = len(rows) < PAGE_SIZE
        self.table.append(rows)
        self._refresh_title()

    def _near_end(self) -> None:
        table = self.table
        if not self.exhausted and table.cursor_row >= table.row_count - LOOKAHEAD:
            # After the next paint: fetching a page (a thread holding the GIL) would
            # otherwise delay the rows the person is waiting to see.
            self.call_after_refresh(self.load_more)

    def _scrolled(self, scroll_y: float) -> None:
        # Counted in rows, not from max_scroll_y: that lags behind rows just appended.
        table = self.table
        row_height = 2 if table.searching else 1
        last_visible = int(scroll_y + table.size.height) // row_height
        if not self.exhausted and last_visible >= table.row_count - LOOKAHEAD:
            self.call_after_refresh(self.load_more)

    # --------------------------------------------------------------- display

    def _refresh_view(self) -> None:
        table = self.table
        empty = self.query_one("#history-empty", Static)
        nothing = self.loaded and table.row_count == 0
        table.display = not nothing
        empty.display = nothing
        if nothing:
            if self.query_text.strip():
                message = f"Nothing matches “{one_line(self.query_text.strip())}”"
                hint = "Every word must appear somewhere in a conversation: try fewer words."
            else:
                message = "No conversations yet"
                hint = "Conversations appear here as soon as you send a prompt."
            empty.update(Group(Text(message, style="bold"), Text(hint, style="dim")))
        self._refresh_title()
        self._show_detail()
        self.refresh_bindings()

    def _refresh_title(self) -> None:
        count = self.table.row_count
        more = "" if self.exhausted else "+"
        if not self.loaded:
            detail = "loading…"
        elif self.query_text.strip():
            detail = f"{count:,}{more} {'match' if count == 1 and not more else 'matches'}"
        else:
            noun = "conversation" if count == 1 and not more else "conversations"
            detail = f"{count:,}{more} {noun}"
        title = Text.assemble(("History", "bold"), ("  ·  " + detail, "dim"))
        # The search box's own bindings hide these keys from the footer.
        searching = isinstance(self.focused, Input)
        hint = Text("↓ the list · enter open · esc back" if searching else "", style="dim")
        line = Table.grid(expand=True)
        line.add_column(ratio=1)
        line.add_column(justify="right")
        line.add_row(title, hint)
        self.query_one("#history-title", Static).update(line)

    @on(DataTable.RowHighlighted, "#history-table")
    def _highlighted(self) -> None:
        self._show_detail()
        self._near_end()

    def _show_detail(self) -> None:
        self.query_one(ConversationDetail).show(self.table.highlighted)

    # ---------------------------------------------------------------- focus

    @on(events.DescendantFocus)
    def _focus_moved(self) -> None:
        self._refresh_title()

    def action_focus_search(self) -> None:
        self.query_one("#history-search", Input).focus()

    def action_focus_table(self) -> None:
        if self.table.display:
            self.table.focus()

    @on(HistoryTable.LeftTop)
    def _left_top(self) -> None:
        self.action_focus_search()

    @on(Input.Submitted, "#history-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if event.value == self.query_text:
            self.action_open()
        else:
            # Typed faster than the search pause: open the first match of what was typed,
            # not the first row of the previous results.
            self._open_when_loaded = True
            self.load(event.value)

    @on(DataTable.RowSelected, "#history-table")
    def _row_clicked(self) -> None:
        # A click on the highlighted row (Enter is bound to open directly).
        self.action_open()

    # -------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "rename", "delete", "pin", "export"):
            return True if self.table.highlighted is not None else None
        return True

    def action_back(self) -> None:
        if self._deleted_current and self.current_conversation_id is not None:
            self.dismiss(HistoryResult("deleted-current", self.current_conversation_id))
        else:
            self.dismiss(None)

    def action_open(self) -> None:
        conversation = self.table.highlighted
        if conversation is not None:
            self.dismiss(HistoryResult("open", conversation.id))

    def action_rename(self) -> None:
        conversation = self.table.highlighted
        if conversation is None:
            return

        def renamed(title: str | None) -> None:
            if title and title != conversation.title:
                self._rename(conversation.id, title)

        self.app.push_screen(TextPromptScreen("Rename conversation", conversation.title), renamed)

    @work(group="history-change")
    async def _rename(self, conversation_id: int, title: str) -> None:
        try:
            await asyncio.to_thread(self.store.rename, conversation_id, title)
        except StoreError as error:
            self.notify(str(error), title="Not renamed", severity="error", markup=False)
            return
        if not gone(self):
            await self._reread(conversation_id)

    def action_delete(self) -> None:
        conversation = self.table.highlighted
        if conversation is None:
            return
        question = Text.assemble("Delete “", one_line(conversation.title), "”?")
        detail = (
            f"Its {counted(conversation.turn_count, 'turn')} and "
            f"{counted(conversation.event_count, 'event')} are removed from this computer. "
            "This cannot be undone."
        )

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._delete(conversation)

        self.app.push_screen(ConfirmScreen(question, "Delete", detail=detail), answered)

    @work(group="history-change")
    async def _delete(self, conversation: Conversation) -> None:
        try:
            await asyncio.to_thread(self.store.delete, conversation.id)
        except StoreError as error:
            self.notify(str(error), title="Not deleted", severity="error", markup=False)
            return
        if gone(self):
            return
        if conversation.id == self.current_conversation_id:
            self._deleted_current = True
        self.table.discard(conversation.id)
        self._refresh_view()
        self.notify(f"Deleted “{one_line(conversation.title)}”.", timeout=3, markup=False)

    def action_pin(self) -> None:
        conversation = self.table.highlighted
        if conversation is not None:
            self._pin(conversation.id, not conversation.pinned)

    @work(group="history-change")
    async def _pin(self, conversation_id: int, pinned: bool) -> None:
        try:
            await asyncio.to_thread(self.store.set_pinned, conversation_id, pinned)
        except StoreError as error:
            self.notify(str(error), title="Not pinned", severity="error", markup=False)
            return
        if gone(self):
            return
        if self.table.searching:
            # Search results are in match order, which a pin does not change.
            await self._reread(conversation_id)
        else:
            # The row moves to (or out of) the pinned group: list again, cursor on it.
            at_least = max(PAGE_SIZE, self.table.row_count)
            self.load(self.query_text, keep=conversation_id, at_least=at_least)

    async def _reread(self, conversation_id: int) -> None:
        conversation = await asyncio.to_thread(self.store.get_conversation, conversation_id)
        if gone(self):
            return
        if conversation is None:
            self.table.discard(conversation_id)
            self._refresh_view()
        else:
            self.table.update(conversation)
            self._show_detail()

    def action_export(self) -> None:
        conversation = self.table.highlighted
        if conversation is None:
            return
        from robotui.tui.screens.export import ExportScreen

        def exported(path: object) -> None:
            if path is not None:
                self.notify(f"Exported to {path}", title="Export", markup=False)

        self.app.push_screen(
            ExportScreen(self.store, conversation.id, conversation.title, self.export_directory),
            exported,
        )

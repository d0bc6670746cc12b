"""The history list: one row per conversation, the title column taking the spare width.

Rows are keyed by the conversation id (as text). In search mode each row is two
lines high, the second showing where the search matched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist, RowKey

from robotui.store import Conversation
from robotui.textsafe import one_line
from robotui.tui import format as fmt

PIN_MARK = "★"


@dataclass(frozen=True, slots=True)
class _Column:
    key: str
    label: str
    width: int
    right: bool = False


# The title column is left out: it gets whatever width remains.
_FIXED = (
    _Column("agent", "Agent", 18),
    _Column("activity", "Last activity", 13),
    _Column("turns", "Turns", 5, right=True),
    _Column("events", "Events", 6, right=True),
)
_PIN = _Column("pin", "", 1)
MIN_TITLE_WIDTH = 20
# Narrower than this, the turn and event counts (the detail below shows them too)
# give their width to the title.
COUNTS_MIN_WIDTH = 100


def _fixed_columns(total: int) -> tuple[_Column, ...]:
    return _FIXED if total >= COUNTS_MIN_WIDTH else _FIXED[:2]


def marked(snippet: str, match: Style, rest: Style) -> Text:
    """A search snippet with the words between « and » styled as matches."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for index, part in enumerate(one_line(snippet).replace("»", "«").split("«")):
        text.append(part, style=match if index % 2 else rest)
    return text


class HistoryTable(DataTable[Text]):
    """Conversations, newest first; the screen loads them and acts on them."""

    COMPONENT_CLASSES = {
        "history-table--pinned",
        "history-table--muted",
        "history-table--match",
        "history-table--current",
    }
    BINDINGS = [
        Binding("enter", "screen.open", "Open", id="history.open"),
        Binding("r,f2", "screen.rename", "Rename", id="history.rename"),
        Binding("d,delete", "screen.delete", "Delete", id="history.delete"),
        Binding("p", "screen.pin", "Pin/unpin", id="history.pin"),
        Binding("e", "screen.export", "Export", id="history.export"),
        Binding("home", "scroll_top", "First conversation", show=False),
        Binding("end", "scroll_bottom", "Last conversation", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
    ]

    class LeftTop(Message):
        """Up was pressed on the first row: the search box is above."""

    def __init__(self, current_conversation_id: int | None = None, *, id: str | None = None):
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.current_conversation_id = current_conversation_id
        self.conversations: dict[int, Conversation] = {}
        self.searching = False
        self._title_width = 0
        self._fixed = _FIXED

    # --------------------------------------------------------------- layout

    def on_mount(self) -> None:
        self._set_columns(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        if self._fitting_title_width(event.size.width) != self._title_width:
            # DataTable has no public way to resize a column: rebuild from our records.
            keep = self.highlighted
            self._set_columns(event.size.width)
            self._add_rows(list(self.conversations.values()))
            self._restore_cursor(keep.id if keep else None, 0)

    def _fitting_title_width(self, total: int) -> int:
        padding = 2 * self.cell_padding
        fixed = sum(column.width + padding for column in (_PIN, *_fixed_columns(total)))
        scrollbar = self.styles.scrollbar_size_vertical
        return max(MIN_TITLE_WIDTH, total - fixed - padding - scrollbar)

    def _set_columns(self, total: int) -> None:
        """The columns for a table `total` cells wide, the title taking what is left."""
        self._title_width = self._fitting_title_width(total)
        self._fixed = _fixed_columns(total)
        self.clear(columns=True)
        self.add_column(_PIN.label, width=_PIN.width, key=_PIN.key)
        self.add_column("Title", width=self._title_width, key="title")
        for column in self._fixed:
            label = Text(column.label, justify="right" if column.right else "left")
            self.add_column(label, width=column.width, key=column.key)

    # ----------------------------------------------------------------- rows

    def show(
        self, conversations: list[Conversation], *, searching: bool, keep: int | None = None
    ) -> None:
        """Replace every row; the cursor stays on `keep` if it is still listed."""
        index = self.cursor_row
        self.searching = searching
        self.clear()
        self.conversations.clear()
        self.append(conversations)
        self._restore_cursor(keep, index if keep is not None else 0)

    def append(self, conversations: list[Conversation]) -> int:
        """Add rows at the bottom (skipping any already listed); how many were new."""
        fresh = [item for item in conversations if item.id not in self.conversations]
        for conversation in fresh:
            self.conversations[conversation.id] = conversation
        self._add_rows(fresh)
        return len(fresh)

    def _add_rows(self, conversations: list[Conversation]) -> None:
        height = 2 if self.searching else 1
        for conversation in conversations:
            self.add_row(*self._cells(conversation), key=str(conversation.id), height=height)

    def update(self, conversation: Conversation) -> None:
        """Show new details (a title, a pin) of a listed conversation in place."""
        if conversation.id not in self.conversations:
            return
        previous = self.conversations[conversation.id]
        if self.searching and conversation.snippet is None:
            conversation = replace(conversation, snippet=previous.snippet)
        self.conversations[conversation.id] = conversation
        row = str(conversation.id)
        cells = self._cells(conversation)
        keys = [_PIN.key, "title", *(column.key for column in self._fixed)]
        for key, cell in zip(keys, cells, strict=True):
            self.update_cell(row, key, cell)

    def discard(self, conversation_id: int) -> None:
        """Remove a conversation's row, if listed."""
        self.conversations.pop(conversation_id, None)
        try:
            self.remove_row(str(conversation_id))
        except RowDoesNotExist:
            return

    @property
    def highlighted(self) -> Conversation | None:
        """The conversation under the cursor."""
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except RowDoesNotExist:
            return None
        return self.conversations.get(int(key.value or 0))

    def _restore_cursor(self, conversation_id: int | None, fallback: int) -> None:
        if not self.row_count:
            return
        row = fallback
        if conversation_id is not None and conversation_id in self.conversations:
            row = self.get_row_index(RowKey(str(conversation_id)))
        self.move_cursor(row=min(row, self.row_count - 1), animate=False, scroll=True)

    def _style(self, name: str) -> Style:
        # Foreground only: a background would hide the zebra stripes and the cursor.
        # (partial=True would keep the background out too, but cannot blend a
        # translucent colour such as $text-muted without one.)
        full = self.get_component_rich_style(f"history-table--{name}")
        return Style(color=full.color, bold=full.bold, italic=full.italic, underline=full.underline)

    def _cells(self, conversation: Conversation) -> list[Text]:
        muted = self._style("muted")
        pin = Text(PIN_MARK if conversation.pinned else "", style=self._style("pinned"))
        title = Text(one_line(conversation.title), no_wrap=True, overflow="ellipsis")
        if conversation.id == self.current_conversation_id:
            title.append("  (open now)", style=self._style("current"))
        if self.searching:
            match = self._style("match")
            title.append("\n")
            title.append_text(marked(conversation.snippet or "", match, muted))
        agent = Text(one_line(conversation.agent), style=muted, no_wrap=True, overflow="ellipsis")
        cells = {
            "agent": agent,
            "activity": Text(fmt.when(conversation.updated_at), no_wrap=True),
            "turns": Text(f"{conversation.turn_count:,}", justify="right", style=muted),
            "events": Text(f"{conversation.event_count:,}", justify="right", style=muted),
        }
        return [pin, title, *(cells[column.key] for column in self._fixed)]

    # ------------------------------------------------------------- movement

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.post_message(self.LeftTop())
            return
        super().action_cursor_up()

"""The history screen's preview of the highlighted conversation, first prompt included."""

from __future__ import annotations

import asyncio
from datetime import datetime

from rich.console import Group
from rich.text import Text
from textual import work
from textual.widgets import Static

from robotui.store import Conversation, HistoryStore, StoreError
from robotui.tui import format as fmt
from robotui.tui.widgets.history_table import PIN_MARK, one_line

# A short pause before reading a first prompt, so holding an arrow key down does
# not read every conversation it passes.
PREVIEW_DELAY = 0.05


def counted(number: int, noun: str) -> str:
    """ "1 turn", "1,204 events"."""
    return f"{number:,} {noun}{'s' * (number != 1)}"


def full_date(moment: datetime) -> str:
    """ "3 Mar 2025 14:02", in local time."""
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


class ConversationDetail(Static):
    """Title, agent, server, times, counts and the first prompt of one conversation."""

    def __init__(self, store: HistoryStore, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.store = store
        self.conversation: Conversation | None = None
        self.first_prompts: dict[int, str] = {}

    def show(self, conversation: Conversation | None) -> None:
        """Describe `conversation` (None hides the pane); its first prompt follows shortly."""
        self.conversation = conversation
        self.display = conversation is not None
        if conversation is None:
            self.update("")
            return
        self.update(self._describe(conversation))
        if conversation.id not in self.first_prompts:
            self._load_first_prompt(conversation.id)

    def _describe(self, conversation: Conversation) -> Group:
        title = Text(one_line(conversation.title), style="bold", no_wrap=True, overflow="ellipsis")
        if conversation.pinned:
            title.append(f"  {PIN_MARK} pinned", style="not bold")
        origin = Text(one_line(conversation.agent or "no agent"), no_wrap=True, overflow="ellipsis")
        server = conversation.server.removeprefix("https://").removeprefix("http://")
        if server:
            origin.append(f"  ·  {one_line(server)}", style="dim")
        times = Text(
            f"Started {full_date(conversation.created_at)}  ·  "
            f"last activity {fmt.when(conversation.updated_at)}  ·  "
            f"{counted(conversation.turn_count, 'turn')}, "
            f"{counted(conversation.event_count, 'event')}",
            style="dim",
            no_wrap=True,
            overflow="ellipsis",
        )
        prompt = self.first_prompts.get(conversation.id, "")
        first = Text(
            f"› {one_line(prompt)}" if prompt else "",
            style="italic",
            no_wrap=True,
            overflow="ellipsis",
        )
        return Group(title, origin, times, first)

    @work(exclusive=True, group="history-detail")
    async def _load_first_prompt(self, conversation_id: int) -> None:
        await asyncio.sleep(PREVIEW_DELAY)
        try:
            turns = await asyncio.to_thread(self.store.turns, conversation_id)
        except StoreError:
            return  # a preview is a nicety: the rest of the pane is still right
        self.first_prompts[conversation_id] = turns[0].prompt if turns else ""
        if self.conversation is not None and self.conversation.id == conversation_id:
            self.update(self._describe(self.conversation))

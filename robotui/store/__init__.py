"""Conversation history: a crash-safe SQLite store with search, export and import.

    from robotui.store import HistoryStore, title_from_prompt

    with HistoryStore.open() as store:
        conversation = store.create_conversation(title_from_prompt(prompt), agent, server)
        turn = store.begin_turn(conversation.id, prompt, agent)
        store.append_event(turn.id, event)   # for each event as it arrives
        store.end_turn(turn.id, "complete")

`record_turn()` wraps the last three lines for a streaming loop. Nothing here
imports Textual or the client's network code.
"""

from robotui.store.history import DATABASE_NAME, HistoryStore, default_path
from robotui.store.models import (
    Conversation,
    ConversationNotFound,
    SearchHit,
    StoredEvent,
    StoreError,
    Turn,
    TurnNotFound,
    TurnStatus,
    title_from_prompt,
)
from robotui.store.recorder import TurnRecorder, record_turn

__all__ = [
    "DATABASE_NAME",
    "Conversation",
    "ConversationNotFound",
    "HistoryStore",
    "SearchHit",
    "StoreError",
    "StoredEvent",
    "Turn",
    "TurnNotFound",
    "TurnRecorder",
    "TurnStatus",
    "default_path",
    "record_turn",
    "title_from_prompt",
]

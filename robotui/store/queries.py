"""The SQL of the history store, one function per question or change.

Functions that change things run inside the writer's transaction (see
`writer.py`); functions that read run inside a read snapshot (see `reading.py`).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from robotui.client.events import parse_event
from robotui.store.models import (
    UNTITLED,
    Conversation,
    ConversationNotFound,
    StoredEvent,
    Turn,
    clean_title,
    now_text,
)
from robotui.store.process import current_writer, writer_alive
from robotui.store.reading import (
    CONVERSATION_COLUMNS,
    EVENT_COLUMNS,
    TURN_COLUMNS,
    conversation_from_row,
    event_from_row,
    turn_from_row,
)
from robotui.store.schema import write_transaction
from robotui.store.search import prompt_body
from robotui.store.writer import INSERT_EVENT, INSERT_SEARCH, event_rows

if TYPE_CHECKING:
    from robotui.store.transfer import ImportPlan

INTERRUPTED_ERROR = "the process recording this turn ended before the turn finished"
_SETTABLE = frozenset({"pinned", "archived", "session_id", "agent"})

# ----------------------------------------------------------------- turns


def _interrupt(db: sqlite3.Connection, turn_ids: list[int]) -> None:
    for turn_id in turn_ids:
        # Ended when its last event arrived: that is when the writer was last heard from.
        db.execute(
            "UPDATE turns SET status = 'interrupted', error = ?, ended_at = coalesce("
            "(SELECT max(received_at) FROM events WHERE turn_id = turns.id), started_at) "
            "WHERE id = ? AND status = 'running'",
            (INTERRUPTED_ERROR, turn_id),
        )


def interrupt_orphaned_turns(db: sqlite3.Connection) -> list[int]:
    """Mark 'interrupted' the running turns whose writing process is gone; their ids."""
    query = "SELECT id, writer_pid, writer_host, writer_mark FROM turns WHERE status = 'running'"
    if not db.execute(query).fetchone():
        return []
    with write_transaction(db):
        orphans = [
            turn_id
            for turn_id, pid, host, mark in db.execute(query).fetchall()
            if not writer_alive(pid, host, mark)
        ]
        _interrupt(db, orphans)
    return orphans


def interrupt_turns(db: sqlite3.Connection, turn_ids: list[int]) -> None:
    """Mark these turns 'interrupted' if they are still running."""
    _interrupt(db, turn_ids)


def begin_turn(db: sqlite3.Connection, conversation_id: int, prompt: str, agent: str) -> Turn:
    """Insert a running turn written by this process; the conversation takes `agent`."""
    now = now_text()
    updated = db.execute(
        "UPDATE conversations SET turn_count = turn_count + 1, agent = ?, "
        "updated_at = max(updated_at, ?) WHERE id = ?",
        (agent, now, conversation_id),
    )
    if updated.rowcount == 0:
        raise ConversationNotFound(conversation_id)
    (seq,) = db.execute(
        "SELECT coalesce(max(seq), 0) + 1 FROM turns WHERE conversation_id = ?",
        (conversation_id,),
    ).fetchone()
    me = current_writer()
    cursor = db.execute(
        "INSERT INTO turns (conversation_id, seq, prompt, agent, status, started_at, "
        "writer_pid, writer_host, writer_mark) VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)",
        (conversation_id, seq, prompt, agent, now, me.pid, me.host, me.mark),
    )
    turn_id = int(cursor.lastrowid or 0)
    if prompt.strip():
        db.execute(INSERT_SEARCH, (conversation_id, turn_id, None, "prompt", prompt_body(prompt)))
    return get_turn(db, turn_id) or _missing_turn(turn_id)


def _missing_turn(turn_id: int) -> Turn:
    raise AssertionError(f"turn {turn_id} vanished inside its own transaction")


def end_turn(db: sqlite3.Connection, turn_id: int, status: str, error: str | None) -> None:
    """Set a turn's final status; a turn that no longer exists is ignored."""
    now = now_text()
    db.execute(
        "UPDATE turns SET status = ?, error = ?, ended_at = ? WHERE id = ?",
        (status, error, now, turn_id),
    )
    db.execute(
        "UPDATE conversations SET updated_at = max(updated_at, ?) "
        "WHERE id = (SELECT conversation_id FROM turns WHERE id = ?)",
        (now, turn_id),
    )


def get_turn(db: sqlite3.Connection, turn_id: int) -> Turn | None:
    """The turn with this id, or None."""
    row = db.execute(f"SELECT {TURN_COLUMNS} FROM turns WHERE id = ?", (turn_id,)).fetchone()
    return turn_from_row(row) if row else None


def turns(db: sqlite3.Connection, conversation_id: int) -> list[Turn]:
    """The turns of a conversation in order."""
    rows = db.execute(
        f"SELECT {TURN_COLUMNS} FROM turns WHERE conversation_id = ? ORDER BY seq",
        (conversation_id,),
    )
    return [turn_from_row(row) for row in rows]


# --------------------------------------------------------- conversations


def create_conversation(
    db: sqlite3.Connection, title: str, agent: str, server: str, session_id: str | None
) -> Conversation:
    """Insert an empty conversation; an empty title becomes "Untitled conversation"."""
    title = clean_title(title) if title.strip() else UNTITLED
    now = now_text()
    cursor = db.execute(
        "INSERT INTO conversations (title, agent, server, session_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (title, agent, server, session_id, now, now),
    )
    return _get_or_raise(db, int(cursor.lastrowid or 0))


def _get_or_raise(db: sqlite3.Connection, conversation_id: int) -> Conversation:
    conversation = get_conversation(db, conversation_id)
    if conversation is None:
        raise ConversationNotFound(conversation_id)
    return conversation


def update_title(db: sqlite3.Connection, conversation_id: int, title: str) -> None:
    """Rename; raises StoreError for an empty or overlong title, ConversationNotFound."""
    cursor = db.execute(
        "UPDATE conversations SET title = ? WHERE id = ?", (clean_title(title), conversation_id)
    )
    if cursor.rowcount == 0:
        raise ConversationNotFound(conversation_id)


def set_column(db: sqlite3.Connection, conversation_id: int, column: str, value: object) -> None:
    """Set one of pinned, archived, session_id, agent; raises ConversationNotFound."""
    if column not in _SETTABLE:
        raise ValueError(column)
    cursor = db.execute(
        f"UPDATE conversations SET {column} = ? WHERE id = ?", (value, conversation_id)
    )
    if cursor.rowcount == 0:
        raise ConversationNotFound(conversation_id)


def delete_conversation(db: sqlite3.Connection, conversation_id: int) -> None:
    """Delete a conversation; foreign keys cascade to turns, events and search text."""
    cursor = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
    if cursor.rowcount == 0:
        raise ConversationNotFound(conversation_id)


def get_conversation(db: sqlite3.Connection, conversation_id: int) -> Conversation | None:
    """The conversation with this id, or None."""
    row = db.execute(
        f"SELECT {CONVERSATION_COLUMNS} FROM conversations AS c WHERE c.id = ?",
        (conversation_id,),
    ).fetchone()
    return conversation_from_row(row) if row else None


def latest_conversation(db: sqlite3.Connection) -> Conversation | None:
    """The unarchived conversation with the most recent activity, or None."""
    row = db.execute(
        f"SELECT {CONVERSATION_COLUMNS} FROM conversations AS c WHERE c.archived = 0 "
        "ORDER BY c.updated_at DESC, c.id DESC LIMIT 1"
    ).fetchone()
    return conversation_from_row(row) if row else None


def list_conversations(
    db: sqlite3.Connection, limit: int, offset: int, include_archived: bool
) -> list[Conversation]:
    """Pinned first, then newest activity first; read off `conversations_recent`."""
    where = "" if include_archived else "WHERE c.archived = 0"
    rows = db.execute(
        f"SELECT {CONVERSATION_COLUMNS} FROM conversations AS c {where} "
        "ORDER BY c.pinned DESC, c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?",
        (max(limit, 0), max(offset, 0)),
    )
    return [conversation_from_row(row) for row in rows]


# ----------------------------------------------------------------- search


# ----------------------------------------------------------------- events


def events(
    db: sqlite3.Connection,
    conversation_id: int,
    turn_id: int | None,
    after: int | None,
    limit: int | None,
) -> list[StoredEvent]:
    """Events in `seq` order, optionally of one turn, after a `seq`, at most `limit`."""
    clauses = ["conversation_id = ?"]
    values: list[object] = [conversation_id]
    if turn_id is not None:
        clauses.append("turn_id = ?")
        values.append(turn_id)
    if after is not None:
        clauses.append("seq > ?")
        values.append(after)
    values.append(-1 if limit is None else max(limit, 0))
    rows = db.execute(
        f"SELECT {EVENT_COLUMNS} FROM events WHERE {' AND '.join(clauses)} ORDER BY seq LIMIT ?",
        values,
    )
    return [event_from_row(row) for row in rows]


def turn_events(
    db: sqlite3.Connection, conversation_id: int
) -> list[tuple[Turn, list[StoredEvent]]]:
    """Every turn of a conversation with its events, for export."""
    by_turn: dict[int, list[StoredEvent]] = {}
    for event in events(db, conversation_id, None, None, None):
        by_turn.setdefault(event.turn_id, []).append(event)
    return [(turn, by_turn.get(turn.id, [])) for turn in turns(db, conversation_id)]


# ----------------------------------------------------------------- import


def insert_imported(db: sqlite3.Connection, plan: ImportPlan) -> Conversation:
    """Insert an import as a new conversation (new ids; nothing is ever replaced)."""
    header = plan.conversation
    cursor = db.execute(
        "INSERT INTO conversations (title, agent, server, session_id, created_at, updated_at, "
        "pinned, archived, turn_count, event_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            header.title,
            header.agent,
            header.server,
            header.session_id,
            header.created_at,
            header.updated_at,
            int(header.pinned),
            int(header.archived),
            len(plan.turns),
            sum(len(turn.events) for turn in plan.turns),
        ),
    )
    conversation_id = int(cursor.lastrowid or 0)
    seq = 0
    for number, turn in enumerate(plan.turns, start=1):
        cursor = db.execute(
            "INSERT INTO turns (conversation_id, seq, prompt, agent, status, error, "
            "started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                conversation_id,
                number,
                turn.prompt,
                turn.agent,
                turn.status,
                turn.error,
                turn.started_at,
                turn.ended_at,
            ),
        )
        turn_id = int(cursor.lastrowid or 0)
        if turn.prompt.strip():
            body = prompt_body(turn.prompt)
            db.execute(INSERT_SEARCH, (conversation_id, turn_id, None, "prompt", body))
        for raw, received_at in turn.events:
            seq += 1
            row, search = event_rows(conversation_id, turn_id, seq, parse_event(raw), received_at)
            db.execute(INSERT_EVENT, row)
            if search is not None:
                db.execute(INSERT_SEARCH, search)
    return _get_or_raise(db, conversation_id)

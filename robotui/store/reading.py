"""Read connections, and rows turned into records.

Reads never queue behind the writer: WAL lets any number of readers see the
last committed state while a write is in progress. Connections are pooled
rather than kept per thread, because Textual starts a new thread per worker.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from robotui.client.events import parse_event
from robotui.store.models import Conversation, StoredEvent, StoreError, Turn, TurnStatus, parse_time
from robotui.store.schema import connect

CONVERSATION_COLUMNS = (
    "c.id, c.title, c.agent, c.server, c.session_id, c.created_at, c.updated_at, "
    "c.pinned, c.archived, c.turn_count, c.event_count"
)
TURN_COLUMNS = "id, conversation_id, seq, prompt, agent, status, error, started_at, ended_at"
EVENT_COLUMNS = "id, conversation_id, turn_id, seq, kind, source, timestamp, received_at, raw"


class ReadPool:
    """Idle read-only connections, handed out one per `with pool.snapshot()`."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A connection inside a read transaction: every query sees the same state."""
        with self._lock:
            if self._closed:
                raise StoreError("the history store is closed")
            connection = self._idle.pop() if self._idle else None
        if connection is None:
            connection = connect(self._path, read_only=True)
        try:
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(f"cannot read the history: {error}") from None
        finally:
            with self._lock:
                if self._closed:
                    connection.close()
                else:
                    self._idle.append(connection)

    def close(self) -> None:
        """Close the idle connections; ones in use close when they are returned."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def conversation_from_row(row: tuple[object, ...], snippet: str | None = None) -> Conversation:
    """A `Conversation` from a row of `CONVERSATION_COLUMNS`."""
    return Conversation(
        id=cast(int, row[0]),
        title=cast(str, row[1]),
        agent=cast(str, row[2]),
        server=cast(str, row[3]),
        session_id=cast("str | None", row[4]),
        created_at=parse_time(cast(str, row[5])),
        updated_at=parse_time(cast(str, row[6])),
        pinned=bool(row[7]),
        archived=bool(row[8]),
        turn_count=cast(int, row[9]),
        event_count=cast(int, row[10]),
        snippet=snippet,
    )


def turn_from_row(row: tuple[object, ...]) -> Turn:
    """A `Turn` from a row of `TURN_COLUMNS`."""
    ended = cast("str | None", row[8])
    return Turn(
        id=cast(int, row[0]),
        conversation_id=cast(int, row[1]),
        seq=cast(int, row[2]),
        prompt=cast(str, row[3]),
        agent=cast(str, row[4]),
        status=cast(TurnStatus, row[5]),
        error=cast("str | None", row[6]),
        started_at=parse_time(cast(str, row[7])),
        ended_at=parse_time(ended) if ended else None,
    )


def raw_from_text(text: str) -> dict[str, object]:
    """The stored raw JSON of an event; a damaged row reads as an empty object."""
    try:
        raw = json.loads(text)
    except ValueError:
        return {}
    return raw if isinstance(raw, dict) else {}


def event_from_row(row: tuple[object, ...]) -> StoredEvent:
    """A `StoredEvent` from a row of `EVENT_COLUMNS`, typed again via `parse_event`."""
    return StoredEvent(
        id=cast(int, row[0]),
        conversation_id=cast(int, row[1]),
        turn_id=cast(int, row[2]),
        seq=cast(int, row[3]),
        kind=cast(str, row[4]),
        source=cast(str, row[5]),
        timestamp=cast(str, row[6]),
        received_at=parse_time(cast(str, row[7])),
        event=parse_event(raw_from_text(cast(str, row[8]))),
    )

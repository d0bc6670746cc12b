"""`HistoryStore`: every conversation with an agent, kept in SQLite as it streams.

    store = HistoryStore.open()
    conversation = store.create_conversation(title_from_prompt(prompt), agent, server)
    turn = store.begin_turn(conversation.id, prompt, agent)
    for event in stream:
        store.append_event(turn.id, event)      # queued; committed within ~100 ms
    store.end_turn(turn.id, "complete")         # flushes the turn's events first

Thread-safe: any thread may call any method. Writes go through one writer thread
(see `writer.py`); reads use pooled read-only connections (see `reading.py`).
Two processes may use the same database at once.
"""

from __future__ import annotations

import atexit
import contextlib
import sqlite3
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from robotui.client.events import Event
from robotui.store import queries, searching
from robotui.store.models import (
    ENDED_STATUSES,
    Conversation,
    ConversationNotFound,
    SearchHit,
    StoredEvent,
    StoreError,
    Turn,
    TurnStatus,
)
from robotui.store.reading import ReadPool
from robotui.store.recorder import TurnRecorder, record_turn
from robotui.store.schema import connect, create_private_file, prepare
from robotui.store.writer import DEFAULT_BATCH_WINDOW, Writer

T = TypeVar("T")

DATABASE_NAME = "history.db"

_open_stores: weakref.WeakSet[HistoryStore] = weakref.WeakSet()


@atexit.register
def _close_open_stores() -> None:
    # The writer is a daemon thread; without this, events still queued at exit
    # would be lost when the interpreter stops it.
    for store in list(_open_stores):
        store.close()


def default_path() -> Path:
    """`config.data_dir() / "history.db"`."""
    from robotui.config import data_dir

    return data_dir() / DATABASE_NAME


class HistoryStore:
    """Conversations, their turns and events; search, import and export."""

    def __init__(self, path: Path, connection: sqlite3.Connection, batch_window: float) -> None:
        """Use `HistoryStore.open()`."""
        self.path = path
        self._reads = ReadPool(path)
        self._writer = Writer(connection, batch_window=batch_window)
        self._connection = connection
        self._open_turns: set[int] = set()
        self._lock = threading.Lock()
        self._closed = False
        _open_stores.add(self)

    @classmethod
    def open(
        cls, path: Path | None = None, *, batch_window: float = DEFAULT_BATCH_WINDOW
    ) -> HistoryStore:
        """Open (creating if needed) the history database at `path`.

        Default path: `config.data_dir()/history.db`. A new directory is 0700 and
        the file 0600. The schema is migrated to the current version, and turns
        left 'running' by processes that no longer exist are marked 'interrupted'.
        Raises StoreError if the file cannot be used.
        """
        path = Path(path) if path is not None else default_path()
        create_private_file(path)
        connection = connect(path)
        try:
            prepare(connection, path)
            queries.interrupt_orphaned_turns(connection)
        except BaseException:
            connection.close()
            raise
        return cls(path, connection, batch_window)

    def close(self) -> None:
        """Commit everything queued and close. Turns this store began and never
        ended are marked 'interrupted'. Closing twice is harmless."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            open_turns = sorted(self._open_turns)
        try:
            if open_turns:
                self._writer.call(lambda db: queries.interrupt_turns(db, open_turns))
        finally:
            self._writer.stop()
            self._connection.close()
            self._reads.close()
            _open_stores.discard(self)

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------- writing

    def _write(self, action: Callable[[sqlite3.Connection], T]) -> T:
        if self._closed:
            raise StoreError("the history store is closed")
        try:
            return self._writer.call(action)
        except sqlite3.Error as error:
            raise StoreError(f"cannot write the history: {error}") from None

    def create_conversation(
        self, title: str, agent: str, server: str, session_id: str | None = None
    ) -> Conversation:
        """A new, empty conversation. Derive `title` with `title_from_prompt()`."""
        return self._write(
            lambda db: queries.create_conversation(db, title, agent, server, session_id)
        )

    def rename(self, conversation_id: int, title: str) -> None:
        """Give a conversation a new title (one line, at most 200 characters)."""
        self._write(lambda db: queries.update_title(db, conversation_id, title))

    def delete(self, conversation_id: int) -> None:
        """Delete a conversation with its turns, events and search entries."""
        self._write(lambda db: queries.delete_conversation(db, conversation_id))

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        """Pinned conversations are listed first."""
        self._write(lambda db: queries.set_column(db, conversation_id, "pinned", int(pinned)))

    def set_archived(self, conversation_id: int, archived: bool) -> None:
        """Archived conversations are left out of lists unless asked for."""
        self._write(lambda db: queries.set_column(db, conversation_id, "archived", int(archived)))

    def set_session_id(self, conversation_id: int, session_id: str | None) -> None:
        """The Robocoders session that remembers this conversation."""
        self._write(lambda db: queries.set_column(db, conversation_id, "session_id", session_id))

    def set_agent(self, conversation_id: int, agent: str) -> None:
        """The agent that answers this conversation from now on."""
        self._write(lambda db: queries.set_column(db, conversation_id, "agent", agent))

    def begin_turn(self, conversation_id: int, prompt: str, agent: str) -> Turn:
        """Start a turn ('running'), recording this process as its writer.

        The conversation's agent becomes `agent`. Raises ConversationNotFound.
        """
        turn = self._write(lambda db: queries.begin_turn(db, conversation_id, prompt, agent))
        with self._lock:
            self._open_turns.add(turn.id)
        return turn

    def append_event(self, turn_id: int, event: Event) -> None:
        """Queue one received event of a turn; committed within about 100 ms. Never blocks.

        The event's `raw` JSON is what is stored. Events of a turn whose
        conversation was deleted meanwhile are dropped.
        """
        if self._closed:
            raise StoreError("the history store is closed")
        self._writer.append(turn_id, event)

    def end_turn(self, turn_id: int, status: TurnStatus, error: str | None = None) -> None:
        """Commit the turn's queued events, then mark it ended with `status`.

        `status`: 'complete', 'waiting' (the agent awaits the user), 'cancelled',
        'error' (with `error` saying why) or 'interrupted'. A turn deleted
        meanwhile is ignored. Raises StoreError if queued events could not be saved.
        """
        if status not in ENDED_STATUSES:
            raise StoreError(f"a turn cannot end as {status!r}")
        self._write(lambda db: queries.end_turn(db, turn_id, status, error))
        with self._lock:
            self._open_turns.discard(turn_id)
        self._raise_failure()

    def flush(self) -> None:
        """Wait until everything queued so far is committed.

        Raises StoreError if some queued events could not be saved.
        """
        self._write(lambda db: None)
        self._raise_failure()

    def _raise_failure(self) -> None:
        failure = self._writer.take_failure()
        if failure is not None:
            raise StoreError(failure)

    def record_turn(
        self, conversation_id: int, prompt: str, agent: str
    ) -> contextlib.AbstractContextManager[TurnRecorder]:
        """`with store.record_turn(...) as turn: turn.add(event)`; see `recorder.py`."""
        return record_turn(self, conversation_id, prompt, agent)

    def import_document(self, document: Any, *, source: str = "") -> Conversation:
        """Import a JSON export or a g4f-style message list as a new conversation.

        `source` names where the document came from, for error messages. Raises
        StoreError naming the problem when the document has the wrong shape.
        """
        from robotui.store.transfer import parse_document

        plan = parse_document(document, source=source)
        return self._write(lambda db: queries.insert_imported(db, plan))

    def import_file(self, path: Path) -> Conversation:
        """Import the file at `path` (see `import_document`); never replaces anything."""
        from robotui.store.transfer import read_document

        return self.import_document(read_document(path), source=str(path))

    # ------------------------------------------------------------- reading

    def get_conversation(self, conversation_id: int) -> Conversation | None:
        """The conversation with this id, or None."""
        with self._reads.snapshot() as db:
            return queries.get_conversation(db, conversation_id)

    def latest_conversation(self) -> Conversation | None:
        """The conversation with the most recent activity (archived ones excluded)."""
        with self._reads.snapshot() as db:
            return queries.latest_conversation(db)

    def list_conversations(
        self,
        limit: int = 50,
        offset: int = 0,
        *,
        search: str | None = None,
        include_archived: bool = False,
    ) -> list[Conversation]:
        """Conversations, pinned first, then newest activity first.

        With `search`, the conversations that match, most recent match first,
        each with `snippet` set (see `search` for the syntax).
        """
        with self._reads.snapshot() as db:
            if search is None:
                return queries.list_conversations(db, limit, offset, include_archived)
            return searching.search_conversations(db, search, limit, offset, include_archived)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Prompts and events that match `text`, most recent first.

        Words must all appear; "quoted words" as a phrase; `word*` as a prefix.
        Any input is accepted: operators and punctuation are just text.
        """
        with self._reads.snapshot() as db:
            return searching.search_hits(db, text, limit)

    def get_turn(self, turn_id: int) -> Turn | None:
        """The turn with this id, or None."""
        with self._reads.snapshot() as db:
            return queries.get_turn(db, turn_id)

    def turns(self, conversation_id: int) -> list[Turn]:
        """The turns of a conversation, in order."""
        with self._reads.snapshot() as db:
            return queries.turns(db, conversation_id)

    def events(
        self,
        conversation_id: int,
        *,
        turn_id: int | None = None,
        after: int | None = None,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """Events of a conversation in order: those with `seq > after`, at most `limit`.

        Page through a long conversation with `after=page[-1].seq`.
        """
        with self._reads.snapshot() as db:
            return queries.events(db, conversation_id, turn_id, after, limit)

    def export_document(self, conversation_id: int) -> dict[str, Any]:
        """The lossless JSON export of a conversation. Raises ConversationNotFound."""
        from robotui.store.transfer import build_document

        with self._reads.snapshot() as db:
            conversation = queries.get_conversation(db, conversation_id)
            if conversation is None:
                raise ConversationNotFound(conversation_id)
            return build_document(conversation, queries.turn_events(db, conversation_id))

    def export_markdown(self, conversation_id: int) -> str:
        """A readable Markdown export of a conversation. Raises ConversationNotFound."""
        from robotui.store.markdown import render_conversation

        with self._reads.snapshot() as db:
            conversation = queries.get_conversation(db, conversation_id)
            if conversation is None:
                raise ConversationNotFound(conversation_id)
            return render_conversation(conversation, queries.turn_events(db, conversation_id))

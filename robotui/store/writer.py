"""The one thread that writes: a queue of jobs, events committed in small batches.

`append()` only queues, so the stream that produces events never waits for the
disk. The thread takes the first queued event, gathers what else arrives within
`batch_window` seconds (or until some other job comes, or `max_batch` events),
and commits them in one `BEGIN IMMEDIATE` transaction. Every other job (create a
conversation, begin or end a turn, a rename, a flush) runs in queue order, so a
turn's events are always committed before the turn is ended, and `flush()` is
simply a job that does nothing and waits its turn.
"""

from __future__ import annotations

import json
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from robotui.client import events as ev
from robotui.store.models import now_text
from robotui.store.schema import write_transaction
from robotui.store.search import search_body

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_BATCH_WINDOW = 0.05
MAX_BATCH = 500


@dataclass(frozen=True, slots=True)
class _Append:
    turn_id: int
    event: ev.Event
    received_at: str


@dataclass(frozen=True, slots=True)
class _Call:
    action: Callable[[sqlite3.Connection], Any]
    future: Future[Any]


_STOP = object()


class Writer:
    """Owns the write connection; everything that changes the database goes through it."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        *,
        batch_window: float = DEFAULT_BATCH_WINDOW,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._connection = connection
        self._batch_window = batch_window
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._failure: str | None = None
        self._failure_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="robotui-history", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------- callers

    def append(self, turn_id: int, event: ev.Event) -> None:
        """Queue one event of a turn; returns at once."""
        self._queue.put(_Append(turn_id, event, now_text()))

    def call(self, action: Callable[[sqlite3.Connection], T]) -> T:
        """Run `action(connection)` on the writer thread after everything queued; its result."""
        future: Future[T] = Future()
        self._queue.put(_Call(action, future))
        return future.result()

    def take_failure(self) -> str | None:
        """Why events could not be saved since the last call, if they could not."""
        with self._failure_lock:
            failure, self._failure = self._failure, None
        return failure

    def stop(self) -> None:
        """Commit what is queued, then end the thread."""
        self._queue.put(_STOP)
        self._thread.join()

    # --------------------------------------------------------------- thread

    def _run(self) -> None:
        waiting: object | None = None
        while True:
            job = waiting if waiting is not None else self._queue.get()
            waiting = None
            if job is _STOP:
                return
            if isinstance(job, _Call):
                self._run_call(job)
                continue
            assert isinstance(job, _Append)
            batch = [job]
            deadline = time.monotonic() + self._batch_window
            while len(batch) < self._max_batch:
                remaining = deadline - time.monotonic()
                try:
                    following = (
                        self._queue.get(timeout=remaining)
                        if remaining > 0
                        else self._queue.get_nowait()
                    )
                except queue.Empty:
                    break
                if isinstance(following, _Append):
                    batch.append(following)
                else:
                    waiting = following
                    break
            self._commit(batch)

    def _run_call(self, job: _Call) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        try:
            with write_transaction(self._connection):
                result = job.action(self._connection)
        except BaseException as error:
            job.future.set_exception(error)
        else:
            job.future.set_result(result)

    def _commit(self, batch: list[_Append]) -> None:
        try:
            with write_transaction(self._connection):
                insert_events(self._connection, batch)
        except Exception as error:
            # The stream must go on; the loss is reported at the next flush or end_turn.
            log.warning("could not save %d events: %s", len(batch), error)
            with self._failure_lock:
                self._failure = f"could not save {len(batch)} events to the history: {error}"


def event_rows(
    conversation_id: int, turn_id: int, seq: int, event: ev.Event, received_at: str
) -> tuple[tuple[object, ...], tuple[object, ...] | None]:
    """The `events` row of one event, and its `search_text` row (None if nothing to index)."""
    raw = json.dumps(dict(event.raw) or event.to_json(), ensure_ascii=False, default=str)
    row = (
        conversation_id,
        turn_id,
        seq,
        event.kind,
        event.source,
        event.timestamp,
        received_at,
        raw,
    )
    body = search_body(event)
    search = (conversation_id, turn_id, seq, event.kind, body) if body else None
    return row, search


INSERT_EVENT = (
    "INSERT INTO events (conversation_id, turn_id, seq, kind, source, timestamp, received_at, raw)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_SEARCH = (
    "INSERT INTO search_text (conversation_id, turn_id, event_seq, kind, body) "
    "VALUES (?, ?, ?, ?, ?)"
)


def next_event_seq(connection: sqlite3.Connection, conversation_id: int) -> int:
    """The `seq` the next event of a conversation gets (read inside the write transaction)."""
    row = connection.execute(
        "SELECT coalesce(max(seq), 0) + 1 FROM events WHERE conversation_id = ?",
        (conversation_id,),
    ).fetchone()
    return int(row[0])


def insert_events(connection: sqlite3.Connection, batch: list[_Append]) -> None:
    """Insert a batch of events, numbered after what is already stored; keep counts current.

    Events of a turn that no longer exists (its conversation was deleted while it
    streamed) are dropped.
    """
    conversation_of: dict[int, int | None] = {}
    next_seq: dict[int, int] = {}
    added: dict[int, tuple[int, str]] = {}
    event_rows_: list[tuple[object, ...]] = []
    search_rows: list[tuple[object, ...]] = []
    for item in batch:
        if item.turn_id not in conversation_of:
            found = connection.execute(
                "SELECT conversation_id FROM turns WHERE id = ?", (item.turn_id,)
            ).fetchone()
            conversation_of[item.turn_id] = found[0] if found else None
        conversation_id = conversation_of[item.turn_id]
        if conversation_id is None:
            continue
        if conversation_id not in next_seq:
            next_seq[conversation_id] = next_event_seq(connection, conversation_id)
        seq = next_seq[conversation_id]
        next_seq[conversation_id] = seq + 1
        row, search = event_rows(conversation_id, item.turn_id, seq, item.event, item.received_at)
        event_rows_.append(row)
        if search is not None:
            search_rows.append(search)
        count, _ = added.get(conversation_id, (0, ""))
        added[conversation_id] = (count + 1, item.received_at)
        if isinstance(item.event, ev.SessionRenewed) and item.event.new_session_id:
            # The conversation follows the session the client renewed, so that
            # continuing it later talks to the session that has its memory.
            connection.execute(
                "UPDATE conversations SET session_id = ? WHERE id = ?",
                (item.event.new_session_id, conversation_id),
            )
    connection.executemany(INSERT_EVENT, event_rows_)
    connection.executemany(INSERT_SEARCH, search_rows)
    for conversation_id, (count, last) in added.items():
        connection.execute(
            "UPDATE conversations SET event_count = event_count + ?, "
            "updated_at = max(updated_at, ?) WHERE id = ?",
            (count, last, conversation_id),
        )

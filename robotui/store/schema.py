"""The history database: connection settings, DDL and `PRAGMA user_version` migrations.

Schema (version 2):

- `conversations`: title, agent, server, Robocoders session id, times, pinned,
  archived, and the turn and event counts kept up to date by the writer (so a
  list never counts rows).
- `turns`: one prompt each, its status, and which process was writing it (pid,
  host, a start mark) so a turn left 'running' by a killed process can be told
  apart from one a live process is still writing.
- `events`: the raw JSON of every event, in order (`seq` counts per conversation).
- `search_text` + `search_fts`: the searchable text of prompts and events (message
  text, commands and their output, code, diffs), an external-content FTS5 index
  kept in sync by triggers. Deleting a conversation cascades to everything.

Times are fixed-width ISO-8601 UTC text (see `models.format_time`), so ordering
by text is ordering by time.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from robotui.files import PRIVATE_FILE_MODE, private_dir
from robotui.store.models import StoreError

BUSY_TIMEOUT_MS = 5000
T = TypeVar("T")

# Version 1: conversations, turns and events.
_V1 = """
CREATE TABLE conversations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT NOT NULL,
    agent       TEXT NOT NULL,
    server      TEXT NOT NULL DEFAULT '',
    session_id  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    pinned      INTEGER NOT NULL DEFAULT 0,
    archived    INTEGER NOT NULL DEFAULT 0,
    turn_count  INTEGER NOT NULL DEFAULT 0,
    event_count INTEGER NOT NULL DEFAULT 0
);
-- "Newest activity first, pinned first", read straight off the index.
CREATE INDEX conversations_recent ON conversations (pinned DESC, updated_at DESC, id DESC);

CREATE TABLE turns (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    prompt          TEXT NOT NULL,
    agent           TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'running' CHECK (status IN
                    ('running', 'complete', 'waiting', 'cancelled', 'error', 'interrupted')),
    error           TEXT,
    started_at      TEXT NOT NULL,
    ended_at        TEXT,
    writer_pid      INTEGER,
    writer_host     TEXT,
    writer_mark     TEXT,
    UNIQUE (conversation_id, seq)
);
-- Opening the store looks for turns left running; this keeps that a tiny lookup.
CREATE INDEX turns_running ON turns (status) WHERE status = 'running';

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    turn_id         INTEGER NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    source          TEXT NOT NULL,
    timestamp       TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    raw             TEXT NOT NULL,
    UNIQUE (conversation_id, seq)
);
-- Without it, each cascaded turn deletion would scan every event.
CREATE INDEX events_turn ON events (turn_id, seq);
"""

# Version 2: full-text search over prompts and events; an index for "the latest one".
_V2 = """
CREATE INDEX conversations_updated ON conversations (updated_at DESC, id DESC);

CREATE TABLE search_text (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    turn_id         INTEGER,
    event_seq       INTEGER,
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL
);
CREATE INDEX search_text_conversation ON search_text (conversation_id);

CREATE VIRTUAL TABLE search_fts USING fts5 (
    body, content = 'search_text', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    -- One- and two-letter prefixes read from their own index instead of merging
    -- thousands of words; longer ones are expanded to their words (search.py).
    prefix = '1 2'
);
-- Its words, for turning a prefix into the words it stands for (see search.py).
CREATE VIRTUAL TABLE search_vocab USING fts5vocab (search_fts, row);
CREATE TRIGGER search_text_added AFTER INSERT ON search_text BEGIN
    INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER search_text_removed AFTER DELETE ON search_text BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
"""


def _migrate_to_1(connection: sqlite3.Connection) -> None:
    _run_script(connection, _V1)


def _migrate_to_2(connection: sqlite3.Connection) -> None:
    from robotui.client.events import parse_event
    from robotui.store.search import PROMPT_LIMIT, search_body

    _run_script(connection, _V2)
    # Conversations recorded before search existed become searchable too.
    connection.execute(
        "INSERT INTO search_text (conversation_id, turn_id, event_seq, kind, body) "
        "SELECT conversation_id, id, NULL, 'prompt', substr(prompt, 1, ?) FROM turns "
        "WHERE prompt != ''",
        (PROMPT_LIMIT,),
    )
    rows = connection.execute("SELECT conversation_id, turn_id, seq, kind, raw FROM events")
    batch = []
    for conversation_id, turn_id, seq, kind, raw in rows:
        try:
            body = search_body(parse_event(json.loads(raw)))
        except ValueError:
            continue
        if body:
            batch.append((conversation_id, turn_id, seq, kind, body))
    connection.executemany(
        "INSERT INTO search_text (conversation_id, turn_id, event_seq, kind, body) "
        "VALUES (?, ?, ?, ?, ?)",
        batch,
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_to_1, _migrate_to_2]
SCHEMA_VERSION = len(MIGRATIONS)


def _run_script(connection: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the migration's transaction; run statement by
    # statement instead so a failed migration leaves the old schema untouched.
    statement = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            connection.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement!r}")


# -------------------------------------------------------------- connections


def create_private_file(path: Path) -> None:
    """Make sure `path` exists as a 0600 file in a 0700 directory before SQLite opens it.

    SQLite gives its -wal and -shm files the main file's permissions, so they
    are private too.
    """
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
    except OSError as error:
        raise StoreError(f"cannot open the history database {path}: {error.strerror}") from None
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
    except OSError:
        pass  # not our file to change; SQLite still opens it if it may
    finally:
        os.close(fd)


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with the settings every connection needs.

    Autocommit mode (`isolation_level=None`): writers say `BEGIN IMMEDIATE`
    themselves, so two processes queue on the lock (for up to `busy_timeout`)
    instead of failing half way through a transaction with "database is locked".
    """
    try:
        connection = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise StoreError(f"cannot open the history database {path}: {error}") from None
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL still survives a killed process: a commit is in the WAL
        # file before COMMIT returns; only a power cut could lose the latest ones.
        connection.execute("PRAGMA synchronous = NORMAL")
        if read_only:
            connection.execute("PRAGMA query_only = ON")
    except sqlite3.Error as error:
        connection.close()
        raise StoreError(f"{path} is not a usable history database: {error}") from None
    return connection


def _retry_busy(action: Callable[[], T], attempts: int = 5) -> T:
    # busy_timeout covers most waits; a few operations (journal mode changes, WAL
    # recovery by another opener) can still report busy at once, so retry those.
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


@contextlib.contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """`BEGIN IMMEDIATE` … `COMMIT`, or `ROLLBACK` if the block raises."""
    _retry_busy(lambda: connection.execute("BEGIN IMMEDIATE"))
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def prepare(connection: sqlite3.Connection, path: Path) -> None:
    """Switch to WAL and bring the schema to `SCHEMA_VERSION`, in one transaction.

    Two processes opening at once both try; the second finds the work done.
    Raises StoreError for a file that is not SQLite, or a schema from a newer robotui.
    """
    try:
        mode = _retry_busy(lambda: connection.execute("PRAGMA journal_mode = WAL").fetchone())
        if mode is None or str(mode[0]).lower() != "wal":
            raise StoreError(f"cannot switch {path} to write-ahead logging")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        with write_transaction(connection):
            # Read again under the lock: another process may have migrated meanwhile.
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{path} was written by a newer robotui (schema {version}; "
                    f"this one knows up to {SCHEMA_VERSION})"
                )
            for number in range(version, SCHEMA_VERSION):
                MIGRATIONS[number](connection)
                connection.execute(f"PRAGMA user_version = {number + 1}")
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path} is not a usable history database: {error}") from None

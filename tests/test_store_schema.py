"""Opening the history database: file modes, WAL, migrations, bad files."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest
from helpers_store import message, open_store, record

from robotui.store import HistoryStore, StoreError
from robotui.store.schema import SCHEMA_VERSION

# The schema as robotui first shipped it (user_version 1): no search tables yet.
# Written out here, not imported, so that later changes to schema.py cannot
# quietly change what "an older database" means.
V1_DDL = """
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, agent TEXT NOT NULL,
    server TEXT NOT NULL DEFAULT '', session_id TEXT, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, pinned INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0, turn_count INTEGER NOT NULL DEFAULT 0,
    event_count INTEGER NOT NULL DEFAULT 0);
CREATE INDEX conversations_recent ON conversations (pinned DESC, updated_at DESC, id DESC);
CREATE TABLE turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, prompt TEXT NOT NULL, agent TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'running', error TEXT, started_at TEXT NOT NULL,
    ended_at TEXT, writer_pid INTEGER, writer_host TEXT, writer_mark TEXT,
    UNIQUE (conversation_id, seq));
CREATE INDEX turns_running ON turns (status) WHERE status = 'running';
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    turn_id INTEGER NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL, timestamp TEXT NOT NULL,
    received_at TEXT NOT NULL, raw TEXT NOT NULL, UNIQUE (conversation_id, seq));
CREATE INDEX events_turn ON events (turn_id, seq);
PRAGMA user_version = 1;
"""

T0 = "2024-12-10T14:03:10.000000Z"


def _write_v1(path: Path) -> None:
    raw = {
        "id": 7,
        "timestamp": "2024-12-10T14:03:11",
        "source": "agent",
        "message": "",
        "action": "run",
        "args": {"command": "pytest --maxfail=1 quasarlint", "thought": ""},
    }
    with sqlite3.connect(path) as db:
        db.executescript(V1_DDL)
        db.execute(
            "INSERT INTO conversations VALUES (1, 'Old one', 'RepoAgent', 'http://old', 'sid-1', "
            "?, ?, 1, 0, 1, 1)",
            (T0, T0),
        )
        db.execute(
            "INSERT INTO turns VALUES (1, 1, 1, 'make the zeppelin fly', 'RepoAgent', 'complete',"
            " NULL, ?, ?, NULL, NULL, NULL)",
            (T0, T0),
        )
        db.execute(
            "INSERT INTO events VALUES (1, 1, 1, 1, 'run', 'agent', '2024-12-10T14:03:11', ?, ?)",
            (T0, json.dumps(raw)),
        )
    db.close()


def _user_version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def test_a_new_database_is_created_private_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "history.db"
    with HistoryStore.open(path) as store:
        record(store, "hello", [message("hi")])
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            assert stat.S_IMODE(side.stat().st_mode) == 0o600, suffix
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    assert _user_version(path) == SCHEMA_VERSION


def test_the_default_path_is_in_the_user_data_dir(isolated_environment: Path) -> None:
    with HistoryStore.open() as store:
        assert store.path == isolated_environment / "data" / "robotui" / "history.db"
    assert store.path.exists()


def test_an_empty_file_migrates_from_version_0(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    path.touch()
    with HistoryStore.open(path) as store:
        record(store, "first prompt", [message("answer")])
        assert [hit.kind for hit in store.search("answer")] == ["message"]
    assert _user_version(path) == SCHEMA_VERSION


def test_an_older_schema_migrates_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    _write_v1(path)
    with HistoryStore.open(path) as store:
        conversation = store.get_conversation(1)
        assert conversation is not None
        assert (conversation.title, conversation.agent, conversation.session_id) == (
            "Old one",
            "RepoAgent",
            "sid-1",
        )
        assert conversation.pinned and (conversation.turn_count, conversation.event_count) == (1, 1)
        [turn] = store.turns(1)
        assert turn.prompt == "make the zeppelin fly" and turn.status == "complete"
        [stored] = store.events(1)
        assert stored.event.command == "pytest --maxfail=1 quasarlint"  # type: ignore[attr-defined]
        # What was there before search existed is found by it now.
        assert [hit.kind for hit in store.search("zeppelin")] == ["prompt"]
        assert [hit.event_seq for hit in store.search("quasarlint")] == [1]
        # And new writes go on after the old rows.
        new_turn = store.begin_turn(1, "again", "RepoAgent")
        store.append_event(new_turn.id, message("second answer"))
        store.end_turn(new_turn.id, "complete")
        assert [event.seq for event in store.events(1)] == [1, 2]
        assert [turn.seq for turn in store.turns(1)] == [1, 2]
    assert _user_version(path) == SCHEMA_VERSION


def test_opening_twice_does_not_migrate_again(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        record(store, "kept", [message("kept too")])
    with open_store(tmp_path) as store:
        assert [item.title for item in store.list_conversations()] == ["kept"]
        assert len(store.search("kept")) == 2


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(StoreError, match="newer robotui"):
        HistoryStore.open(path)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    path.write_bytes(b"this is not sqlite at all, just some text " * 100)
    with pytest.raises(StoreError, match="not a usable history database"):
        HistoryStore.open(path)


def test_a_directory_in_the_way_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "history.db").mkdir()
    with pytest.raises(StoreError, match="cannot open"):
        open_store(tmp_path)


def test_foreign_keys_cascade_deletes_everything(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with HistoryStore.open(path) as store:
        gone = record(store, "delete me", [message("doomed words"), message("more")])
        kept = record(store, "keep me", [message("safe words")])
        store.delete(gone)
        assert store.get_conversation(gone) is None
        assert store.search("doomed") == []
        assert [hit.conversation_id for hit in store.search("words")] == [kept]
    db = sqlite3.connect(path)
    for table in ("turns", "events", "search_text"):
        rows = db.execute(f"SELECT count(*) FROM {table} WHERE conversation_id = ?", (gone,))
        assert rows.fetchone()[0] == 0, table
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
    db.close()

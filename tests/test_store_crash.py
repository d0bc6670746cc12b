"""Crash safety and concurrency, with real processes: SIGKILL mid-stream, two writers at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers_store import message, open_store

from robotui.store import HistoryStore
from robotui.store.models import now_text
from robotui.store.process import current_writer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL and /proc")

REPO = Path(__file__).parents[1]

STREAMER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from robotui.client.events import parse_event
    from robotui.store import HistoryStore

    store = HistoryStore.open(Path(sys.argv[1]), batch_window=0.005)
    conversation = store.create_conversation("crash", "GeneralCodingAgent", "http://s")
    turn = store.begin_turn(conversation.id, "stream forever", "GeneralCodingAgent")
    print("turn", conversation.id, turn.id, flush=True)
    number = 0
    while True:
        number += 1
        raw = {"id": number, "source": "agent", "message": "", "action": "message",
               "args": {"content": f"event number {number} " + "padding " * 40}}
        store.append_event(turn.id, parse_event(raw))
        if number % 25 == 0:
            store.flush()
            print("flushed", number, flush=True)
    """
)

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from robotui.client.events import parse_event
    from robotui.store import HistoryStore

    path, name, shared = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = HistoryStore.open(path, batch_window=0.001)
    print("ready", flush=True)
    sys.stdin.readline()  # both start writing at the same moment
    own = store.create_conversation(f"writer {name}", "GeneralCodingAgent", "http://s")
    for turn_number in range(15):
        for conversation_id in (own.id, shared):
            with store.record_turn(conversation_id, f"{name} {turn_number}", "G") as turn:
                for index in range(20):
                    content = f"{name} turn {turn_number} event {index}"
                    turn.add(parse_event({"action": "message", "source": "agent",
                                          "args": {"content": content}}))
    store.close()
    print("done", own.id, flush=True)
    """
)

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from robotui.store import HistoryStore

    store = HistoryStore.open(Path(sys.argv[1]))
    conversation = store.create_conversation("held", "GeneralCodingAgent", "http://s")
    turn = store.begin_turn(conversation.id, "still thinking", "GeneralCodingAgent")
    print("turn", turn.id, flush=True)
    sys.stdin.readline()
    """
)


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def _integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        fts = db.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
        assert fts is not None  # raises on a damaged index
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def test_sigkill_mid_stream_keeps_what_was_flushed(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    process = _start(STREAMER, str(path))
    assert process.stdout is not None
    try:
        _, conversation_id, turn_id = process.stdout.readline().split()
        flushed = 0
        while flushed < 300:
            line = process.stdout.readline()
            assert line.startswith("flushed"), line + process.stderr.read()  # type: ignore[union-attr]
            flushed = int(line.split()[1])
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
        process.stdin.close()  # type: ignore[union-attr]
        process.stderr.close()  # type: ignore[union-attr]
    assert process.returncode == -signal.SIGKILL

    assert _integrity(path) == "ok"
    with HistoryStore.open(path) as store:
        [turn] = store.turns(int(conversation_id))
        assert turn.id == int(turn_id)
        assert turn.status == "interrupted"
        assert turn.error is not None and "ended before" in turn.error
        events = store.events(int(conversation_id))
        # Everything reported as flushed is there, in order, and nothing is torn.
        assert len(events) >= flushed
        assert [item.seq for item in events] == list(range(1, len(events) + 1))
        texts = [item.event.text.split(" padding")[0] for item in events]
        assert texts == [f"event number {n}" for n in range(1, len(events) + 1)]
        conversation = store.get_conversation(int(conversation_id))
        assert conversation is not None and conversation.event_count == len(events)
        assert store.search("number")
    assert _integrity(path) == "ok"


def test_two_processes_write_at_once_without_locking_errors(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with HistoryStore.open(path) as store:
        shared = store.create_conversation("shared", "GeneralCodingAgent", "http://s").id
    writers = [_start(WRITER, str(path), name, str(shared)) for name in ("alpha", "beta")]
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    for writer in writers:
        writer.stdin.write("go\n")  # type: ignore[union-attr]
        writer.stdin.flush()  # type: ignore[union-attr]
    results = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err, err
        assert out.startswith("done")

    assert _integrity(path) == "ok"
    with HistoryStore.open(path) as store:
        conversations = {item.title: item for item in store.list_conversations()}
        assert set(conversations) == {"shared", "writer alpha", "writer beta"}
        for name in ("alpha", "beta"):
            own = conversations[f"writer {name}"]
            assert (own.turn_count, own.event_count) == (15, 300)
        both = conversations["shared"]
        assert (both.turn_count, both.event_count) == (30, 600)
        turns = store.turns(both.id)
        assert [turn.seq for turn in turns] == list(range(1, 31))
        assert {turn.status for turn in turns} == {"complete"}
        events = store.events(both.id)
        assert [item.seq for item in events] == list(range(1, 601))
        # Each turn's events are its own, complete and in order.
        for turn in turns:
            name, number = turn.prompt.split()
            texts = [item.event.text for item in events if item.turn_id == turn.id]
            assert texts == [f"{name} turn {number} event {index}" for index in range(20)]


def test_a_turn_a_live_process_is_writing_is_left_running(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    holder = _start(HOLDER, str(path))
    assert holder.stdout is not None
    try:
        turn_id = int(holder.stdout.readline().split()[1])
        with HistoryStore.open(path) as store:
            assert store.get_turn(turn_id).status == "running"  # type: ignore[union-attr]
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        for stream in (holder.stdin, holder.stdout, holder.stderr):
            stream.close()  # type: ignore[union-attr]
    with HistoryStore.open(path) as store:
        assert store.get_turn(turn_id).status == "interrupted"  # type: ignore[union-attr]


def _running_turn(path: Path, pid: int, host: str, mark: str) -> int:
    with HistoryStore.open(path) as store:
        conversation = store.create_conversation("t", "G", "http://s")
    db = sqlite3.connect(path)
    with db:
        cursor = db.execute(
            "INSERT INTO turns (conversation_id, seq, prompt, agent, status, started_at, "
            "writer_pid, writer_host, writer_mark) VALUES (?, 1, 'p', 'G', 'running', ?, ?, ?, ?)",
            (conversation.id, now_text(), pid, host, mark),
        )
    db.close()
    return int(cursor.lastrowid or 0)


def _status_after_reopen(path: Path, turn_id: int) -> str:
    with HistoryStore.open(path) as store:
        turn = store.get_turn(turn_id)
        assert turn is not None
        return turn.status


def test_orphan_detection_tells_writers_apart(tmp_path: Path) -> None:
    me = current_writer()
    boot_id, _, start = me.mark.partition(":")
    cases = {
        "this very process": (me.pid, me.host, me.mark, "running"),
        "another host": (me.pid + 1, me.host + "-elsewhere", me.mark, "running"),
        "a process that exited": (_dead_pid(), me.host, me.mark, "interrupted"),
        "our pid, another start": (me.pid, me.host, f"{boot_id}:{start}0", "interrupted"),
        "before a reboot": (me.pid, me.host, f"other-boot:{start}", "interrupted"),
    }
    for name, (pid, host, mark, expected) in cases.items():
        path = tmp_path / f"{name.replace(' ', '-')}.db"
        turn_id = _running_turn(path, pid, host, mark)
        assert _status_after_reopen(path, turn_id) == expected, name


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_events_written_before_an_unclean_exit_are_kept(tmp_path: Path) -> None:
    # os._exit skips atexit and close(): only what the writer committed survives.
    script = textwrap.dedent(
        """
        import os, sys
        from pathlib import Path
        from robotui.client.events import parse_event
        from robotui.store import HistoryStore

        store = HistoryStore.open(Path(sys.argv[1]))
        conversation = store.create_conversation("exit", "G", "http://s")
        turn = store.begin_turn(conversation.id, "p", "G")
        for n in range(10):
            store.append_event(turn.id, parse_event({"action": "message", "source": "agent",
                                                     "args": {"content": f"m{n}"}}))
        store.flush()
        os._exit(3)
        """
    )
    path = tmp_path / "history.db"
    finished = subprocess.run(
        [sys.executable, "-c", script, str(path)], cwd=REPO, capture_output=True, text=True
    )
    assert finished.returncode == 3, finished.stderr
    with open_store(tmp_path) as store:
        [conversation] = store.list_conversations()
        assert [item.event.text for item in store.events(conversation.id)] == [
            f"m{n}" for n in range(10)
        ]
        assert store.turns(conversation.id)[0].status == "interrupted"
        turn = store.begin_turn(conversation.id, "continue", "G")
        store.append_event(turn.id, message("after the crash"))
        store.end_turn(turn.id, "complete")
        assert store.events(conversation.id)[-1].seq == 11

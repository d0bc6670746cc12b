"""`robotui ask` as a person runs it: a real process against a real emulator."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROBOTUI = [sys.executable, "-m", "robotui"]
GO_PROMPT = "Write a function in Go that reverses a string"


def run(*args: str, timeout: float = 60, stdin: str | None = None):
    return subprocess.run(
        [*ROBOTUI, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        env=os.environ.copy(),
    )


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*ROBOTUI, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def read_until(process: subprocess.Popen, marker: str) -> str:
    """Read stdout lines until one contains `marker` (the process keeps running)."""
    seen = []
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"{marker!r} never appeared; got {''.join(seen)!r}")


def test_demo_answers_the_readme_prompt() -> None:
    result = run("ask", "--demo", GO_PROMPT)
    assert result.returncode == 0, result.stderr
    assert "package main" in result.stdout and "func " in result.stdout
    assert "go run" in result.stdout
    assert "Traceback" not in result.stderr


def test_ask_against_an_emulator_and_continue(emulator: str) -> None:
    first = run("ask", "--base-url", emulator, "Write a function in Python that adds numbers")
    assert first.returncode == 0, first.stderr
    second = run("ask", "--base-url", emulator, "-c", "What did I ask you first?")
    assert second.returncode == 0, second.stderr
    assert "adds numbers" in second.stdout or "add" in second.stdout.lower()
    listing = run("history", "list", "--json")
    (conversation,) = json.loads(listing.stdout)
    assert conversation["turns"] == 2


def test_json_output_is_one_event_per_line(emulator: str) -> None:
    result = run("ask", "--base-url", emulator, "--json", "hello")
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert objects and all("type" in item for item in objects)


def test_malformed_line_warns_and_completes(start_emulator) -> None:
    emulator = start_emulator(faults=("malformed",))
    result = run("ask", "--base-url", emulator.base_url, "hello")
    assert result.returncode == 0
    assert "warning: skipped 1 malformed line from the server" in result.stderr


def test_dropped_connection_is_exit_5_with_what_arrived(start_emulator) -> None:
    emulator = start_emulator(faults=("drop",))
    result = run("ask", "--base-url", emulator.base_url, GO_PROMPT)
    assert result.returncode == 5
    assert result.stdout.strip(), "what arrived stays printed"
    error_line = result.stderr.splitlines()[-1]
    assert error_line.startswith("error: the connection to") and "cut mid-stream" in error_line
    assert "Traceback" not in result.stderr


def test_dead_server_is_exit_5() -> None:
    result = run("ask", "--base-url", "http://127.0.0.1:9", "hi")
    assert result.returncode == 5
    error_line = result.stderr.splitlines()[-1]
    assert error_line.startswith("error: cannot connect to http://127.0.0.1:9")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_keeps_what_arrived_and_exits_130(start_emulator) -> None:
    emulator = start_emulator(faults=("slow",), speed=0.5)
    process = start("ask", "--base-url", emulator.base_url, GO_PROMPT)
    try:
        arrived = read_until(process, "$ ")
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert err.strip().endswith("interrupted")
    assert "Traceback" not in err
    assert arrived
    listing = run("history", "show", "1", "--json")
    document = json.loads(listing.stdout)
    assert document["turns"][0]["status"] == "cancelled"
    assert document["turns"][0]["events"], "the events that arrived were saved"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_killed_mid_stream_reopens_as_interrupted(start_emulator) -> None:
    emulator = start_emulator(faults=("slow",), speed=0.5)
    process = start("ask", "--base-url", emulator.base_url, GO_PROMPT)
    try:
        read_until(process, "$ ")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        process.kill()
    listing = run("history", "show", "1", "--json")
    assert listing.returncode == 0, listing.stderr
    document = json.loads(listing.stdout)
    (turn,) = document["turns"]
    assert turn["status"] == "interrupted"
    database = Path(os.environ["XDG_DATA_HOME"]) / "robotui" / "history.db"
    import sqlite3

    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_app_without_a_terminal_says_what_to_use_instead() -> None:
    result = run()
    assert result.returncode == 2
    assert result.stderr.startswith("error: the app needs a terminal")
    assert "robotui ask" in result.stderr


def test_demo_and_base_url_cannot_be_combined() -> None:
    result = run("ask", "--demo", "--base-url", "http://127.0.0.1:1", "hi")
    assert result.returncode == 2
    assert "cannot be combined" in result.stderr

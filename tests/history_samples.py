"""Conversations with fixed titles and times, for the history screen's tests."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count

from robotui.client.events import parse_event
from robotui.store import HistoryStore
from robotui.store.models import format_time
from robotui.store.schema import connect

# "Now" for every test: `when()` is pinned to it, so "5 min ago" stays 5 minutes ago.
NOW = datetime(2025, 6, 14, 15, 30, tzinfo=UTC)
SERVER = "https://api.robocoders.ai"
_IDS = count(1)


@dataclass(frozen=True)
class Sample:
    title: str
    prompt: str
    reply: str
    agent: str = "GeneralCodingAgent"
    age: timedelta = timedelta(minutes=5)
    turns: int = 1
    pinned: bool = False


# In the order the history lists them: the pinned one first, then newest first.
SAMPLES = [
    Sample(
        "Build a landing page with a pricing table",
        "Build a landing page with a pricing table and a signup form.",
        "Made index.html with three pricing tiers and a responsive signup form.",
        agent="FrontEndAgent",
        age=timedelta(days=1, hours=2),
        pinned=True,
    ),
    Sample(
        "Write a hello world script in Python",
        "Write a hello world script in Python and run it.",
        "Created hello.py; running it prints Hello, world!",
        age=timedelta(minutes=4),
        turns=3,
    ),
    Sample(
        "Fix the failing test in my repository",
        "Fix the failing test in my repository: test_parse_dates fails on leap years.",
        "The parser assumed 28 days in February; fixed and added a leap-year case.",
        agent="RepoAgent",
        age=timedelta(hours=3),
        turns=2,
    ),
    Sample(
        "[bold red]Markup[/] is shown as typed",
        "[bold red]Markup[/] is shown as typed, and so is [link=x]this[/link]",
        "Rendering brackets literally keeps titles honest.",
        age=timedelta(days=9),
    ),
    Sample(
        "Migrate the database to PostgreSQL 16",
        "Migrate the database to PostgreSQL 16 and keep the old dumps restorable.",
        "Wrote a migration plan, converted the schema and verified the dumps restore.",
        agent="RepoAgent",
        age=timedelta(days=200),
        turns=7,
    ),
]


def agent_message(content: str):
    return parse_event(
        {
            "id": next(_IDS),
            "timestamp": "2025-06-14T15:00:00.000000",
            "source": "agent",
            "message": content,
            "action": "message",
            "args": {"content": content, "image_urls": None, "wait_for_response": False},
        }
    )


def fill(store: HistoryStore, samples: list[Sample] = SAMPLES) -> list[int]:
    """Store `samples` with their times and pins; their ids, in the same order."""
    ids = []
    for sample in samples:
        conversation = store.create_conversation(sample.title, sample.agent, SERVER)
        for number in range(sample.turns):
            prompt = sample.prompt if number == 0 else f"Follow-up {number}: {sample.reply}"
            turn = store.begin_turn(conversation.id, prompt, sample.agent)
            store.append_event(turn.id, agent_message(sample.reply))
            store.end_turn(turn.id, "complete")
        if sample.pinned:
            store.set_pinned(conversation.id, True)
        ids.append(conversation.id)
    store.flush()
    with _connection(store) as db:
        for conversation_id, sample in zip(ids, samples, strict=True):
            updated = NOW - sample.age
            created = updated - timedelta(minutes=20)
            db.execute(
                "UPDATE conversations SET created_at = ?, updated_at = ? WHERE id = ?",
                (format_time(created), format_time(updated), conversation_id),
            )
    return ids


def fill_many(store: HistoryStore, number: int) -> None:
    """`number` bare conversations, one minute apart, in one transaction (fast)."""
    rows: Iterator[tuple[object, ...]] = (
        (
            f"Conversation number {index:05d}",
            "GeneralCodingAgent",
            SERVER,
            format_time(NOW - timedelta(minutes=index)),
            format_time(NOW - timedelta(minutes=index)),
            1,
            4,
        )
        for index in range(number)
    )
    with _connection(store) as db:
        db.executemany(
            "INSERT INTO conversations (title, agent, server, created_at, updated_at, "
            "turn_count, event_count) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


class _connection:
    """A second connection to the store's database, committed on exit."""

    def __init__(self, store: HistoryStore) -> None:
        self.db: sqlite3.Connection = connect(store.path)

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
        self.db.close()


@contextlib.contextmanager
def pinned_time() -> Iterator[None]:
    """`when()` measured from NOW and local time in UTC, so every time shown is fixed."""
    from robotui.tui import format as fmt

    real_when = fmt.when
    old_zone = os.environ.get("TZ")
    fmt.when = lambda moment, now=None: real_when(moment, now or NOW)  # type: ignore[assignment]
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        fmt.when = real_when  # type: ignore[assignment]
        if old_zone is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old_zone
        time.tzset()

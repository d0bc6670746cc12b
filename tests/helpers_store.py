"""Events shaped like the server's, and a store in a temporary directory, for store tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from robotui.client.events import Event, parse_event
from robotui.store import HistoryStore

SAMPLE_EVENTS = Path(__file__).parent / "data" / "openhands-0.15-events.ndjson"
_COUNTER = iter(range(1, 10**9))


def _raw(**fields: Any) -> dict[str, Any]:
    return {
        "id": next(_COUNTER),
        "timestamp": "2024-12-10T14:03:10.134566",
        "source": "agent",
        "message": "",
        **fields,
    }


def message(content: str, *, wait: bool = False, source: str = "agent") -> Event:
    return parse_event(
        _raw(
            source=source,
            message=content,
            action="message",
            args={"content": content, "image_urls": None, "wait_for_response": wait},
        )
    )


def run(command: str, thought: str = "") -> Event:
    return parse_event(_raw(action="run", args={"command": command, "thought": thought}))


def output(command: str, content: str, exit_code: int = 0, cause: int | None = None) -> Event:
    return parse_event(
        _raw(
            observation="run",
            cause=cause,
            content=content,
            extras={"command": command, "exit_code": exit_code},
        )
    )


def write(path: str, content: str) -> Event:
    return parse_event(_raw(action="write", args={"path": path, "content": content}))


def edit_result(path: str, diff: str) -> Event:
    return parse_event(
        _raw(
            observation="edit",
            content=diff,
            extras={"path": path, "old_content": "", "new_content": ""},
        )
    )


def state(agent_state: str) -> Event:
    return parse_event(
        _raw(
            source="environment",
            observation="agent_state_changed",
            content="",
            extras={"agent_state": agent_state},
        )
    )


def sample_events() -> list[Event]:
    """One event of every kind, as the protocol's example file has them."""
    with SAMPLE_EVENTS.open(encoding="utf-8") as lines:
        return [parse_event(json.loads(line)) for line in lines if line.strip()]


def open_store(directory: Path, **options: Any) -> HistoryStore:
    return HistoryStore.open(directory / "history.db", **options)


def record(
    store: HistoryStore, prompt: str, events: list[Event], *, title: str | None = None
) -> int:
    """A conversation with one complete turn; its id."""
    conversation = store.create_conversation(title or prompt, "GeneralCodingAgent", "http://test")
    turn = store.begin_turn(conversation.id, prompt, "GeneralCodingAgent")
    for event in events:
        store.append_event(turn.id, event)
    store.end_turn(turn.id, "complete")
    return conversation.id

"""Conversations leaving and entering the store as files.

Export JSON (format "robotui-conversation", version 1) is lossless: every
event's raw JSON, every turn and conversation field. Import accepts it, and
g4f-style message lists (`[{"role": "user", "content": "..."}]`, bare or as
`{"messages": [...]}`). Anything else is refused with one line that names the
file and the problem.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from robotui.client.events import NOTICE_KEY
from robotui.files import write_new, write_private
from robotui.store.models import (
    TURN_STATUSES,
    UNTITLED,
    Conversation,
    StoredEvent,
    StoreError,
    Turn,
    clean_title,
    format_time,
    now_text,
    parse_time,
    title_from_prompt,
)

FORMAT = "robotui-conversation"
VERSION = 1
MAX_IMPORT_BYTES = 64 * 1024 * 1024
DEFAULT_IMPORT_AGENT = "GeneralCodingAgent"

# JSON escapes C0 controls itself; these it would print as is, and a terminal
# would obey some of them (C1 controls) or reorder text (bidi overrides).
_UNSAFE = {
    code: f"\\u{code:04x}"
    for code in [0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}


def dumps(document: Any, *, indent: int | None = 2) -> str:
    """JSON text that is safe to print to a terminal and still means the same."""
    return json.dumps(document, ensure_ascii=False, indent=indent).translate(_UNSAFE)


# ------------------------------------------------------------------- export


def build_document(
    conversation: Conversation, turns: Sequence[tuple[Turn, Sequence[StoredEvent]]]
) -> dict[str, Any]:
    """The lossless JSON export of one conversation."""
    from robotui import __version__

    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now_text(),
        "exported_by": f"robotui {__version__}",
        "conversation": conversation.fields_json(),
        "turns": [
            {
                "id": turn.id,
                "seq": turn.seq,
                "prompt": turn.prompt,
                "agent": turn.agent,
                "status": turn.status,
                "error": turn.error,
                "started_at": format_time(turn.started_at),
                "ended_at": format_time(turn.ended_at) if turn.ended_at else None,
                "events": [
                    {
                        "seq": stored.seq,
                        "kind": stored.kind,
                        "source": stored.source,
                        "timestamp": stored.timestamp,
                        "received_at": format_time(stored.received_at),
                        "raw": dict(stored.event.raw),
                    }
                    for stored in events
                ],
            }
            for turn, events in turns
        ],
    }


def write_export(path: Path, text: str, *, force: bool = False) -> None:
    """Write an export to exactly `path`, atomically, mode 0600.

    Refuses to replace an existing file unless `force`, and never creates
    directories: the only file that appears is `path` itself.
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path} is a directory; name the file to write")
    if not path.parent.is_dir():
        raise StoreError(f"{path.parent} does not exist")
    data = text.encode("utf-8")
    try:
        if force:
            write_private(path, data)
        else:
            write_new(path, data)
    except FileExistsError:
        raise StoreError(f"{path} already exists; use --force to replace it") from None
    except OSError as error:
        raise StoreError(f"cannot write {path}: {error.strerror or error}") from None


# ------------------------------------------------------------------- import


@dataclass(frozen=True, slots=True)
class ImportHeader:
    """The conversation fields of an import."""

    title: str
    agent: str
    server: str
    session_id: str | None
    created_at: str
    updated_at: str
    pinned: bool = False
    archived: bool = False


@dataclass(frozen=True, slots=True)
class ImportTurn:
    """One imported turn, with its events' raw JSON and the times they were received."""

    prompt: str
    agent: str
    status: str
    error: str | None
    started_at: str
    ended_at: str | None
    events: list[tuple[dict[str, Any], str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """A validated import, ready to insert."""

    conversation: ImportHeader
    turns: list[ImportTurn]


class _Invalid(Exception):
    """A problem in the document; `parse_document` adds the file name."""


def decode_document(data: bytes, *, source: str = "") -> Any:
    """Decode the bytes of an import file to JSON; StoreError says what is wrong."""
    where = f"{source}: " if source else ""
    if len(data) > MAX_IMPORT_BYTES:
        raise StoreError(f"{where}too large to import (the limit is {MAX_IMPORT_BYTES >> 20} MB)")
    if b"\x00" in data:
        raise StoreError(f"{where}not a text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StoreError(f"{where}not UTF-8 text (bad byte at offset {error.start})") from None
    if not text.strip():
        raise StoreError(f"{where}empty; expected a robotui JSON export or a message list")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise StoreError(
            f"{where}not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise StoreError(f"{where}not importable: the JSON is nested too deeply") from None


def read_document(path: Path) -> Any:
    """Read and decode an import file; StoreError names the file and the problem."""
    path = Path(path)
    try:
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a file")
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise StoreError(
                f"{path}: too large to import ({size >> 20} MB; "
                f"the limit is {MAX_IMPORT_BYTES >> 20} MB)"
            )
        with open(path, "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file") from None
    except OSError as error:
        raise StoreError(f"{path}: cannot read it: {error.strerror or error}") from None
    return decode_document(data, source=str(path))


def parse_document(document: Any, *, source: str = "") -> ImportPlan:
    """Validate a decoded import document; StoreError names the problem and the file."""
    try:
        if isinstance(document, Mapping) and "format" in document:
            return _parse_export(document)
        if isinstance(document, Mapping) and isinstance(document.get("messages"), list):
            return _parse_messages(document["messages"])
        if isinstance(document, list):
            return _parse_messages(document)
        raise _Invalid("not a robotui conversation export or a list of {role, content} messages")
    except _Invalid as problem:
        where = f"{source}: " if source else ""
        raise StoreError(f"{where}{problem}") from None


_TYPE_NAMES = {str: "a string", dict: "an object", list: "a list", type(None): "null"}


def _get(mapping: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = mapping.get(key)
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        expected = " or ".join(_TYPE_NAMES.get(item, item.__name__) for item in kinds)
        raise _Invalid(f"{where}.{key} must be {expected}")
    return value


def _time(mapping: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    value = mapping.get(key)
    if value is None and optional:
        return None
    if isinstance(value, str):
        try:
            return format_time(parse_time(value))
        except ValueError:
            pass
    raise _Invalid(f"{where}.{key} must be an ISO-8601 time")


def _parse_export(document: Mapping[str, Any]) -> ImportPlan:
    if document.get("format") != FORMAT:
        raise _Invalid(f"unknown format {str(document.get('format'))[:40]!r}; expected {FORMAT!r}")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _Invalid("the export has no valid format version")
    if version > VERSION:
        raise _Invalid(
            f"format version {version} is newer than this robotui understands ({VERSION})"
        )
    header = _get(document, "conversation", dict, "export")
    where = "conversation"
    try:
        title = clean_title(_get(header, "title", str, where))
    except StoreError:
        title = UNTITLED
    conversation = ImportHeader(
        title=title,
        agent=_get(header, "agent", str, where),
        server=_get(header, "server", str, where),
        session_id=_get(header, "session_id", (str, type(None)), where),
        created_at=_time(header, "created_at", where),
        updated_at=_time(header, "updated_at", where),
        pinned=bool(header.get("pinned", False)),
        archived=bool(header.get("archived", False)),
    )
    turns: list[ImportTurn] = []
    for index, item in enumerate(_get(document, "turns", list, "export")):
        where = f"turns[{index}]"
        if not isinstance(item, dict):
            raise _Invalid(f"{where} must be an object")
        status = _get(item, "status", str, where)
        if status not in TURN_STATUSES:
            raise _Invalid(f"{where}.status {status[:20]!r} is not a turn status")
        events: list[tuple[dict[str, Any], str]] = []
        for number, stored in enumerate(_get(item, "events", list, where)):
            place = f"{where}.events[{number}]"
            if not isinstance(stored, dict):
                raise _Invalid(f"{place} must be an object")
            events.append((_get(stored, "raw", dict, place), _time(stored, "received_at", place)))
        turns.append(
            ImportTurn(
                prompt=_get(item, "prompt", str, where),
                agent=_get(item, "agent", str, where),
                # Nothing is writing an imported turn any more.
                status="interrupted" if status == "running" else status,
                error=_get(item, "error", (str, type(None)), where),
                started_at=_time(item, "started_at", where),
                ended_at=_time(item, "ended_at", where, optional=True),
                events=events,
            )
        )
    return ImportPlan(conversation, turns)


def _content(message: Mapping[str, Any], where: str) -> str:
    content = message.get("content")
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        # OpenAI-style parts: keep the text ones.
        parts = [
            part if isinstance(part, str) else part.get("text")
            for part in content
            if isinstance(part, (str, dict))
        ]
        return "\n".join(part for part in parts if isinstance(part, str))
    raise _Invalid(f"{where}.content must be a string")


def _agent_message(number: int, content: str, timestamp: str) -> dict[str, Any]:
    return {
        "id": number,
        "timestamp": timestamp,
        "source": "agent",
        "message": content,
        "action": "message",
        "args": {"content": content, "image_urls": None, "wait_for_response": False},
    }


def _parse_messages(messages: list[Any]) -> ImportPlan:
    if not messages:
        raise _Invalid("the message list is empty")
    now = now_text()
    stamp = now.rstrip("Z")  # OpenHands timestamps carry no zone
    turns: list[ImportTurn] = []
    system: list[dict[str, Any]] = []
    first_prompt = ""
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        if not isinstance(message, dict):
            raise _Invalid(f"{where} must be an object with role and content")
        role = message.get("role")
        content = _content(message, where)
        if role == "user":
            first_prompt = first_prompt or content
            turns.append(_message_turn(content, now))
        elif role == "assistant":
            if not turns:
                turns.append(_message_turn("", now))
            turns[-1].events.append((_agent_message(index, content, stamp), now))
        elif role == "system":
            notice = {NOTICE_KEY: "system_prompt", "message": content, "timestamp": stamp}
            if turns:
                turns[-1].events.append((notice, now))
            else:
                system.append(notice)
        else:
            raise _Invalid(f"{where}.role must be 'user', 'assistant' or 'system'")
    if not turns:
        raise _Invalid("no user or assistant messages")
    # A system prompt before any turn opens the first turn's events.
    turns[0].events[:0] = [(notice, now) for notice in system]
    title = title_from_prompt(first_prompt) if first_prompt.strip() else UNTITLED
    header = ImportHeader(title, DEFAULT_IMPORT_AGENT, "", None, now, now)
    return ImportPlan(header, turns)


def _message_turn(prompt: str, now: str) -> ImportTurn:
    return ImportTurn(prompt, DEFAULT_IMPORT_AGENT, "complete", None, now, now, [])

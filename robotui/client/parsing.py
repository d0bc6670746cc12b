"""Decoding `/chat` lines into the typed events of `robotui.client.events`.

Each known kind is built by a function compiled once, on first use, from a table
of its fields: the parse of a line is the client's hot path (see the client
throughput benchmark in docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import json
import json.scanner
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from robotui.client.events import (
    NOTICE_KEY,
    AgentMessage,
    AgentStateChange,
    AgentStateChanged,
    AutoContinued,
    Browse,
    BrowseInteractive,
    BrowseResult,
    CommandOutput,
    CommandRun,
    DelegateResult,
    Delegation,
    ErrorFrame,
    ErrorObservation,
    Event,
    FileEdit,
    FileEditResult,
    FileRead,
    FileReadResult,
    FileWrite,
    FileWriteResult,
    Finish,
    InvalidLine,
    IPythonOutput,
    IPythonRun,
    NullEvent,
    Reject,
    SessionRenewed,
    StatusUpdate,
    Success,
    Summarize,
    TaskAdd,
    TaskModify,
    Think,
    UnknownEvent,
    UserRejected,
)

__all__ = ["parse_event", "parse_line"]


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float, bool)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _int(value: Any, default: int | None = None) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return default
    return default


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def _base(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": _int(raw.get("id")),
        "timestamp": _text(raw.get("timestamp")),
        "source": _text(raw.get("source")),
        "message": _text(raw.get("message")),
        "cause": _int(raw.get("cause")),
        "raw": raw,
    }


# Every line of every stream passes through `parse_event`, so the kinds the
# protocol names are not built through the dataclass `__init__` (keyword
# arguments, then one `object.__setattr__` per field: that cost more than decoding
# the JSON). The tables below are compiled, once per kind and on first use, into
# one plain function that reads each field, with a fast path for the type JSON
# normally gives. It fills a blank instance of a private twin of the class: same
# slots, but ordinary attribute assignment (one fast slot store per field instead
# of a call), and then turns it into the real, frozen class by assigning
# `__class__`, which Python allows because the two layouts are identical. Nothing
# outside the builder ever sees the twin; the events are the same frozen
# dataclasses either way. `bench/client_throughput.py` measures the difference.

# How a field's value is made from what the JSON holds (a missing key is None).
TEXT = "text"  # `_text`: str as is, None -> "", numbers -> str, anything else -> JSON
NUMBER = "number"  # `_int`, falling back to the field's default
FLAG = "flag"  # truthiness
MAPPING = "mapping"  # a JSON object, else {}
STRINGS = "strings"  # the strings of a JSON array, else ()
OPTIONAL_TEXT = "optional_text"  # None stays None, anything else as TEXT
ITSELF = "itself"  # the whole decoded object (`raw`)

# Where a field is read: a dotted path in the event object. Fields every event has:
_COMMON: dict[str, tuple[str, str]] = {
    "id": (NUMBER, "id"),
    "timestamp": (TEXT, "timestamp"),
    "source": (TEXT, "source"),
    "message": (TEXT, "message"),
    "cause": (NUMBER, "cause"),
    "raw": (ITSELF, ""),
}

# Each kind's own fields. As OpenHands serializes them, an action's field `x` is at
# `args.x` and an observation's at `extras.x`, except `content`, at the top; a
# third item gives the path where it differs.
_ACTION_FIELDS: dict[str, tuple[type[Event], dict[str, tuple[str, ...]]]] = {
    "message": (
        AgentMessage,
        {"content": (TEXT,), "image_urls": (STRINGS,), "wait_for_response": (FLAG,)},
    ),
    "run": (
        CommandRun,
        {
            "command": (TEXT,),
            "thought": (TEXT,),
            "blocking": (FLAG,),
            "hidden": (FLAG,),
            "confirmation_state": (TEXT,),
        },
    ),
    "run_ipython": (IPythonRun, {"code": (TEXT,), "thought": (TEXT,)}),
    "read": (
        FileRead,
        {"path": (TEXT,), "start": (NUMBER,), "end": (NUMBER,), "thought": (TEXT,)},
    ),
    "write": (FileWrite, {"path": (TEXT,), "content": (TEXT,), "thought": (TEXT,)}),
    "edit": (
        FileEdit,
        {
            "path": (TEXT,),
            "content": (TEXT,),
            "start": (NUMBER,),
            "end": (NUMBER,),
            "thought": (TEXT,),
        },
    ),
    "browse": (Browse, {"url": (TEXT,), "thought": (TEXT,)}),
    "browse_interactive": (BrowseInteractive, {"browser_actions": (TEXT,), "thought": (TEXT,)}),
    "delegate": (Delegation, {"agent": (TEXT,), "inputs": (MAPPING,), "thought": (TEXT,)}),
    "finish": (Finish, {"outputs": (MAPPING,), "thought": (TEXT,)}),
    "reject": (
        Reject,
        {
            "reason": (TEXT, "args.outputs.reason"),
            "outputs": (MAPPING,),
            "thought": (TEXT,),
        },
    ),
    "change_agent_state": (AgentStateChange, {"agent_state": (TEXT,), "thought": (TEXT,)}),
    "add_task": (TaskAdd, {"goal": (TEXT,), "parent": (TEXT,), "thought": (TEXT,)}),
    "modify_task": (TaskModify, {"task_id": (TEXT,), "state": (TEXT,), "thought": (TEXT,)}),
    "think": (Think, {"thought": (TEXT,)}),
    "summarize": (Summarize, {"summary": (TEXT,)}),
    "null": (NullEvent, {}),
}

_OBSERVATION_FIELDS: dict[str, tuple[type[Event], dict[str, tuple[str, ...]]]] = {
    "run": (CommandOutput, {"content": (TEXT,), "command": (TEXT,), "exit_code": (NUMBER,)}),
    "run_ipython": (IPythonOutput, {"content": (TEXT,), "code": (TEXT,)}),
    "read": (FileReadResult, {"content": (TEXT,), "path": (TEXT,)}),
    "write": (FileWriteResult, {"content": (TEXT,), "path": (TEXT,)}),
    "edit": (
        FileEditResult,
        {
            "diff": (TEXT, "content"),
            "path": (TEXT,),
            "old_content": (OPTIONAL_TEXT,),
            "new_content": (OPTIONAL_TEXT,),
        },
    ),
    "browse": (
        BrowseResult,
        {"content": (TEXT,), "url": (TEXT,), "has_screenshot": (FLAG, "extras.screenshot")},
    ),
    "error": (ErrorObservation, {"content": (TEXT,)}),
    "agent_state_changed": (AgentStateChanged, {"agent_state": (TEXT,)}),
    "delegate": (DelegateResult, {"content": (TEXT,), "outputs": (MAPPING,)}),
    "success": (Success, {"content": (TEXT,)}),
    "user_rejected": (UserRejected, {"content": (TEXT,)}),
    "null": (NullEvent, {}),
}

# The Python expression for each conversion of `value`; the common case (the type
# JSON gives) is tested inline and the helper is called only for the rest.
_CONVERSIONS = {
    TEXT: 'value if value.__class__ is str else "" if value is None else _text(value)',
    NUMBER: (
        "value if value.__class__ is int else {default!r} if value is None "
        "else _int(value, {default!r})"
    ),
    FLAG: "value is True or (value is not False and bool(value))",
    MAPPING: "value if value.__class__ is dict else _mapping(value)",
    STRINGS: "() if value is None else _strings(value)",
    OPTIONAL_TEXT: "value if value is None or value.__class__ is str else _text(value)",
    ITSELF: "raw",
}


def _read(path: str, body: str) -> str:
    """The expression that reads `path` (dotted) from `raw`, with `body` already at hand."""
    if not path:
        return "raw"
    first, *rest = path.split(".")
    if not rest:
        return f"raw.get({first!r})"
    expression = "body" if first == body else f"_mapping(raw.get({first!r}))"
    for key in rest[:-1]:
        expression = f"_mapping({expression}.get({key!r}))"
    return f"{expression}.get({rest[-1]!r})"


@functools.cache
def _twin(cls: type[Event]) -> type[Event]:
    """`cls` with the same slots and plain (not frozen) attribute assignment."""
    namespace = {"__slots__": (), "__setattr__": object.__setattr__}
    # Setting and deleting share one type slot: a Python `__delattr__` left in
    # place would keep every assignment on the slow path.
    namespace["__delattr__"] = object.__delattr__
    return type(f"_Building{cls.__name__}", (cls,), namespace)


def _compile(cls: type[Event], body: str, own: dict[str, tuple[str, ...]]) -> Callable:
    """`build(raw)` for one kind: `cls`'s fields read from `raw` (`body` is args/extras)."""
    reads = {name: (conversion, path) for name, (conversion, path) in _COMMON.items()}
    for name, (conversion, *path) in own.items():
        default_path = name if (name == "content" and body == "extras") else f"{body}.{name}"
        reads[name] = (conversion, path[0] if path else default_path)
    declared = [item.name for item in fields(cls)]
    if sorted(declared) != sorted(reads):
        raise TypeError(f"{cls.__name__}: fields {declared} but the table reads {list(reads)}")
    twin = _twin(cls)
    namespace: dict[str, Any] = {
        "cls": cls,
        "twin": twin,
        "new": object.__new__,
        "_text": _text,
        "_int": _int,
        "_mapping": _mapping,
        "_strings": _strings,
    }
    code = [
        "def build(raw):",
        f"    body = raw.get({body!r})",
        "    if body.__class__ is not dict:",
        "        body = _mapping(body)",
        "    event = new(twin)",
    ]
    for item in fields(cls):
        conversion, path = reads[item.name]
        expression = _CONVERSIONS[conversion].format(default=item.default)
        if conversion != ITSELF:
            code.append(f"    value = {_read(path, body)}")
        code.append(f"    event.{item.name} = {expression}")
    code.append("    event.__class__ = cls")
    code.append("    return event")
    exec("\n".join(code), namespace)  # as `dataclasses` itself makes `__init__`
    build = namespace["build"]
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    return build


class _Builders(dict[str, Callable[[Mapping[str, Any]], Event]]):
    """The builders of one table by kind name, each compiled when first needed
    (compiling them all would add a quarter to the import time of this module)."""

    def __init__(self, table: dict[str, tuple[type[Event], dict[str, tuple[str, ...]]]], body: str):
        super().__init__()
        self.table = table
        self.body = body

    def __missing__(self, name: str) -> Callable[[Mapping[str, Any]], Event] | None:
        entry = self.table.get(name)
        if entry is None:
            return None  # an unknown kind; not remembered, the names come from the wire
        build = self[name] = _compile(entry[0], self.body, entry[1])
        return build


_ACTIONS = _Builders(_ACTION_FIELDS, "args")
_OBSERVATIONS = _Builders(_OBSERVATION_FIELDS, "extras")


def _notice(raw: Mapping[str, Any]) -> Event:
    kind = raw.get(NOTICE_KEY)
    base = {**_base(raw), "source": "client"}
    if kind == AutoContinued.kind:
        return AutoContinued(
            **base, number=_int(raw.get("number"), 1), limit=_int(raw.get("limit"), 1)
        )
    if kind == SessionRenewed.kind:
        return SessionRenewed(
            **base,
            old_session_id=_text(raw.get("old_session_id")),
            new_session_id=_text(raw.get("new_session_id")),
        )
    return UnknownEvent(**base, name=_text(kind), category="notice")


_ABSENT = object()


def parse_event(raw: Mapping[str, Any]) -> Event:
    """Turn one decoded JSON object into its typed event. Never raises."""
    name = raw.get("action", _ABSENT)
    if name is not _ABSENT:
        if name.__class__ is not str:
            name = _text(name)
        build = _ACTIONS[name]
        if build is None:
            return UnknownEvent(**_base(raw), name=name, category="action")
        return build(raw)
    name = raw.get("observation", _ABSENT)
    if name is not _ABSENT:
        if name.__class__ is not str:
            name = _text(name)
        build = _OBSERVATIONS[name]
        if build is None:
            return UnknownEvent(**_base(raw), name=name, category="observation")
        return build(raw)
    base = _base(raw)
    if raw.get("status_update") is True:
        return StatusUpdate(
            **base, level=_text(raw.get("type")) or "info", status_id=_text(raw.get("id"))
        )
    if raw.get("error") is True:
        return ErrorFrame(**{**base, "id": None})
    if NOTICE_KEY in raw:
        return _notice(raw)
    return UnknownEvent(**base, name="", category="frame")


# `json.loads`'s own scanner (C), without the Python wrappers around it.
_scan_value = json.scanner.make_scanner(json.JSONDecoder())


def parse_line(line: bytes | str) -> Event:
    """Decode one stream line (UTF-8 JSON object) into an event.

    Raises `InvalidLine` for anything that is not a JSON object, including bytes
    that are not valid UTF-8.
    """
    try:
        try:
            # The usual line, scanned without `json.loads`'s wrappers (about a third
            # of its time here). Whenever this succeeds, `json.loads` would have
            # decoded the same text the same way; anything else is left to it below.
            text = line if isinstance(line, str) else line.decode()
            raw, end = _scan_value(text, 0)
            if end != len(text) and text[end:].strip(" \t\n\r"):
                raise ValueError("extra data")
        except (ValueError, AttributeError, StopIteration):
            raw = json.loads(line)  # decides, and raises, exactly as before
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidLine(str(error)) from None
    if not isinstance(raw, dict):
        raise InvalidLine(f"expected a JSON object, got {type(raw).__name__}")
    return parse_event(raw)

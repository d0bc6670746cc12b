"""Raw JSON lines from `/chat` become typed, frozen events here, and only here.

One class per OpenHands event kind the protocol names, one per non-event frame,
`UnknownEvent` for anything new, and two notices the client itself produces
(`AutoContinued`, `SessionRenewed`). Every event keeps the object it was parsed
from in `raw`, so storage and export stay lossless; nothing past this module
should need to look inside it.
"""

from __future__ import annotations

import functools
import json
import json.scanner
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

__all__ = [
    "AgentMessage",
    "AgentStateChange",
    "AgentStateChanged",
    "AutoContinued",
    "Browse",
    "BrowseInteractive",
    "BrowseResult",
    "CommandOutput",
    "CommandRun",
    "DelegateResult",
    "Delegation",
    "ErrorFrame",
    "ErrorObservation",
    "Event",
    "FileEdit",
    "FileEditResult",
    "FileRead",
    "FileReadResult",
    "FileWrite",
    "FileWriteResult",
    "Finish",
    "IPythonOutput",
    "IPythonRun",
    "InvalidLine",
    "NullEvent",
    "Reject",
    "SessionRenewed",
    "StatusUpdate",
    "Success",
    "Summarize",
    "TaskAdd",
    "TaskModify",
    "Think",
    "UnknownEvent",
    "UserRejected",
    "parse_event",
    "parse_line",
]

# Key under which the client's own notices keep their data, so that they survive
# a round trip through storage like any server event.
NOTICE_KEY = "robotui_notice"


class InvalidLine(ValueError):
    """A stream line that is not a JSON object; the stream skips and counts it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Fields every event has. `kind` names the class in JSON and storage."""

    kind: ClassVar[str] = "event"

    id: int | None = None
    timestamp: str = ""
    source: str = ""
    message: str = ""
    cause: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The seed provider's text: `args.content` if a non-empty string, else `message`."""
        args = self.raw.get("args")
        if isinstance(args, Mapping):
            content = args.get("content")
            if isinstance(content, str) and content:
                return content
        message = self.raw.get("message")
        return message if isinstance(message, str) else ""

    def to_json(self) -> dict[str, Any]:
        """The typed fields as a JSON-ready dict, `type` first (no `raw`)."""
        data: dict[str, Any] = {"type": self.kind}
        for item in fields(self):
            if item.name != "raw":
                value = getattr(self, item.name)
                data[item.name] = list(value) if isinstance(value, tuple) else value
        return data


# ---------------------------------------------------------------- actions


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentMessage(Event):
    """`message` action: the agent (or the echoed user) saying something."""

    kind: ClassVar[str] = "message"
    content: str = ""
    image_urls: tuple[str, ...] = ()
    wait_for_response: bool = False

    @property
    def from_user(self) -> bool:
        return self.source == "user"


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandRun(Event):
    """`run` action: a shell command the agent is about to run."""

    kind: ClassVar[str] = "run"
    command: str = ""
    thought: str = ""
    blocking: bool = False
    hidden: bool = False
    confirmation_state: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IPythonRun(Event):
    """`run_ipython` action: a Jupyter cell."""

    kind: ClassVar[str] = "run_ipython"
    code: str = ""
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FileRead(Event):
    """`read` action: lines `start`..`end` of a file (`end` -1: to the end)."""

    kind: ClassVar[str] = "read"
    path: str = ""
    start: int = 0
    end: int = -1
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FileWrite(Event):
    """`write` action: the whole new content of a file."""

    kind: ClassVar[str] = "write"
    path: str = ""
    content: str = ""
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FileEdit(Event):
    """`edit` action: replace lines `start`..`end` of a file with `content`."""

    kind: ClassVar[str] = "edit"
    path: str = ""
    content: str = ""
    start: int = 0
    end: int = -1
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Browse(Event):
    """`browse` action: open a URL."""

    kind: ClassVar[str] = "browse"
    url: str = ""
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class BrowseInteractive(Event):
    """`browse_interactive` action: BrowserGym actions such as `click("a51")`."""

    kind: ClassVar[str] = "browse_interactive"
    browser_actions: str = ""
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Delegation(Event):
    """`delegate` action: hand a task to another agent."""

    kind: ClassVar[str] = "delegate"
    agent: str = ""
    inputs: Mapping[str, Any] = field(default_factory=dict)
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Finish(Event):
    """`finish` action: the agent considers the task done."""

    kind: ClassVar[str] = "finish"
    outputs: Mapping[str, Any] = field(default_factory=dict)
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reject(Event):
    """`reject` action: the agent refuses the task; `reason` says why."""

    kind: ClassVar[str] = "reject"
    reason: str = ""
    outputs: Mapping[str, Any] = field(default_factory=dict)
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentStateChange(Event):
    """`change_agent_state` action: a request to move the agent to a state."""

    kind: ClassVar[str] = "change_agent_state"
    agent_state: str = ""
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskAdd(Event):
    """`add_task` action: a new (sub)task in the agent's plan."""

    kind: ClassVar[str] = "add_task"
    goal: str = ""
    parent: str = ""
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskModify(Event):
    """`modify_task` action: a task in the plan changes state."""

    kind: ClassVar[str] = "modify_task"
    task_id: str = ""
    state: str = ""
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Think(Event):
    """`think` action: the agent's reasoning, shown quietly."""

    kind: ClassVar[str] = "think"
    thought: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Summarize(Event):
    """`summarize` action: a summary of the work so far."""

    kind: ClassVar[str] = "summarize"
    summary: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class NullEvent(Event):
    """`null` action or observation: OpenHands' "nothing happened"."""

    kind: ClassVar[str] = "null"


# ----------------------------------------------------------- observations


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandOutput(Event):
    """`run` observation: a command's terminal output and exit code."""

    kind: ClassVar[str] = "run_output"
    content: str = ""
    command: str = ""
    exit_code: int | None = None

    @property
    def failed(self) -> bool:
        return self.exit_code not in (0, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class IPythonOutput(Event):
    """`run_ipython` observation: a cell's output."""

    kind: ClassVar[str] = "run_ipython_output"
    content: str = ""
    code: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FileReadResult(Event):
    """`read` observation: the text that was read."""

    kind: ClassVar[str] = "read_output"
    content: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FileWriteResult(Event):
    """`write` observation: the file was written."""

    kind: ClassVar[str] = "write_output"
    content: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FileEditResult(Event):
    """`edit` observation: `diff` is a unified diff of the change."""

    kind: ClassVar[str] = "edit_output"
    diff: str = ""
    path: str = ""
    old_content: str | None = None
    new_content: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BrowseResult(Event):
    """`browse` observation: page text; the screenshot is only flagged, never kept as text."""

    kind: ClassVar[str] = "browse_output"
    content: str = ""
    url: str = ""
    has_screenshot: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorObservation(Event):
    """`error` observation: something failed on the agent's side."""

    kind: ClassVar[str] = "error"
    content: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentStateChanged(Event):
    """`agent_state_changed` observation: the agent is now in `agent_state`."""

    kind: ClassVar[str] = "agent_state_changed"
    agent_state: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DelegateResult(Event):
    """`delegate` observation: what the delegated agent came back with."""

    kind: ClassVar[str] = "delegate_output"
    content: str = ""
    outputs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Success(Event):
    """`success` observation."""

    kind: ClassVar[str] = "success"
    content: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class UserRejected(Event):
    """`user_rejected` observation: an action was refused on the user's behalf."""

    kind: ClassVar[str] = "user_rejected"
    content: str = ""


# ------------------------------------------------- frames that are not events


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorFrame(Event):
    """`{"error": true, "message": ...}`: the server reports a failure in-stream."""

    kind: ClassVar[str] = "error_frame"


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusUpdate(Event):
    """`{"status_update": true, "type": "info"|"error", ...}`: a progress note."""

    kind: ClassVar[str] = "status_update"
    level: str = "info"
    status_id: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownEvent(Event):
    """Anything this client does not know: shown generically, never fatal."""

    kind: ClassVar[str] = "unknown"
    name: str = ""
    category: str = ""

    def to_json(self) -> dict[str, Any]:
        data = Event.to_json(self)
        data["raw"] = dict(self.raw)
        return data


# ------------------------------------------------ notices from the client itself


@dataclass(frozen=True, slots=True, kw_only=True)
class AutoContinued(Event):
    """The client posted `continue` on its own: `number` of at most `limit`."""

    kind: ClassVar[str] = "auto_continue"
    number: int = 1
    limit: int = 1

    @classmethod
    def create(cls, number: int, limit: int) -> AutoContinued:
        message = f"continued automatically, {number} of {limit}"
        raw = {NOTICE_KEY: cls.kind, "number": number, "limit": limit, "message": message}
        return cls(number=number, limit=limit, source="client", message=message, raw=raw)


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionRenewed(Event):
    """The server forgot the session; a new one replaced it, without earlier turns."""

    kind: ClassVar[str] = "session_renewed"
    old_session_id: str = ""
    new_session_id: str = ""

    @classmethod
    def create(cls, old_session_id: str, new_session_id: str, reason: str) -> SessionRenewed:
        message = (
            f"{reason}: a new session was opened, and the agent no longer remembers earlier turns"
        )
        raw = {
            NOTICE_KEY: cls.kind,
            "old_session_id": old_session_id,
            "new_session_id": new_session_id,
            "message": message,
        }
        return cls(
            old_session_id=old_session_id,
            new_session_id=new_session_id,
            source="client",
            message=message,
            raw=raw,
        )


# ------------------------------------------------------------------ parsing


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

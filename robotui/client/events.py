"""Raw JSON lines from `/chat` become typed, frozen events here, and only here.

One class per OpenHands event kind the protocol names, one per non-event frame,
`UnknownEvent` for anything new, and two notices the client itself produces
(`AutoContinued`, `SessionRenewed`). Every event keeps the object it was parsed
from in `raw`, so storage and export stay lossless; nothing past this module
should need to look inside it.
"""

from __future__ import annotations

from collections.abc import Mapping
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


# Parsing lives beside: `parse_line` and `parse_event` are importable from here.
from robotui.client.parsing import parse_event, parse_line  # noqa: E402

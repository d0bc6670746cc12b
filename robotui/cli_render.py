"""The agent's work as readable plain text, for `robotui ask`.

Messages as text, commands as `$ cmd` followed by their output and exit code,
writes and edits as unified diffs. Everything the server sent goes through
`visible()`, so it is printed literally; the only escape sequences on the line
are our own colours, and only when the output is a terminal.
"""

from __future__ import annotations

import json
from typing import TextIO

from robotui.client import events as ev
from robotui.eventtext import outputs_text, strip_echo, unified_diff
from robotui.textsafe import visible

# States worth a line of their own; the rest are implied by what follows them.
_NOTABLE_STATES = {"error", "rate_limited", "paused", "stopped", "rejected", "user_rejected"}
_PREVIEW_LINES = 12
_ACTIONS_WITH_OUTPUT = (
    ev.CommandRun,
    ev.IPythonRun,
    ev.FileRead,
    ev.FileEdit,
    ev.Browse,
    ev.BrowseInteractive,
)
_OBSERVATIONS = (
    ev.CommandOutput,
    ev.IPythonOutput,
    ev.FileReadResult,
    ev.FileEditResult,
    ev.BrowseResult,
)


class Style:
    """ANSI styles, or nothing when colour is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def red(self, text: str) -> str:
        return self._wrap("31", text)

    def green(self, text: str) -> str:
        return self._wrap("32", text)

    def cyan(self, text: str) -> str:
        return self._wrap("36", text)

    def yellow(self, text: str) -> str:
        return self._wrap("33", text)


class TextRenderer:
    """Writes one event at a time to `out`, flushing after each."""

    def __init__(self, out: TextIO, *, color: bool = False) -> None:
        self.out = out
        self.style = Style(color)
        self._written = False
        self._action_open = False

    def render(self, event: ev.Event) -> None:
        """Print one event; an observation follows its action without a blank line."""
        text = self.format(event)
        if text is None:
            return
        attached = self._action_open and isinstance(event, _OBSERVATIONS)
        if self._written and not attached:
            self.out.write("\n")
        self.out.write(text.rstrip("\n") + "\n")
        self.out.flush()
        self._written = True
        self._action_open = isinstance(event, _ACTIONS_WITH_OUTPUT)

    def format(self, event: ev.Event) -> str | None:
        """The text for one event, or None for events not worth a line."""
        s = self.style
        match event:
            case ev.AgentMessage(from_user=True):
                return None
            case ev.AgentMessage():
                return visible(event.content or event.message)
            case ev.CommandRun():
                lines = [s.dim(f"# {visible(event.thought)}")] if event.thought else []
                lines.append(s.bold(f"$ {visible(event.command)}"))
                return "\n".join(lines)
            case ev.CommandOutput():
                status = f"[exit {event.exit_code}]" if event.exit_code is not None else ""
                status = s.red(status + " failed") if event.failed else s.dim(status)
                output = strip_echo(visible(event.content), event.command)
                return f"{output}\n{status}" if output else status
            case ev.IPythonRun():
                lines = visible(event.code).split("\n")
                cell = [">>> " + lines[0], *("... " + line for line in lines[1:])]
                return s.bold("\n".join(cell))
            case ev.IPythonOutput():
                return visible(event.content)
            case ev.FileRead():
                where = _line_range(event.start, event.end)
                return s.dim(f"reading {visible(event.path)}{where}")
            case ev.FileReadResult():
                return self._preview(event.content)
            case ev.FileWrite():
                return self._diff(event.path, None, event.content)
            case ev.FileWriteResult() | ev.NullEvent() | ev.AgentStateChange():
                return None
            case ev.FileEdit():
                thought = f": {visible(event.thought)}" if event.thought else ""
                return s.dim(f"editing {visible(event.path)}{thought}")
            case ev.FileEditResult():
                if event.diff:
                    return self._color_diff(visible(event.diff))
                return self._diff(event.path, event.old_content or "", event.new_content or "")
            case ev.Browse():
                return s.dim(f"browsing {visible(event.url)}")
            case ev.BrowseInteractive():
                return s.dim(f"browser: {visible(event.browser_actions)}")
            case ev.BrowseResult():
                return s.dim(f"visited {visible(event.url)}") + "\n" + self._preview(event.content)
            case ev.Delegation():
                task = event.inputs.get("task", "") if event.inputs else ""
                return s.cyan(f"delegating to {visible(event.agent)}: {visible(str(task))}")
            case ev.DelegateResult():
                return s.cyan(visible(event.content or outputs_text(event.outputs)))
            case ev.Finish():
                detail = event.thought or outputs_text(event.outputs)
                if not detail and event.message:
                    detail = event.message
                return s.green("finished") + (f": {visible(detail)}" if detail else "")
            case ev.Reject():
                return s.red(f"rejected: {visible(event.reason or event.message)}")
            case ev.AgentStateChanged():
                if event.agent_state in _NOTABLE_STATES:
                    return s.yellow(f"[agent {visible(event.agent_state)}]")
                return None
            case ev.TaskAdd():
                return s.dim(f"task added: {visible(event.goal)}")
            case ev.TaskModify():
                return s.dim(f"task {visible(event.task_id)}: {visible(event.state)}")
            case ev.Think():
                return s.dim(f"thinking: {visible(event.thought)}") if event.thought else None
            case ev.Summarize():
                return visible(event.summary or event.message)
            case ev.ErrorObservation():
                return s.red(f"error: {visible(event.content or event.message)}")
            case ev.Success():
                return s.green(visible(event.content or event.message))
            case ev.UserRejected():
                return s.yellow(visible(event.content or event.message))
            case ev.ErrorFrame():
                return s.red(f"server error: {visible(event.message)}")
            case ev.StatusUpdate():
                return s.dim(f"[{visible(event.level)}] {visible(event.message)}")
            case ev.AutoContinued():
                return s.dim(f"[{event.message}]")
            case ev.SessionRenewed():
                return s.yellow(f"[{event.message}]")
            case ev.UnknownEvent():
                label = f"{event.category} {event.name}".strip() or "event"
                body = event.message or json.dumps(dict(event.raw), ensure_ascii=False)[:500]
                return s.dim(f"[{visible(label)}] {visible(body)}")
        return visible(event.text) or None

    def _preview(self, content: str) -> str:
        lines = visible(content).rstrip("\n").split("\n")
        if len(lines) <= _PREVIEW_LINES:
            return "\n".join(lines)
        hidden = len(lines) - _PREVIEW_LINES
        return "\n".join(lines[:_PREVIEW_LINES]) + "\n" + self.style.dim(f"... {hidden} more lines")

    def _diff(self, path: str, old: str | None, new: str) -> str:
        return self._color_diff(visible(unified_diff(path, old, new)))

    def _color_diff(self, diff: str) -> str:
        s = self.style
        if not s.enabled:
            return diff
        lines = []
        for line in diff.split("\n"):
            if line.startswith(("+++", "---")):
                lines.append(s.bold(line))
            elif line.startswith("+"):
                lines.append(s.green(line))
            elif line.startswith("-"):
                lines.append(s.red(line))
            elif line.startswith("@@"):
                lines.append(s.cyan(line))
            else:
                lines.append(line)
        return "\n".join(lines)


def _line_range(start: int, end: int) -> str:
    if start <= 0 and end == -1:
        return ""
    return f" (lines {start}-{'end' if end == -1 else end})"

"""A conversation as Markdown a person reads: prompts, the agent's messages, and its
work in fenced blocks (commands as `console`, code by language, edits as `diff`).

Every piece of server text goes through `visible()`, so printing an export to a
terminal shows escape sequences instead of obeying them. Fences are always
longer than any run of backticks inside, so content that has its own ``` stays
intact. The JSON export, not this one, is the lossless record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import PurePosixPath

from robotui.client import events as ev
from robotui.eventtext import strip_echo
from robotui.store.models import Conversation, StoredEvent, Turn
from robotui.textsafe import visible

PREVIEW_LINES = 40
# States worth a quiet line; the others are implied by what follows them.
NOTABLE_STATES = {"error", "rate_limited", "paused", "stopped", "rejected", "user_rejected"}

_LANGUAGES = {
    ".py": "python", ".pyi": "python", ".go": "go", ".rs": "rust", ".js": "javascript",
    ".mjs": "javascript", ".cjs": "javascript", ".jsx": "jsx", ".ts": "typescript",
    ".tsx": "tsx", ".rb": "ruby", ".java": "java", ".kt": "kotlin", ".swift": "swift",
    ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".hpp": "cpp", ".cs": "csharp",
    ".php": "php", ".sh": "bash", ".bash": "bash", ".zsh": "zsh", ".ps1": "powershell",
    ".html": "html", ".htm": "html", ".css": "css", ".scss": "scss", ".vue": "vue",
    ".json": "json", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".ini": "ini",
    ".xml": "xml", ".sql": "sql", ".md": "markdown", ".lua": "lua", ".r": "r",
    ".scala": "scala", ".dart": "dart", ".ex": "elixir", ".exs": "elixir", ".hs": "haskell",
}  # fmt: skip
_FILE_NAMES = {"dockerfile": "dockerfile", "makefile": "makefile", "cmakelists.txt": "cmake"}
_BACKTICKS = re.compile(r"`+")


def language_for(path: str) -> str:
    """The fence language for a file path (`.go` → go, `.py` → python), or ""."""
    name = PurePosixPath(path.strip()).name.lower()
    if name in _FILE_NAMES:
        return _FILE_NAMES[name]
    return _LANGUAGES.get(PurePosixPath(name).suffix, "")


def _longest_backticks(text: str) -> int:
    return max((len(run) for run in _BACKTICKS.findall(text)), default=0)


def fenced(content: str, language: str = "") -> str:
    """`content` in a code fence longer than any backtick run inside it."""
    fence = "`" * max(3, _longest_backticks(content) + 1)
    body = content if content.endswith("\n") or not content else content + "\n"
    return f"{fence}{language}\n{body}{fence}"


def code_span(text: str) -> str:
    """`text` as inline code, whatever backticks it contains."""
    text = " ".join(text.split())
    ticks = "`" * (_longest_backticks(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _clipped(text: str, limit: int = PREVIEW_LINES) -> str:
    lines = text.splitlines()
    if len(lines) <= limit:
        return text
    return "\n".join([*lines[:limit], f"… ({len(lines) - limit} more lines)"])


def _details(summary: str, body: str) -> str:
    return f"<details><summary>{summary}</summary>\n\n{body}\n\n</details>"


def _json(value: Mapping[str, object]) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _command_block(command: str, output: ev.CommandOutput | None) -> str:
    lines = [f"$ {visible(command)}"] if command else []
    if output is not None:
        text = strip_echo(visible(output.content), visible(command)).rstrip("\n")
        if text:
            lines.append(text)
        if output.exit_code is not None:
            lines.append(f"[exit {output.exit_code}]")
    return fenced("\n".join(lines), "console")


def render_event(event: ev.Event, output: ev.CommandOutput | None = None) -> str | None:
    """Markdown for one event, or None for events not worth showing.

    `output` is the observation answering a `CommandRun`, shown in the same block.
    """
    v = visible
    match event:
        case ev.AgentMessage(from_user=True):
            return f"**You:** {v(event.content or event.message)}"
        case ev.AgentMessage():
            text = v(event.content or event.message)
            return f"{text}\n\n*(waiting for your reply)*" if event.wait_for_response else text
        case ev.CommandRun():
            thought = f"{v(event.thought)}\n\n" if event.thought else ""
            return thought + _command_block(event.command, output)
        case ev.CommandOutput():
            return _command_block(event.command, event)
        case ev.IPythonRun():
            thought = f"{v(event.thought)}\n\n" if event.thought else ""
            return thought + fenced(v(event.code), "python")
        case ev.IPythonOutput():
            return fenced(v(event.content).rstrip("\n"), "text") if event.content else None
        case ev.FileRead():
            return f"*Read {code_span(v(event.path))}*"
        case ev.FileReadResult():
            body = fenced(_clipped(v(event.content)), language_for(event.path))
            return _details(f"Contents of {v(event.path) or 'the file'}", body)
        case ev.FileWrite():
            header = f"**Wrote {code_span(v(event.path))}**"
            return f"{header}\n\n{fenced(v(event.content), language_for(event.path))}"
        case ev.FileEdit():
            header = f"**Edit {code_span(v(event.path))}**"
            return f"{header}\n\n{fenced(v(event.content), language_for(event.path))}"
        case ev.FileEditResult():
            if not event.diff.strip():
                return f"*Edited {code_span(v(event.path))}*"
            return fenced(v(event.diff).rstrip("\n"), "diff")
        case ev.FileWriteResult() | ev.NullEvent() | ev.AgentStateChange():
            return None
        case ev.Browse():
            return f"*Browse {v(event.url)}*"
        case ev.BrowseInteractive():
            return fenced(v(event.browser_actions), "python")
        case ev.BrowseResult():
            # Page text only: the screenshot stays in the raw JSON.
            return _details(f"Page {v(event.url)}", fenced(_clipped(v(event.content)), "text"))
        case ev.Delegation():
            task = event.inputs.get("task")
            detail = v(task) if isinstance(task, str) else fenced(v(_json(event.inputs)), "json")
            return f"**Delegated to {v(event.agent)}:** {detail}"
        case ev.DelegateResult():
            text = v(event.content) or fenced(v(_json(event.outputs)), "json")
            return f"**Delegate result:** {text}"
        case ev.Finish():
            parts = ["**Finished.**"]
            if event.thought:
                parts.append(v(event.thought))
            content = event.outputs.get("content")
            if isinstance(content, str) and content:
                parts.append(v(content))
            return "\n\n".join(parts)
        case ev.Reject():
            return f"**Rejected:** {v(event.reason or event.thought or event.message)}"
        case ev.AgentStateChanged():
            if event.agent_state in NOTABLE_STATES:
                return f"*Agent state: {v(event.agent_state)}*"
            return None
        case ev.TaskAdd():
            return f"*Task: {v(event.goal)}*"
        case ev.TaskModify():
            return f"*Task {v(event.task_id)}: {v(event.state)}*"
        case ev.Think():
            return f"*Thinking:* {v(event.thought)}" if event.thought else None
        case ev.Summarize():
            return f"**Summary:** {v(event.summary)}"
        case ev.ErrorObservation():
            return f"**Error:**\n\n{fenced(v(event.content).rstrip(chr(10)), 'text')}"
        case ev.ErrorFrame():
            return f"**Server error:** {v(event.message)}"
        case ev.Success() | ev.UserRejected():
            text = event.content or event.message
            return f"*{v(text)}*" if text else None
        case ev.StatusUpdate():
            return f"*Status: {v(event.message)}*" if event.message else None
        case ev.AutoContinued() | ev.SessionRenewed():
            return f"*{v(event.message)}*"
        case ev.UnknownEvent(category="notice", name="system_prompt"):
            return f"*System:* {v(event.text)}"
        case _:
            text = v(event.text)
            label = getattr(event, "name", "") or event.kind
            return f"*({v(label)})* {text}".rstrip()


def _render_events(events: Sequence[StoredEvent], prompt: str) -> list[str]:
    blocks: list[str] = []
    typed = [stored.event for stored in events]
    used: set[int] = set()
    for index, event in enumerate(typed):
        if index in used:
            continue
        if (
            isinstance(event, ev.AgentMessage)
            and event.from_user
            and (event.content or event.message).strip() in (prompt.strip(), "continue")
        ):
            continue  # the server's echo of the prompt, or an automatic continue
        output = None
        if isinstance(event, ev.CommandRun):
            for later in range(index + 1, len(typed)):
                candidate = typed[later]
                if (
                    isinstance(candidate, ev.CommandOutput)
                    and later not in used
                    and (candidate.cause == event.id or candidate.command == event.command)
                ):
                    output = candidate
                    used.add(later)
                    break
                if isinstance(candidate, ev.CommandRun):
                    break
        block = render_event(event, output)
        if block:
            blocks.append(block)
    return blocks


_STATUS_NOTES = {
    "running": "This turn is still running",
    "waiting": "The agent is waiting for a reply",
    "cancelled": "This turn was cancelled",
    "error": "This turn ended with an error",
    "interrupted": "This turn was interrupted",
}


def render_turn(turn: Turn, events: Sequence[StoredEvent]) -> str:
    """Markdown for one turn: `## You`, the prompt, then the agent's work."""
    parts: list[str] = []
    if turn.prompt.strip():
        parts += ["## You", visible(turn.prompt.strip("\n"))]
    parts.append(f"## {visible(turn.agent) or 'Agent'}")
    parts += _render_events(events, turn.prompt)
    note = _STATUS_NOTES.get(turn.status)
    if note:
        parts.append(f"*{note}: {visible(turn.error)}*" if turn.error else f"*{note}.*")
    return "\n\n".join(parts)


def render_conversation(
    conversation: Conversation, turns: Sequence[tuple[Turn, Sequence[StoredEvent]]]
) -> str:
    """The whole conversation as one Markdown document."""
    header = [
        f"# {visible(conversation.title)}",
        "\n".join(
            line
            for line in (
                f"- Agent: {visible(conversation.agent)}",
                f"- Server: {visible(conversation.server)}" if conversation.server else "",
                f"- Started: {_when(conversation.created_at)}",
                f"- Updated: {_when(conversation.updated_at)}",
                f"- Turns: {len(turns)}",
            )
            if line
        ),
    ]
    body = [render_turn(turn, events) for turn, events in turns]
    return "\n\n".join([*header, *body]) + "\n"

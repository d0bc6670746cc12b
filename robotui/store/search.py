"""What is searchable in an event, and how a person's search text becomes an FTS5 query.

Search syntax (deliberately small, so no input can be an FTS5 syntax error):
words must all appear, in any order; `"a quoted phrase"` must appear as is; a
word ending in `*` matches as a prefix. Everything else, `AND`, `OR`,
parentheses, colons, is ordinary text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from robotui.client import events as ev

# Output and file contents can be huge; their start is what people remember.
OUTPUT_LIMIT = 2000
CONTENT_LIMIT = 4000

_PIECE = re.compile(r'"([^"]*)"?|(\S+)')


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit]


def _outputs_text(outputs: Mapping[str, object]) -> str:
    if not outputs:
        return ""
    return json.dumps(outputs, ensure_ascii=False)


def search_body(event: ev.Event) -> str:
    """The text of `event` worth finding again, or "" for events not indexed.

    Indexed: agent messages, commands and their (clipped) output, code and its
    output, written and edited file contents, diffs, delegations, finish and
    reject text, thoughts, errors. Not indexed: the user's echoed message (the
    turn's prompt already is), file reads, state changes, screenshots.
    """
    match event:
        case ev.AgentMessage(from_user=True):
            return ""
        case ev.AgentMessage():
            return event.content or event.message
        case ev.CommandRun():
            return "\n".join(part for part in (event.thought, event.command) if part)
        case ev.CommandOutput():
            return _clip(event.content, OUTPUT_LIMIT)
        case ev.IPythonRun():
            return "\n".join(
                part for part in (event.thought, _clip(event.code, CONTENT_LIMIT)) if part
            )
        case ev.IPythonOutput():
            return _clip(event.content, OUTPUT_LIMIT)
        case ev.FileWrite() | ev.FileEdit():
            return f"{event.path}\n{_clip(event.content, CONTENT_LIMIT)}"
        case ev.FileEditResult():
            return f"{event.path}\n{_clip(event.diff, CONTENT_LIMIT)}"
        case ev.FileRead():
            return event.path
        case ev.Browse():
            return event.url
        case ev.BrowseResult():
            return f"{event.url}\n{_clip(event.content, OUTPUT_LIMIT)}"
        case ev.Delegation():
            return f"{event.agent}\n{_outputs_text(event.inputs)}"
        case ev.DelegateResult():
            return event.content or _outputs_text(event.outputs)
        case ev.Finish():
            return "\n".join(part for part in (event.thought, _outputs_text(event.outputs)) if part)
        case ev.Reject():
            return event.reason or event.thought
        case ev.Think():
            return event.thought
        case ev.Summarize():
            return event.summary
        case ev.TaskAdd():
            return event.goal
        case ev.ErrorObservation():
            return _clip(event.content, OUTPUT_LIMIT)
        case ev.ErrorFrame():
            return event.message
        case _:
            return ""


def _has_word(text: str) -> bool:
    # The tokenizer keeps letters and digits only; a piece without any would be an
    # empty phrase, which matches nothing.
    return any(char.isalnum() for char in text)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_query(text: str) -> str | None:
    """`text` as a safe FTS5 MATCH expression, or None when it has nothing to search for.

    Every piece becomes a quoted string (the tokenizer splits it into words), so
    FTS5 operators in the input are matched as words, never obeyed.
    """
    pieces: list[str] = []
    for match in _PIECE.finditer(text):
        phrase, word = match.groups()
        if phrase is not None:
            if _has_word(phrase):
                pieces.append(_quoted(phrase))
            continue
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if _has_word(word):
            pieces.append(_quoted(word) + ("*" if prefix else ""))
    return " ".join(pieces) or None

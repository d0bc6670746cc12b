"""What is searchable in an event, and how a person's search text becomes an FTS5 query.

Search syntax (deliberately small, so no input can be an FTS5 syntax error):
words must all appear, in any order; `"a quoted phrase"` must appear as is; a
word ending in `*` matches as a prefix. Everything else, `AND`, `OR`,
parentheses, colons, is ordinary text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from robotui.client import events as ev

# Output and file contents can be huge; their start is what people remember.
OUTPUT_LIMIT = 2000
CONTENT_LIMIT = 4000
PROMPT_LIMIT = 8000

_PIECE = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")
# How many words a prefix may stand for before it is searched as a prefix after all.
MAX_EXPANSION = 64


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


def prompt_body(prompt: str) -> str:
    """The searchable text of a prompt: its start, if someone pasted a whole file."""
    return _clip(prompt, PROMPT_LIMIT)


def _has_word(text: str) -> bool:
    # The tokenizer keeps letters and digits only; a piece without any would be an
    # empty phrase, which matches nothing.
    return any(char.isalnum() for char in text)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fold(text: str) -> str:
    """Lower case without diacritics, as the `unicode61 remove_diacritics 2` tokenizer folds."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The folded words of `text`, split where the tokenizer splits (letters and digits only)."""
    return [fold(word) for word in _WORD.findall(text)]


@dataclass(frozen=True, slots=True)
class Piece:
    """One part of a search: a word or a quoted phrase; `prefix` if it ended in `*`."""

    text: str
    words: tuple[str, ...]
    prefix: bool = False

    def expression(self) -> str:
        """The piece as FTS5 MATCH text: quoted, then `*` if a prefix."""
        return _quoted(self.text) + ("*" if self.prefix else "")


def parse_search(text: str) -> list[Piece]:
    """The pieces of a person's search text (see the module doc); [] if nothing to search."""
    pieces: list[Piece] = []
    for match in _PIECE.finditer(text):
        phrase, word = match.groups()
        if phrase is not None:
            if _has_word(phrase):
                pieces.append(Piece(phrase, tuple(words(phrase))))
            continue
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if _has_word(word):
            pieces.append(Piece(word, tuple(words(word)), prefix))
    return pieces


def match_expression(pieces: list[Piece], expansions: Mapping[str, list[str]]) -> str:
    """The FTS5 MATCH text: pieces quoted, prefixes replaced by their known words if given.

    FTS5 reads a prefix query's matches for every word into memory before the
    first result; an OR of the words it stands for streams, newest first, and stops
    early. `expansions` maps a one-word prefix to those words.
    """
    parts = []
    for piece in pieces:
        known = expansions.get(piece.words[0]) if piece.prefix and len(piece.words) == 1 else None
        if known:
            parts.append("(" + " OR ".join(_quoted(term) for term in known) + ")")
        else:
            parts.append(piece.expression())
    return " ".join(parts)


def fts_query(text: str) -> str | None:
    """`text` as a safe FTS5 MATCH expression, or None when it has nothing to search for.

    Every piece becomes a quoted string (the tokenizer splits it into words), so
    FTS5 operators in the input are matched as words, never obeyed.
    """
    return match_expression(parse_search(text), {}) or None


def snippet(body: str, pieces: list[Piece], *, span: int = 12, limit: int = 200) -> str:
    """About `span` words of `body` around the first match, matches between « and ».

    Done here rather than with FTS5's snippet(): that one seeks each row through
    the index again, which costs more than the search itself on a big history.
    """
    exact = {word for piece in pieces for word in piece.words[:-1] if piece.prefix}
    exact |= {word for piece in pieces if not piece.prefix for word in piece.words}
    prefixes = tuple(piece.words[-1] for piece in pieces if piece.prefix and piece.words)
    tokens = list(_WORD.finditer(body))

    def hit(token: re.Match[str]) -> bool:
        word = fold(token.group())
        return word in exact or (bool(prefixes) and word.startswith(prefixes))

    first = next((index for index, token in enumerate(tokens) if hit(token)), 0)
    start = max(0, min(first - 3, len(tokens) - span))
    window = tokens[start : start + span]
    if not window:
        return " ".join(body.split())[:limit]
    out, position = [], window[0].start()
    for token in window:
        out.append(body[position : token.start()])
        out.append(f"«{token.group()}»" if hit(token) else token.group())
        position = token.end()
    text = " ".join("".join(out).split())
    if len(text) > limit:
        text = text[:limit]
    before = "…" if start > 0 else ""
    after = "…" if start + span < len(tokens) else ""
    return before + text + after

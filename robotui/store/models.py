"""What the history store hands out: frozen records, one error tree, titles and times."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from robotui.client.events import Event

TurnStatus = Literal["running", "complete", "waiting", "cancelled", "error", "interrupted"]
TURN_STATUSES: tuple[str, ...] = (
    "running",
    "complete",
    "waiting",
    "cancelled",
    "error",
    "interrupted",
)
ENDED_STATUSES = frozenset(TURN_STATUSES) - {"running"}

TITLE_LIMIT = 60
MAX_TITLE_LENGTH = 200
UNTITLED = "Untitled conversation"


class StoreError(Exception):
    """Anything the history store cannot do, with a message a person can act on."""


class ConversationNotFound(StoreError):
    """No conversation has this id (it never existed, or it was deleted)."""

    def __init__(self, conversation_id: int | str) -> None:
        super().__init__(f"no conversation {conversation_id}")
        self.conversation_id = conversation_id


class TurnNotFound(StoreError):
    """No turn has this id."""

    def __init__(self, turn_id: int) -> None:
        super().__init__(f"no turn {turn_id}")
        self.turn_id = turn_id


@dataclass(frozen=True, slots=True)
class Conversation:
    """One conversation with an agent: its turns and events are fetched separately.

    Times are timezone-aware UTC datetimes. `updated_at` is the last activity (a
    turn or an event), not the last rename or pin. `snippet` is only set on
    search results: the matching text with the matched words between `«` and `»`.
    """

    id: int
    title: str
    agent: str
    server: str
    session_id: str | None
    created_at: datetime
    updated_at: datetime
    pinned: bool
    archived: bool
    turn_count: int
    event_count: int
    snippet: str | None = None

    def fields_json(self) -> dict[str, Any]:
        """Its own fields as JSON-ready values (what an export keeps of it)."""
        return {
            "id": self.id,
            "title": self.title,
            "agent": self.agent,
            "server": self.server,
            "session_id": self.session_id,
            "created_at": format_time(self.created_at),
            "updated_at": format_time(self.updated_at),
            "pinned": self.pinned,
            "archived": self.archived,
        }


@dataclass(frozen=True, slots=True)
class Turn:
    """One user prompt and the events that answered it.

    `seq` counts the turns of a conversation from 1. `error` says why a turn
    ended as 'error' or 'interrupted'.
    """

    id: int
    conversation_id: int
    seq: int
    prompt: str
    agent: str
    status: TurnStatus
    error: str | None
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One event as it was received, typed again from its raw JSON.

    `seq` counts the events of a conversation from 1 (use it with `after=` to
    page); `timestamp` is the event's own (as the server sent it, possibly
    without a zone), `received_at` the UTC time it was stored.
    """

    id: int
    conversation_id: int
    turn_id: int
    seq: int
    kind: str
    source: str
    timestamp: str
    received_at: datetime
    event: Event


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One place where a search matched: a turn's prompt or one of its events.

    `event_seq` is None when the prompt matched; `kind` is then "prompt".
    """

    conversation_id: int
    title: str
    turn_id: int | None
    event_seq: int | None
    kind: str
    snippet: str
    archived: bool


# ------------------------------------------------------------------ times


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def format_time(moment: datetime) -> str:
    """Fixed-width ISO-8601 UTC text, so that text order is time order in SQL."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    """Read a stored (or imported) ISO-8601 time; naive times are taken as UTC.

    Raises ValueError for text that is not an ISO-8601 time.
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def now_text() -> str:
    """`format_time(utc_now())`."""
    return format_time(utc_now())


# ------------------------------------------------------------------ titles

_SPACES = re.compile(r"\s+")


def _without_controls(text: str) -> str:
    # A title is one line in a list: control characters (escape sequences included)
    # become spaces rather than reaching a terminal.
    return "".join(" " if unicodedata.category(char) in ("Cc", "Cf") else char for char in text)


def clean_title(title: str) -> str:
    """A title as stored: one line, controls removed, whitespace collapsed.

    Raises StoreError when nothing is left or it is longer than 200 characters.
    """
    cleaned = _SPACES.sub(" ", _without_controls(title)).strip()
    if not cleaned:
        raise StoreError("a title cannot be empty")
    if len(cleaned) > MAX_TITLE_LENGTH:
        raise StoreError(f"a title can be at most {MAX_TITLE_LENGTH} characters")
    return cleaned


def title_from_prompt(prompt: str) -> str:
    """A conversation title from its first prompt.

    The first line with a letter or digit in it (so a leading code fence or a
    blank line is skipped), whitespace collapsed, at most 60 characters: a longer
    line is cut at a word boundary and ends with an ellipsis.
    """
    for line in prompt.splitlines():
        line = _SPACES.sub(" ", _without_controls(line)).strip()
        if any(char.isalnum() for char in line):
            break
    else:
        return UNTITLED
    if len(line) <= TITLE_LIMIT:
        return line
    cut = line[: TITLE_LIMIT - 1]
    space = cut.rfind(" ")
    if space >= TITLE_LIMIT // 2:
        cut = cut[:space]
    return cut.rstrip(" .,;:-") + "…"

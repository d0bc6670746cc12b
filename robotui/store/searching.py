"""The search queries: matches walked newest first, straight off the FTS5 index.

No ranking of every match (that would read all of them): FTS5 hands out matches
in rowid order, newest first with `ORDER BY rowid DESC`, and a walk stops as soon
as it has enough. Runs inside a read snapshot (see `reading.py`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from robotui.store.models import Conversation, SearchHit
from robotui.store.queries import get_conversation
from robotui.store.search import MAX_EXPANSION, Piece, match_expression, parse_search, snippet


def _prefix_words(db: sqlite3.Connection, prefix: str) -> list[str] | None:
    """The indexed words starting with `prefix`, or None if there are too many to list."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    rows = db.execute(
        "SELECT term FROM search_vocab WHERE term >= ? AND term < ? LIMIT ?",
        (prefix, upper, MAX_EXPANSION + 1),
    ).fetchall()
    return None if len(rows) > MAX_EXPANSION else [row[0] for row in rows]


def _match(db: sqlite3.Connection, pieces: list[Piece]) -> str:
    expansions: dict[str, list[str]] = {}
    for piece in pieces:
        # Prefixes of one or two letters have an index of their own (see schema.py).
        if piece.prefix and len(piece.words) == 1 and len(piece.words[0]) > 2:
            known = _prefix_words(db, piece.words[0])
            if known is not None:
                expansions[piece.words[0]] = known
    return match_expression(pieces, expansions)


def _bodies(db: sqlite3.Connection, row_ids: list[int]) -> dict[int, str]:
    if not row_ids:
        return {}
    marks = ",".join("?" * len(row_ids))
    return dict(db.execute(f"SELECT id, body FROM search_text WHERE id IN ({marks})", row_ids))


_WALK = (
    "SELECT s.id, s.conversation_id, c.archived FROM search_fts "
    "JOIN search_text AS s ON s.id = search_fts.rowid "
    "JOIN conversations AS c ON c.id = s.conversation_id "
    "WHERE search_fts MATCH ? ORDER BY search_fts.rowid DESC"
)


def search_conversations(
    db: sqlite3.Connection, text: str, limit: int, offset: int, include_archived: bool
) -> list[Conversation]:
    """Conversations with a match, most recent match first, each with a snippet.

    Walks the matches newest first (FTS5 reads its index in rowid order, so no
    ranking of every match) and stops once enough conversations are found.
    """
    pieces = parse_search(text)
    if not pieces or limit <= 0:
        return []
    wanted = max(offset, 0) + limit
    first_match: dict[int, int] = {}
    try:
        cursor = db.execute(_WALK, (_match(db, pieces),))
        while len(first_match) < wanted:
            rows = cursor.fetchmany(256)
            if not rows:
                break
            for row_id, conversation_id, archived in rows:
                if conversation_id not in first_match and (include_archived or not archived):
                    first_match[conversation_id] = row_id
                    if len(first_match) == wanted:
                        break
        cursor.close()
    except sqlite3.OperationalError:
        return []  # parse_search() makes this unexpected; a search must never crash a screen
    chosen = list(first_match.items())[max(offset, 0) :]
    bodies = _bodies(db, [row_id for _, row_id in chosen])
    found: list[Conversation] = []
    for conversation_id, row_id in chosen:
        conversation = get_conversation(db, conversation_id)
        if conversation is not None:
            found.append(replace(conversation, snippet=snippet(bodies.get(row_id, ""), pieces)))
    return found


def search_hits(db: sqlite3.Connection, text: str, limit: int) -> list[SearchHit]:
    """Matching prompts and events, most recent first."""
    pieces = parse_search(text)
    if not pieces or limit <= 0:
        return []
    try:
        rows = db.execute(
            "SELECT s.conversation_id, c.title, s.turn_id, s.event_seq, s.kind, s.body, "
            "c.archived FROM search_fts "
            "JOIN search_text AS s ON s.id = search_fts.rowid "
            "JOIN conversations AS c ON c.id = s.conversation_id "
            "WHERE search_fts MATCH ? ORDER BY search_fts.rowid DESC LIMIT ?",
            (_match(db, pieces), limit),
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return [
        SearchHit(
            conversation_id=row[0],
            title=row[1],
            turn_id=row[2],
            event_seq=row[3],
            kind=row[4],
            snippet=snippet(row[5], pieces),
            archived=bool(row[6]),
        )
        for row in rows
    ]

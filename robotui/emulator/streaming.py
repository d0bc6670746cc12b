"""From a turn's events to the bytes on the wire, with the stream faults applied.

Everything here is decided before the first byte is sent: a `StreamPlan` is the
list of writes and the pause before each. The faults that live in the byte
stream are applied here: `malformed`, `bad-utf8`, `keepalive`, `drop`, `split`
and `slow`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass

from robotui.emulator.openhands import Beat

__all__ = ["Piece", "StreamPlan", "encode_event", "plan_stream"]

# How long a `slow` turn drips at speed 1, whatever its size.
SLOW_SECONDS = 3.0

_KEEPALIVES = (b"\n", b"\r\n", b"   \n", b"\t\r\n")


@dataclass(frozen=True, slots=True)
class Piece:
    """One write: `data`, sent after a pause of `delay` seconds (at speed 1)."""

    data: bytes
    delay: float = 0.0


@dataclass(frozen=True, slots=True)
class StreamPlan:
    """The writes of one response; `cut` ends it by dropping the connection."""

    pieces: tuple[Piece, ...]
    cut: bool = False
    events: int = 0


def encode_event(event: dict[str, object]) -> bytes:
    """One NDJSON line, in the service's spelling (spaces after separators, raw UTF-8)."""
    return json.dumps(event, ensure_ascii=False).encode("utf-8") + b"\n"


def _malformed_line() -> bytes:
    # A frame cut short, as a crashing proxy would leave it.
    return (
        b'{"status_update": true, "type": "info", "id": "STATUS$SETTING_UP_WORKSPACE", '
        b'"message": "Setting up the work\n'
    )


def _bad_utf8_line() -> bytes:
    # Valid JSON syntax, but `\xc3\x28` and `\xff` are not UTF-8.
    return (
        b'{"status_update": true, "type": "info", "id": "STATUS$TERMINAL", '
        b'"message": "terminal: caf\xc3\x28 \xff\xfe"}\n'
    )


def plan_stream(beats: Iterable[Beat], faults: frozenset[str], rng: random.Random) -> StreamPlan:
    """The writes for `beats`, with the stream faults among `faults` applied."""
    lines = [Piece(encode_event(beat.event), beat.delay) for beat in beats]
    count = len(lines)
    if "malformed" in faults:
        lines.insert(max(2, count // 3), Piece(_malformed_line(), 0.05))
    if "bad-utf8" in faults:
        lines.insert(max(3, count // 2), Piece(_bad_utf8_line(), 0.05))
    if "keepalive" in faults:
        lines = _with_keepalives(lines)
    cut = False
    if "drop" in faults:
        lines, cut = _dropped(lines)
    if "slow" in faults:
        pieces = _dripped(lines, rng)
    elif "split" in faults:
        pieces = _split(lines, rng)
    else:
        pieces = lines
    return StreamPlan(tuple(pieces), cut=cut, events=count)


def _with_keepalives(lines: list[Piece]) -> list[Piece]:
    """Blank lines (`\\n`, `\\r\\n`, whitespace) between events, as a proxy keeps a stream open."""
    result: list[Piece] = []
    for index, line in enumerate(lines):
        if index:
            half = line.delay / 2
            result.append(Piece(_KEEPALIVES[index % len(_KEEPALIVES)], half))
            line = Piece(line.data, line.delay - half)
        result.append(line)
    return result


def _dropped(lines: list[Piece]) -> tuple[list[Piece], bool]:
    """Half the stream, then half a line, then nothing: the connection is cut."""
    keep = max(5, len(lines) // 2)
    if keep >= len(lines):
        keep = len(lines) - 1
    if keep <= 0:
        return lines, True
    broken = lines[keep]
    return [*lines[:keep], Piece(broken.data[: len(broken.data) // 2], broken.delay)], True


def _split(lines: list[Piece], rng: random.Random) -> list[Piece]:
    """Cut the stream at awkward places: inside UTF-8 characters, mid-line, before `\\n`.

    Some line ends are not cut at all, so one write carries the end of one line
    and the start of the next.
    """
    data = bytearray()
    cuts: set[int] = set()
    delays: dict[int, float] = {}
    for index, line in enumerate(lines):
        start = len(data)
        delays[start] = line.delay
        body = line.data
        data += body
        if len(body) > 2:
            cuts.add(start + rng.randint(1, len(body) - 2))  # mid-line
            cuts.add(start + len(body) - 1)  # just before the newline
        # Inside the first and last multi-byte characters of the line.
        for position in _multibyte_starts(body)[:1] + _multibyte_starts(body)[-1:]:
            cuts.add(start + position + 1)
        if index % 2 == 0:
            cuts.add(start)
    pieces: list[Piece] = []
    boundaries = sorted(cut for cut in cuts if 0 < cut < len(data))
    previous = 0
    for boundary in [*boundaries, len(data)]:
        delay = max(
            (d for offset, d in delays.items() if previous <= offset < boundary), default=0.0
        )
        pieces.append(Piece(bytes(data[previous:boundary]), delay))
        previous = boundary
    return pieces


def _multibyte_starts(line: bytes) -> list[int]:
    """Offsets of the lead bytes of multi-byte UTF-8 characters in `line`."""
    return [index for index, byte in enumerate(line) if byte >= 0xC0]


def _dripped(lines: list[Piece], rng: random.Random) -> list[Piece]:
    """The whole stream in writes of a few bytes each, over about `SLOW_SECONDS` at speed 1."""
    data = b"".join(line.data for line in lines)
    # A huge turn drips in larger drops, or it would take minutes even at speed 0.
    largest = max(24, len(data) // 2000)
    sizes: list[int] = []
    position = 0
    while position < len(data):
        size = rng.randint(1, largest)
        sizes.append(size)
        position += size
    delay = SLOW_SECONDS / max(1, len(sizes))
    pieces = []
    position = 0
    for size in sizes:
        pieces.append(Piece(data[position : position + size], delay))
        position += size
    return pieces

"""Helpers for the app's Pilot tests."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable

import httpx
from textual.pilot import Pilot

BASE = "http://robocoders.test"


async def wait_until(
    pilot: Pilot, predicate: Callable[[], object], timeout: float = 10.0, what: str = ""
) -> None:
    """Let the app run until `predicate()` is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause(0.02)


async def after_refresh(pilot: Pilot, widget) -> None:
    """Let the app run until `widget` has refreshed once more, so anything it deferred
    with `call_after_refresh` (such as `scroll_end(immediate=False)`) has run."""
    refreshed = asyncio.Event()
    widget.call_after_refresh(refreshed.set)
    widget.refresh()
    await wait_until(pilot, refreshed.is_set, what="a refresh")


def event_line(**event: object) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode() + b"\n"


def agent_message(content: str, *, event_id: int = 1, wait: bool = False) -> bytes:
    return event_line(
        id=event_id,
        timestamp="2024-12-10T14:03:37.164563",
        source="agent",
        message="",
        action="message",
        args={"content": content, "image_urls": None, "wait_for_response": wait},
    )


class GatedStream(httpx.AsyncByteStream):
    """A response body that sends `first`, then waits for `gate` before `rest`."""

    def __init__(self, first: bytes, rest: bytes = b"") -> None:
        self.first = first
        self.rest = rest
        self.gate = asyncio.Event()
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.first
        await self.gate.wait()
        yield self.rest

    async def aclose(self) -> None:
        self.closed = True


def view_text(view) -> str:
    """The conversation as a person reads it: every line of every block."""
    lines = []
    for index in range(len(view.blocks)):
        for strip in view._render(index).strips:
            lines.append("".join(segment.text for segment in strip).rstrip())
    return "\n".join(lines)

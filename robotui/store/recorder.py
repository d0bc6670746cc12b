"""Recording one streaming turn, ended correctly however the stream ends.

    with record_turn(store, conversation.id, prompt, agent) as turn:
        async for event in stream:
            turn.add(event)

Leaving the block normally ends the turn 'complete', or 'waiting' when the agent
stopped to wait for the user; Ctrl-C or task cancellation ends it 'cancelled';
any other exception 'error' with its message. `turn.status = ...` overrides.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from robotui.client import events as ev
from robotui.store.models import StoreError, Turn, TurnStatus

if TYPE_CHECKING:
    from robotui.store.history import HistoryStore

_STILL_WORKING = {"running", "finished", "stopped", "error", "rejected"}


class TurnRecorder:
    """Appends a turn's events to the store and knows whether the agent waits."""

    def __init__(self, store: HistoryStore, turn: Turn) -> None:
        self.store = store
        self.turn = turn
        self.status: TurnStatus | None = None
        self.error: str | None = None
        self.event_count = 0
        self.waiting = False
        self.ended = False

    def add(self, event: ev.Event) -> None:
        """Queue one event (committed within ~100 ms by the store's writer)."""
        self.store.append_event(self.turn.id, event)
        self.event_count += 1
        match event:
            case ev.AgentMessage(from_user=False):
                self.waiting = event.wait_for_response
            case ev.AgentStateChanged(agent_state="awaiting_user_input"):
                self.waiting = True
            case ev.AgentStateChanged() if event.agent_state in _STILL_WORKING:
                self.waiting = False

    def finish(self, status: TurnStatus | None = None, error: str | None = None) -> None:
        """End the turn now (later calls do nothing). Without `status`: see the module doc."""
        if self.ended:
            return
        self.ended = True
        final = status or self.status or ("waiting" if self.waiting else "complete")
        self.store.end_turn(self.turn.id, final, error or self.error)


def _cancelled(error: BaseException) -> bool:
    if isinstance(error, KeyboardInterrupt):
        return True
    # asyncio is only looked up if loaded: a cancellation cannot come from it otherwise.
    asyncio = sys.modules.get("asyncio")
    return asyncio is not None and isinstance(error, asyncio.CancelledError)


@contextlib.contextmanager
def record_turn(
    store: HistoryStore, conversation_id: int, prompt: str, agent: str
) -> Iterator[TurnRecorder]:
    """Begin a turn, yield its recorder, and end the turn with the right status."""
    recorder = TurnRecorder(store, store.begin_turn(conversation_id, prompt, agent))
    try:
        yield recorder
    except BaseException as error:
        status: TurnStatus = "cancelled" if _cancelled(error) else "error"
        message = None if status == "cancelled" else (str(error) or type(error).__name__)
        # The original exception matters more than a failure to record it.
        with contextlib.suppress(StoreError):
            recorder.finish(status, message)
        raise
    recorder.finish()

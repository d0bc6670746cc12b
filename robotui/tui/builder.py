"""From events to blocks: which block shows an event, and the pairing of each
observation with the block of the action it answers."""

from __future__ import annotations

from robotui.client import events as ev
from robotui.eventtext import outputs_text
from robotui.tui.blocks import (
    Block,
    BrowseBlock,
    CalloutBlock,
    CommandBlock,
    FileChangeBlock,
    FileReadBlock,
    IPythonBlock,
    MessageBlock,
    NoteBlock,
    PromptBlock,
    StateBlock,
    TurnEndBlock,
    UnknownBlock,
)


def block_for(event: ev.Event) -> Block | None:
    """The new block for an event, or None when it shows nothing of its own."""
    match event:
        case ev.AgentMessage(from_user=True) | ev.NullEvent() | ev.AgentStateChange():
            return None
        case ev.AgentMessage():
            return MessageBlock(event)
        case ev.CommandRun():
            return CommandBlock(event)
        case ev.CommandOutput():
            return CommandBlock(None, event)
        case ev.IPythonRun():
            return IPythonBlock(event)
        case ev.IPythonOutput():
            return IPythonBlock(None, event)
        case ev.FileRead():
            return FileReadBlock(event)
        case ev.FileReadResult():
            return FileReadBlock(None, event)
        case ev.FileWrite() | ev.FileEdit():
            return FileChangeBlock(event)
        case ev.FileWriteResult() | ev.FileEditResult():
            return FileChangeBlock(None, event)
        case ev.Browse() | ev.BrowseInteractive():
            return BrowseBlock(event)
        case ev.BrowseResult():
            return BrowseBlock(None, event)
        case ev.Delegation():
            task = event.inputs.get("task", "") if event.inputs else ""
            return CalloutBlock("⇢", f"delegated to {event.agent}", str(task), "primary")
        case ev.DelegateResult():
            body = event.content or outputs_text(event.outputs)
            return CalloutBlock("⇠", "delegate finished", body, "primary")
        case ev.Finish():
            body = event.thought or outputs_text(event.outputs) or event.message
            return CalloutBlock("✓", "finished", body, "success")
        case ev.Reject():
            return CalloutBlock("✗", "rejected", event.reason or event.message, "error")
        case ev.AgentStateChanged():
            return StateBlock(event.agent_state)
        case ev.TaskAdd():
            return NoteBlock("+", f"task: {event.goal}")
        case ev.TaskModify():
            return NoteBlock("•", f"task {event.task_id}: {event.state}")
        case ev.Think():
            return NoteBlock("…", event.thought) if event.thought else None
        case ev.Summarize():
            return CalloutBlock("≡", "summary", event.summary or event.message, "muted")
        case ev.ErrorObservation():
            return CalloutBlock("⚠", "error", event.content or event.message, "error")
        case ev.ErrorFrame():
            return CalloutBlock("⚠", "server error", event.message, "error")
        case ev.Success():
            return NoteBlock("✓", event.content or event.message, "success")
        case ev.UserRejected():
            return NoteBlock("✗", event.content or event.message, "warning")
        case ev.StatusUpdate():
            return NoteBlock("i", event.message, "error" if event.level == "error" else "muted")
        case ev.AutoContinued():
            return NoteBlock("↻", event.message, "accent")
        case ev.SessionRenewed():
            return NoteBlock("⚠", event.message, "warning")
        case ev.UnknownEvent():
            return UnknownBlock(event)
    text = event.text
    return NoteBlock("·", text) if text else None


class BlockBuilder:
    """Turns a stream of prompts and events into blocks, pairing each observation
    with the block of the action it answers and folding runs of state changes."""

    def __init__(self, blocks: list[Block] | None = None) -> None:
        self.blocks: list[Block] = blocks if blocks is not None else []
        self._actions: dict[int, int] = {}  # action event id -> block index

    def prompt(self, prompt: str, agent: str = "") -> int:
        """A new turn starts; returns the index of its prompt block."""
        self._actions.clear()
        self.blocks.append(PromptBlock(prompt, agent))
        return len(self.blocks) - 1

    def event(self, event: ev.Event) -> tuple[int, bool] | None:
        """Returns (index, is_new) of the block showing `event`, or None."""
        if event.cause is not None and event.cause in self._actions:
            index = self._actions[event.cause]
            if self.blocks[index].absorb(event):
                return index, False
        last = self.blocks[-1] if self.blocks else None
        if isinstance(last, StateBlock) and last.absorb(event):
            return len(self.blocks) - 1, False
        block = block_for(event)
        if block is None:
            return None
        self.blocks.append(block)
        index = len(self.blocks) - 1
        if event.id is not None and "action" in event.raw:
            self._actions[event.id] = index
        return index, True

    def end_turn(self, status: str, detail: str = "") -> list[int]:
        """The turn ended: settle blocks still waiting for output; returns the indexes
        of blocks that changed or were added."""
        changed = []
        for index in sorted(set(self._actions.values())):
            block = self.blocks[index]
            if block.awaiting_result:
                block.settled = True
                block.stopped = status in ("cancelled", "error", "interrupted")
                block.changed()
                changed.append(index)
        self._actions.clear()
        notes = {
            "cancelled": ("■", "cancelled — what arrived is kept", "warning"),
            "interrupted": ("■", "interrupted — robotui stopped during this turn", "warning"),
            "error": ("✗", f"failed: {detail}" if detail else "failed", "error"),
        }
        if status in notes:
            self.blocks.append(TurnEndBlock(*notes[status]))
            changed.append(len(self.blocks) - 1)
        return changed

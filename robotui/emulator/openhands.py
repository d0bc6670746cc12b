"""OpenHands 0.15 events, exactly as the service streamed them.

A `Recorder` writes one turn: it numbers events across the whole session (the
`EventLog`), links each observation to its action through `cause`, and, once the
turn is complete, stamps timestamps that match the pacing the turn is sent with.
Key order and field sets follow `openhands-0.15-events.ndjson` event for event.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from robotui.emulator.diffs import changed_region, unified_diff

__all__ = ["Beat", "EventLog", "Recorder"]

Event = dict[str, Any]

# Where the sandbox's Python lives; shown in terminal and Jupyter observations.
_PYTHON = "/openhands/poetry/openhands-ai-5O4_aCHf-py3.12/bin/python"
_PROMPT = "openhands@openhands-workspace:/workspace $ "
_IPYTHON_FOOTER = (
    f"\n[Jupyter current working directory: /workspace]\n[Jupyter Python interpreter: {_PYTHON}]"
)
COMMAND_TIMEOUT = 120

# A turn at speed 1 is spread over this many seconds (before any fault).
TURN_SECONDS = (1.0, 3.0)


@dataclass(slots=True)
class Beat:
    """One event of a turn and the pause before it is sent (seconds at speed 1)."""

    event: Event
    delay: float


class EventLog:
    """The numbering of one session's events: ids never repeat or go back."""

    def __init__(self) -> None:
        self.next_id = 0

    def take(self) -> int:
        """The next id."""
        event_id = self.next_id
        self.next_id += 1
        return event_id


def _timestamp(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


class Recorder:
    """Builds the events of one turn, in order, with their pacing."""

    def __init__(self, log: EventLog, rng: random.Random) -> None:
        self.log = log
        self.rng = rng
        self.beats: list[Beat] = []
        self.end = 0.0  # when the turn's last event happens, once finished
        self._model_response = self._random_id("chatcmpl-", 29)

    # ---------------------------------------------------------------- core

    def _random_id(self, prefix: str, length: int) -> str:
        alphabet = string.ascii_letters + string.digits
        return prefix + "".join(self.rng.choice(alphabet) for _ in range(length))

    def _tool(self, function_name: str) -> dict[str, Any]:
        # Every tool call of one model response shares its id, as with a real LLM.
        if self.rng.random() < 0.7:
            self._model_response = self._random_id("chatcmpl-", 29)
        return {
            "function_name": function_name,
            "tool_call_id": self._random_id("toolu_01", 22),
            "model_response": {"id": self._model_response},
            "total_calls_in_response": 1,
        }

    def _head(self, source: str, message: str) -> Event:
        return {"id": self.log.take(), "timestamp": "", "source": source, "message": message}

    def action(
        self,
        name: str,
        args: dict[str, Any],
        *,
        message: str,
        source: str = "agent",
        tool: str | None = None,
        delay: float = 0.25,
        timeout: int | None = None,
    ) -> int:
        """Record an action; returns its id (the `cause` of its observation)."""
        event = self._head(source, message)
        event["action"] = name
        if tool is not None:
            event["tool_call_metadata"] = self._tool(tool)
        event["args"] = args
        if timeout is not None:
            event["timeout"] = timeout
        self.beats.append(Beat(event, delay))
        return int(event["id"])

    def observation(
        self,
        name: str,
        content: str,
        extras: dict[str, Any],
        *,
        message: str = "",
        cause: int | None = None,
        source: str = "agent",
        delay: float = 0.05,
    ) -> int:
        """Record an observation answering action `cause`; returns its id."""
        event = self._head(source, message)
        if cause is not None:
            event["cause"] = cause
        event["observation"] = name
        event["content"] = content
        event["extras"] = extras
        self.beats.append(Beat(event, delay))
        return int(event["id"])

    def finish_turn(self, start: float, *, total: tuple[float, float] = TURN_SECONDS) -> list[Beat]:
        """Scale the pauses so the turn lasts within `total` seconds, stamp, return."""
        if self.beats:
            self.beats[0].delay = 0.0  # the response starts with its first event
        nominal = sum(beat.delay for beat in self.beats)
        low, high = total
        scale = 1.0
        if nominal > high:
            scale = high / nominal
        elif 0 < nominal < low:
            scale = low / nominal
        moment = start
        for beat in self.beats:
            beat.delay *= scale
            moment += beat.delay
            beat.event["timestamp"] = _timestamp(moment)
        self.end = moment
        return self.beats

    # ---------------------------------------------------- agent state

    def state(self, agent_state: str, *, delay: float = 0.05) -> None:
        """`agent_state_changed`, as the environment reports it."""
        self.observation(
            "agent_state_changed",
            "",
            {"agent_state": agent_state},
            source="environment",
            delay=delay,
        )

    def change_state(self, agent_state: str) -> None:
        """`change_agent_state` action followed by the environment's confirmation."""
        self.action(
            "change_agent_state",
            {"agent_state": agent_state, "thought": ""},
            message=f"Agent state changed to {agent_state}",
            source="environment",
            delay=0.1,
        )
        self.state(agent_state)

    # --------------------------------------------------------- messages

    def message(
        self, content: str, *, source: str = "agent", wait: bool = False, delay: float = 0.35
    ) -> int:
        """A `message` action; `wait` stops the turn for the user's reply."""
        args = {"content": content, "image_urls": None, "wait_for_response": wait}
        return self.action("message", args, message=content, source=source, delay=delay)

    def think(self, thought: str) -> None:
        """A `think` action: reasoning shown to the user."""
        self.action("think", {"thought": thought}, message=thought, delay=0.3)

    def finish(self, outputs: dict[str, Any], thought: str = "", *, tool: bool = True) -> None:
        """`finish`: the task is done; `thought` becomes the message."""
        message = thought or "All done! What's next on the agenda?"
        self.action(
            "finish",
            {"outputs": outputs, "thought": thought},
            message=message,
            tool="finish" if tool else None,
            delay=0.2,
        )

    def add_task(self, goal: str, parent: str = "0") -> None:
        """`add_task`: a step of the agent's visible plan."""
        args = {"parent": parent, "goal": goal, "subtasks": [], "thought": ""}
        self.action("add_task", args, message=f"Added task: {goal}", delay=0.1)

    def modify_task(self, task_id: str, state: str) -> None:
        """`modify_task`: a step of the plan changes state."""
        args = {"task_id": task_id, "state": state, "thought": ""}
        self.action("modify_task", args, message=f"Set task {task_id} to {state}", delay=0.1)

    # ---------------------------------------------------------- commands

    def run(
        self,
        command: str,
        output: str,
        exit_code: int = 0,
        *,
        thought: str = "",
        seconds: float = 0.5,
    ) -> None:
        """A shell command and its terminal output (the command echoed first)."""
        cause = self.action(
            "run",
            {
                "command": command,
                "thought": thought,
                "blocking": False,
                "keep_prompt": True,
                "hidden": False,
                "confirmation_state": "confirmed",
            },
            message=f"Running command: {command}",
            tool="execute_bash",
            delay=0.3 if thought else 0.2,
        )
        terminal = command + "\r\n" + output.replace("\n", "\r\n") if output else command
        self.observation(
            "run",
            terminal,
            {
                "command_id": -1,
                "command": command,
                "exit_code": exit_code,
                "hidden": False,
                "interpreter_details": f"[Python Interpreter: {_PYTHON}]\n{_PROMPT}",
            },
            message=f"Command `{command}` executed with exit code {exit_code}.",
            cause=cause,
            delay=seconds,
        )

    def run_timeout(self, command: str, *, thought: str = "") -> None:
        """A blocking command that never returns: OpenHands reports an error."""
        cause = self.action(
            "run",
            {
                "command": command,
                "thought": thought,
                "blocking": True,
                "keep_prompt": True,
                "hidden": False,
                "confirmation_state": "confirmed",
            },
            message=f"Running command: {command}",
            tool="execute_bash",
            timeout=COMMAND_TIMEOUT,
        )
        text = f"Command timed out after {COMMAND_TIMEOUT} seconds."
        self.observation("error", text, {"error_id": ""}, message=text, cause=cause, delay=0.8)

    def ipython(self, code: str, output: str, *, thought: str = "") -> None:
        """A Jupyter cell and its output."""
        cause = self.action(
            "run_ipython",
            {
                "code": code,
                "thought": thought,
                "include_extra": True,
                "confirmation_state": "confirmed",
                "kernel_init_code": "",
            },
            message=f"Running Python code interactively: {code}",
            tool="execute_ipython_cell",
        )
        self.observation(
            "run_ipython",
            output + _IPYTHON_FOOTER,
            {"code": code},
            message="Code executed in IPython cell.",
            cause=cause,
            delay=0.3,
        )

    # ------------------------------------------------------------- files

    def read(self, path: str, content: str, *, thought: str = "") -> None:
        """A `read` of a whole file and its text."""
        cause = self.action(
            "read",
            {"path": path, "start": 0, "end": -1, "thought": thought},
            message=f"Reading file: {path}",
            tool="str_replace_editor",
            delay=0.2,
        )
        self.observation(
            "read", content, {"path": path}, message=f"I read the file {path}.", cause=cause
        )

    def write(self, path: str, content: str, *, thought: str = "") -> None:
        """A `write` of a whole file."""
        cause = self.action(
            "write",
            {"path": path, "content": content, "start": 0, "end": -1, "thought": thought},
            message=f"Writing file: {path}",
            tool="str_replace_editor",
            delay=0.4,
        )
        self.observation(
            "write", "", {"path": path}, message=f"I wrote to the file {path}.", cause=cause
        )

    def edit(self, path: str, old: str, new: str, *, thought: str = "") -> None:
        """An edit of `path` from `old` to `new`: the changed lines, and the exact diff."""
        start, end, replacement = changed_region(old, new)
        cause = self.action(
            "edit",
            {"path": path, "content": replacement, "start": start, "end": end, "thought": thought},
            message="",
            tool="str_replace_editor",
            delay=0.4,
        )
        self.observation(
            "edit",
            unified_diff(path, old, new),
            {"path": path, "prev_exist": bool(old), "old_content": old, "new_content": new},
            message=f"I edited the file {path}.",
            cause=cause,
        )

    # ----------------------------------------------------------- browsing

    def browse(self, url: str, page_text: str, screenshot: str, *, thought: str = "") -> None:
        """Open `url` and observe the page, with a screenshot."""
        cause = self.action(
            "browse",
            {"url": url, "thought": thought},
            message=f"I am browsing the URL: {url}",
            tool="web_read",
        )
        self._page(cause, url, page_text, screenshot, "browse", f'goto("{url}")')

    def browse_interactive(
        self, actions: str, url: str, page_text: str, screenshot: str, *, thought: str = ""
    ) -> None:
        """BrowserGym actions on the page, and the page after them."""
        cause = self.action(
            "browse_interactive",
            {"browser_actions": actions, "thought": thought, "browsergym_send_msg_to_user": ""},
            message=f"I am interacting with the browser:\n```\n{actions}\n```",
            tool="browser",
        )
        self._page(cause, url, page_text, screenshot, "browse_interactive", actions)

    def _page(
        self, cause: int, url: str, text: str, screenshot: str, trigger: str, last_action: str
    ) -> None:
        self.observation(
            "browse",
            text,
            {
                "url": url,
                "trigger_by_action": trigger,
                "screenshot": screenshot,
                "error": False,
                "open_pages_urls": [url],
                "active_page_index": 0,
                "dom_object": {},
                "axtree_object": {},
                "extra_element_properties": {},
                "last_browser_action": last_action,
                "last_browser_action_error": "",
                "focused_element_bid": "",
            },
            message=f"Visited {url}",
            cause=cause,
            delay=0.6,
        )

    def delegate(self, agent: str, task: str, *, thought: str = "") -> int:
        """The `delegate` action; the delegate's events and `delegate_result` follow."""
        cause = self.action(
            "delegate",
            {"agent": agent, "inputs": {"task": task}, "thought": thought},
            message=f"I'm asking {agent} for help with this task.",
            tool="delegate_to_browsing_agent",
        )
        self.state("running")
        return cause

    def delegate_result(self, cause: int, agent: str, outputs: dict[str, Any]) -> None:
        """The delegate finished: its final state, then its outputs."""
        content = outputs.get("content", "")
        self.state("finished")
        self.observation(
            "delegate",
            f"{agent} finishes task with content: {content}",
            {"outputs": outputs},
            cause=cause,
        )

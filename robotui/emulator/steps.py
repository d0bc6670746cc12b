"""The vocabulary of an agent's plan: one `Step` per thing the agent does.

A plan is a list of steps decided when the prompt arrives; the turn engine plays
them into a `Recorder`, and may stop half-way at the resource limit and keep the
rest for a `continue`. `cost` counts the actions that use up the per-request budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from robotui.emulator.openhands import Recorder
from robotui.emulator.screenshot import screenshot_data_url

__all__ = [
    "Plan",
    "Step",
    "browse",
    "browse_interactive",
    "delegate",
    "edit",
    "finish",
    "ipython",
    "read",
    "run",
    "run_timeout",
    "say",
    "task",
    "think",
    "write",
]


@dataclass(frozen=True, slots=True)
class Step:
    """One thing the agent does: `play` records its events; `done` is a short past tense."""

    play: Callable[[Recorder], None]
    cost: int = 1
    done: str = ""


@dataclass(slots=True)
class Plan:
    """What an agent will do for one prompt.

    `work` may be cut by the resource limit; `closing` (the final message and
    `finish`) is always played last, once the work is complete. `ending` is the
    agent state the turn ends in.
    """

    work: list[Step] = field(default_factory=list)
    closing: list[Step] = field(default_factory=list)
    ending: str = "awaiting_user_input"
    # What the session should remember of this turn (language, topic, files, …).
    memory: dict[str, Any] = field(default_factory=dict)


def say(content: str) -> Step:
    """An agent message (markdown), not waiting for a reply."""
    return Step(lambda rec: rec.message(content), cost=0)


def think(thought: str) -> Step:
    """Reasoning shown to the user."""
    return Step(lambda rec: rec.think(thought), cost=0)


def task(goal: str, task_id: str | None = None, state: str = "in_progress") -> Step:
    """`add_task` (or, with `task_id`, `modify_task`): the agent's visible plan."""
    if task_id is None:
        return Step(lambda rec: rec.add_task(goal), cost=0)
    return Step(lambda rec: rec.modify_task(task_id, state), cost=0)


def run(
    command: str, output: str, exit_code: int = 0, *, thought: str = "", seconds: float = 0.5
) -> Step:
    """A shell command with its output and exit code."""
    return Step(
        lambda rec: rec.run(command, output, exit_code, thought=thought, seconds=seconds),
        done=f"ran `{command}`" + (f" (exit code {exit_code})" if exit_code else ""),
    )


def run_timeout(command: str, *, thought: str = "") -> Step:
    """A command that never returns: an error observation after 120 s."""
    return Step(lambda rec: rec.run_timeout(command, thought=thought), done=f"tried `{command}`")


def ipython(code: str, output: str, *, thought: str = "") -> Step:
    """A Jupyter cell and its output."""
    return Step(lambda rec: rec.ipython(code, output, thought=thought), done="checked in IPython")


def read(path: str, content: str, *, thought: str = "") -> Step:
    """Read a whole file."""
    return Step(lambda rec: rec.read(path, content, thought=thought), done=f"read `{path}`")


def write(path: str, content: str, *, thought: str = "") -> Step:
    """Write a whole file."""
    return Step(lambda rec: rec.write(path, content, thought=thought), done=f"wrote `{path}`")


def edit(path: str, old: str, new: str, *, thought: str = "") -> Step:
    """Edit a file from `old` to `new`; the observation carries the diff."""
    return Step(lambda rec: rec.edit(path, old, new, thought=thought), done=f"edited `{path}`")


def browse(url: str, page_text: str, *, title: str, thought: str = "") -> Step:
    """Open a URL in the browser."""
    image = screenshot_data_url(title)
    return Step(
        lambda rec: rec.browse(url, page_text, image, thought=thought), done=f"opened {url}"
    )


def browse_interactive(
    actions: str, url: str, page_text: str, *, title: str, thought: str = ""
) -> Step:
    """Act on the open page (click, fill, …)."""
    image = screenshot_data_url(title + actions)
    return Step(
        lambda rec: rec.browse_interactive(actions, url, page_text, image, thought=thought),
        done="used the browser",
    )


def delegate(
    agent: str,
    task_text: str,
    steps: list[Step],
    outputs: dict[str, Any],
    *,
    thought: str = "",
) -> Step:
    """Hand `task_text` to `agent`, play its `steps`, and come back with `outputs`."""

    def play(rec: Recorder) -> None:
        cause = rec.delegate(agent, task_text, thought=thought)
        for step in steps:
            step.play(rec)
        rec.finish(outputs, str(outputs.get("content", "")), tool=False)
        rec.delegate_result(cause, agent, outputs)

    return Step(play, cost=1 + sum(step.cost for step in steps), done=f"asked {agent} to check")


def finish(summary: str, outputs: dict[str, Any] | None = None) -> Step:
    """`finish`: the task is done; `summary` becomes its message."""
    return Step(lambda rec: rec.finish(outputs or {}, summary), cost=0)

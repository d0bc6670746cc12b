"""One session's memory and the turn engine: prompt in, paced OpenHands events out.

A turn opens with state changes and the echoed prompt, plays the agent's plan,
and closes with its final message. A plan longer than the per-request budget
stops half-way at the resource limit (an agent `message` with
`wait_for_response: true`); the rest waits in `pending` for a `continue`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from robotui.emulator.agents import plan_turn
from robotui.emulator.agents.common import huge_log_steps
from robotui.emulator.intent import understand
from robotui.emulator.openhands import Beat, EventLog, Recorder
from robotui.emulator.steps import Step

__all__ = ["RESOURCE_LIMIT", "STEP_BUDGET", "Conversation", "Turn"]

# Actions an agent may take per request before the service's resource limit stops it.
STEP_BUDGET = 6
ALWAYS_WAIT_BUDGET = 3
RESOURCE_LIMIT = "I've reached the resource limit for this step. Reply 'continue' to let me finish."


@dataclass(slots=True)
class Turn:
    """What the session remembers of one prompt."""

    number: int
    prompt: str
    agent: str
    task: str
    memory: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Pending:
    """Work stopped by the resource limit, waiting for `continue`."""

    work: list[Step]
    closing: list[Step]
    ending: str
    always_wait: bool
    done: list[str]


class Conversation:
    """The server side of one session: its events' numbering, turns and workspace."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.log = EventLog()
        self.turns: list[Turn] = []
        self.files: dict[str, str] = {}  # the agent's /workspace, path -> content
        self.pending: Pending | None = None
        self.agent: str | None = None  # the agent whose runtime is loaded
        self.requests = 0
        self.last_moment = 0.0  # the last event's time: a new turn never starts before it

    # ------------------------------------------------------------ memory

    def last_with(self, key: str) -> Turn | None:
        """The latest turn that remembers `key` (e.g. "topic", "language", "path")."""
        for turn in reversed(self.turns):
            if turn.memory.get(key) is not None:
                return turn
        return None

    def recall(self, key: str) -> Any:
        """The latest remembered value of `key`, or None."""
        turn = self.last_with(key)
        return None if turn is None else turn.memory[key]

    # -------------------------------------------------------------- turns

    def take_turn(
        self, prompt: str, agent: str, *, faults: frozenset[str], start: float
    ) -> list[Beat]:
        """Every event of one `/chat` response for `prompt`, numbered and paced."""
        self.requests += 1
        rng = random.Random(f"{self.seed}|{agent}|{self.requests}|{prompt}")
        rec = Recorder(self.log, rng)
        if self.agent != agent:
            rec.state("loading")
            rec.change_state("init")
            self.agent = agent
        rec.message(prompt, source="user", delay=0.05)
        rec.state("running", delay=0.1)

        intent = understand(prompt)
        always_wait = "always-wait" in faults
        if intent.task == "continue" and self.pending is not None:
            pending = self.pending
            always_wait = always_wait or pending.always_wait
        else:
            plan = plan_turn(agent, intent, self, rng)
            if intent.task != "continue":
                self.turns.append(
                    Turn(len(self.turns) + 1, prompt, agent, intent.task, plan.memory)
                )
            pending = Pending(plan.work, plan.closing, plan.ending, always_wait, [])
        if "huge" in faults:
            pending.work = [*huge_log_steps(), *pending.work]

        budget = ALWAYS_WAIT_BUDGET if always_wait else STEP_BUDGET
        now, later = _within_budget(pending.work, budget)
        for step in now:
            step.play(rec)
            if step.done:
                pending.done.append(step.done)
        if later or always_wait:
            if not now:
                rec.think("Let me double-check everything before I wrap up.")
            self.pending = Pending(
                later, pending.closing, pending.ending, always_wait, pending.done
            )
            rec.message(_limit_message(pending.done), wait=True)
            rec.state("awaiting_user_input")
        else:
            self.pending = None
            for step in pending.closing:
                step.play(rec)
            rec.state(pending.ending)
        beats = rec.finish_turn(max(start, self.last_moment))
        self.last_moment = rec.end
        return beats


def _within_budget(work: list[Step], budget: int) -> tuple[list[Step], list[Step]]:
    """The steps that fit in `budget` (at least one), and the rest."""
    used = 0
    for index, step in enumerate(work):
        if step.cost and used and used + step.cost > budget:
            return work[:index], work[index:]
        used += step.cost
    return work, []


def _limit_message(done: list[str]) -> str:
    if not done:
        return RESOURCE_LIMIT
    recent = ", ".join(done[-4:])
    return f"{RESOURCE_LIMIT}\n\nSo far I {recent}."

"""The three scripted agents, each with its own character, and `plan_turn`.

- GeneralCodingAgent: a careful generalist. Looks before writing, runs what it
  writes, checks results, tests when asked.
- RepoAgent: lives in a repository (`textkit`): `git status` first, reads before
  editing, edits with real diffs, runs the suite — a failing run, a fix, a pass.
- FrontEndAgent: HTML, CSS, JavaScript and React; serves the page and delegates
  a real look at it to BrowsingAgent.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from robotui.emulator.agents import chat, common, followups, frontend, project, repo, sql
from robotui.emulator.code import LANGUAGES
from robotui.emulator.intent import Intent
from robotui.emulator.steps import Plan

if TYPE_CHECKING:
    from robotui.emulator.conversation import Conversation

__all__ = ["AGENT_PLANNERS", "plan_turn"]

Planner = Callable[[Intent, "Conversation", random.Random], Plan]


def plan_turn(agent: str, intent: Intent, conversation: Conversation, rng: random.Random) -> Plan:
    """What `agent` will do for `intent`, given what the session remembers."""
    if agent == "FrontEndAgent" and intent.task not in ("continue", "recall", "empty"):
        restyled = frontend.restyle_plan(intent, conversation, rng)
        if restyled is not None:
            return restyled
    if intent.task in chat.CONVERSATIONAL:
        return chat.reply(intent, conversation, agent, rng)
    return AGENT_PLANNERS[agent](intent, conversation, rng)


def _follow_up(
    intent: Intent, conversation: Conversation, rng: random.Random, default: str
) -> Plan | None:
    """Plans that build on earlier code, shared by every agent; None if not one of them."""
    language, topic = common.resolve(intent, conversation, default)
    task = intent.task
    if topic is None:
        if task in ("tests", "explain", "refactor", "run", "port"):
            if intent.language is not None and task == "port":
                return common.sketch_plan(intent, language)
            return chat.reply(intent, conversation, conversation.agent or "GeneralCodingAgent", rng)
        return None
    if task == "port":
        earlier = conversation.recall("language")
        if earlier and earlier != language.key and earlier in LANGUAGES:
            return followups.port_plan(LANGUAGES[earlier], language, topic, conversation, rng)
        return common.code_plan(intent, conversation, rng, language, topic)
    if task == "tests":
        return followups.tests_plan(language, topic, conversation, rng)
    if task == "explain":
        return followups.explain_plan(language, topic, conversation)
    if task == "refactor":
        return followups.refactor_plan(language, topic, conversation, rng)
    if task == "run":
        return common.run_again_plan(conversation, language, topic)
    return None


def general(intent: Intent, conversation: Conversation, rng: random.Random) -> Plan:
    """GeneralCodingAgent: looks, writes, runs and checks; tests when asked."""
    task = intent.task
    language, topic = common.resolve(intent, conversation)
    if task == "hello":
        return common.hello_plan(language, conversation, rng)
    if task == "web":
        return frontend.page_plan(intent, conversation, rng, delegate=False)
    if task == "sql":
        return sql.sql_plan(intent, conversation, rng)
    if task == "project":
        return project.project_plan(intent, conversation, rng, language, topic)
    if task == "fix":
        return repo.bugfix_plan(conversation, rng, git=False)
    plan = _follow_up(intent, conversation, rng, "python")
    if plan is not None:
        return plan
    if topic is not None:
        return common.code_plan(
            intent, conversation, rng, language, topic, with_tests=intent.wants_tests
        )
    return common.sketch_plan(intent, language)


def repo_agent(intent: Intent, conversation: Conversation, rng: random.Random) -> Plan:
    """RepoAgent: everything happens in the `textkit` repository, with diffs."""
    task = intent.task
    language, topic = common.resolve(intent, conversation)
    if task in ("fix", "tests") and topic is None:
        return repo.bugfix_plan(conversation, rng)
    if task == "explain" and topic is None:
        return repo.explain_repo_plan(conversation)
    if task == "hello":
        return common.hello_plan(language, conversation, rng)
    if task == "web":
        return frontend.page_plan(intent, conversation, rng, delegate=False)
    if task == "sql":
        return sql.sql_plan(intent, conversation, rng)
    if task == "project":
        return project.project_plan(intent, conversation, rng, language, topic)
    if topic is not None and task in ("function", "script", "fix"):
        return repo.add_function_plan(intent, conversation, rng, language, topic)
    plan = _follow_up(intent, conversation, rng, "python")
    if plan is not None:
        return plan
    return common.sketch_plan(intent, language)


def front_end(intent: Intent, conversation: Conversation, rng: random.Random) -> Plan:
    """FrontEndAgent: pages by default, JavaScript before Python."""
    task = intent.task
    # A front-end agent's default language is JavaScript, not Python.
    language, topic = common.resolve(intent, conversation, "javascript")
    if (
        task in ("web", "project", "script", "function", "fix")
        and topic is None
        and (intent.language is None or intent.language.key in ("javascript", "typescript"))
    ):
        return frontend.page_plan(intent, conversation, rng, delegate=True)
    if task == "hello":
        return common.hello_plan(language, conversation, rng)
    if task == "sql":
        return sql.sql_plan(intent, conversation, rng)
    plan = _follow_up(intent, conversation, rng, "javascript")
    if plan is not None:
        return plan
    if topic is not None:
        return common.code_plan(
            intent, conversation, rng, language, topic, with_tests=intent.wants_tests
        )
    return common.sketch_plan(intent, language)


AGENT_PLANNERS: dict[str, Planner] = {
    "GeneralCodingAgent": general,
    "RepoAgent": repo_agent,
    "FrontEndAgent": front_end,
}

"""The agents the service offers, and what each is good for."""

from __future__ import annotations

from dataclasses import dataclass

from robotui.config import AGENTS


@dataclass(frozen=True)
class AgentInfo:
    name: str
    summary: str


AGENT_INFO = {
    "GeneralCodingAgent": AgentInfo(
        "GeneralCodingAgent",
        "A careful generalist: writes code in any language, runs it, tests it.",
    ),
    "RepoAgent": AgentInfo(
        "RepoAgent",
        "Works in a repository: reads files, edits them as diffs, runs the test suite.",
    ),
    "FrontEndAgent": AgentInfo(
        "FrontEndAgent",
        "Web pages and UI: HTML, CSS, JavaScript, React; checks the result in a browser.",
    ),
}


def known_agents() -> list[AgentInfo]:
    return [AGENT_INFO[name] for name in AGENTS]


def describe(name: str) -> str:
    info = AGENT_INFO.get(name)
    return info.summary if info else "An agent named in your settings or on the command line."

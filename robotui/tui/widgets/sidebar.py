"""The sidebar: the agents (the active one marked) and the recent conversations."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from robotui.textsafe import visible
from robotui.tui.agents import known_agents


@dataclass(frozen=True)
class RecentConversation:
    id: int | str
    title: str
    agent: str
    when: str


TITLE_WIDTH = 27


class Sidebar(Vertical):
    """Agents on top, recent conversations below."""

    class AgentChosen(Message):
        def __init__(self, agent: str) -> None:
            super().__init__()
            self.agent = agent

    class PickerRequested(Message):
        """The person wants the agent picker (with what each agent is good for)."""

    class ConversationChosen(Message):
        def __init__(self, conversation_id: int | str) -> None:
            super().__init__()
            self.conversation_id = conversation_id

    def __init__(self, agent: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.agent = agent
        self._agents = [info.name for info in known_agents()]
        if agent not in self._agents:
            self._agents.append(agent)
        self._current_conversation: int | str | None = None

    def compose(self) -> ComposeResult:
        yield Label("Agents", classes="sidebar-title")
        yield OptionList(*self._agent_options(), id="agents")
        yield Label("Recent", classes="sidebar-title")
        yield OptionList(id="recent")

    def _agent_options(self) -> list[Option]:
        options = []
        for name in self._agents:
            text = Text("● " if name == self.agent else "  ", style="bold")
            text.append(name, style="bold" if name == self.agent else "")
            options.append(Option(text, id=f"agent:{name}"))
        options.append(Option(Text("  Compare agents…  ctrl+t", style="dim"), id="picker"))
        return options

    def set_agent(self, agent: str) -> None:
        """Mark `agent` as the active one."""
        self.agent = agent
        if agent not in self._agents:
            self._agents.append(agent)
        agents = self.query_one("#agents", OptionList)
        highlighted = agents.highlighted
        agents.clear_options()
        agents.add_options(self._agent_options())
        agents.highlighted = highlighted

    def set_conversations(
        self, conversations: list[RecentConversation], current: int | str | None = None
    ) -> None:
        """Show these conversations, newest first; `current` is marked."""
        self._current_conversation = current
        recent = self.query_one("#recent", OptionList)
        recent.clear_options()
        options = []
        for conversation in conversations:
            title = visible(conversation.title).replace("\n", " ") or "(untitled)"
            if len(title) > TITLE_WIDTH:
                title = title[: TITLE_WIDTH - 1] + "…"
            text = Text("● " if conversation.id == current else "  ", style="bold")
            text.append(title, style="bold" if conversation.id == current else "")
            agent = conversation.agent.removesuffix("Agent").removesuffix("Coding") or "agent"
            meta = f"{conversation.when} · {agent}"
            text.append(f"\n  {meta[:TITLE_WIDTH]}", style="dim")
            text.no_wrap = True
            text.overflow = "ellipsis"
            options.append(Option(text, id=f"conversation:{conversation.id}"))
        if options:
            recent.add_options(options)
        else:
            recent.add_option(Option(Text("  nothing yet", style="dim italic"), disabled=True))

    @on(OptionList.OptionSelected, "#agents")
    def _agent_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == "picker":
            self.post_message(self.PickerRequested())
            return
        name = (event.option.id or "").removeprefix("agent:")
        self.post_message(self.AgentChosen(name))

    @on(OptionList.OptionSelected, "#recent")
    def _conversation_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        raw_id = (event.option.id or "").removeprefix("conversation:")
        self.post_message(self.ConversationChosen(int(raw_id) if raw_id.isdigit() else raw_id))

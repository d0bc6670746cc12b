"""The agent picker: each agent with what it is good for; type to filter, Enter chooses."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from robotui.tui.agents import AgentInfo


class AgentPicker(ModalScreen[str | None]):
    """Returns the chosen agent's name, or None when dismissed."""

    CSS_PATH = "picker.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, agents: list[AgentInfo], current: str) -> None:
        super().__init__()
        self.agents = agents
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Choose an agent", id="picker-title")
            yield Input(placeholder="Type to filter…", id="picker-filter", compact=True)
            yield OptionList(id="picker-options")
            yield Label("↑↓ move · enter choose · esc close", id="picker-help")

    def on_mount(self) -> None:
        self._show("")

    def _show(self, query: str) -> None:
        words = query.lower().split()
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        matches = [
            agent
            for agent in self.agents
            if all(word in f"{agent.name} {agent.summary}".lower() for word in words)
        ]
        for agent in matches:
            text = Text()
            text.append("● " if agent.name == self.current else "  ", style="bold")
            text.append(agent.name, style="bold")
            text.append(f"\n  {agent.summary}", style="dim")
            options.add_option(Option(text, id=agent.name))
        if not matches:
            nothing = Text("  no agent matches", style="dim italic")
            options.add_option(Option(nothing, disabled=True))
        else:
            names = [agent.name for agent in matches]
            options.highlighted = names.index(self.current) if self.current in names else 0

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submit(self) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if not option.disabled:
                self.dismiss(option.id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

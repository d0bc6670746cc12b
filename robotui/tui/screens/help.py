"""Help (F1): every binding and what it does, and how robotui is set up."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from robotui.tui.format import bound_keys

# Keys that are not bindings of ours but matter to a person.
EXTRA_KEYS = [
    ("Prompt", "↑ / ↓", "Earlier prompts (on the first / last line)"),
    ("Everywhere", "tab / shift+tab", "Move between sidebar, conversation and prompt"),
    ("Everywhere", "ctrl+p", "Command palette: every action by name"),
]


class HelpScreen(ModalScreen[None]):
    """All bindings, grouped by where they work."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def __init__(self, groups: list[tuple[str, list[BindingType]]], notes: list[str]) -> None:
        super().__init__()
        self.groups = groups
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Label("robotui — keys and help", id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(self.keys_table(), id="help-keys")
                for note in self.notes:
                    yield Static(Text(note), classes="help-note")
            yield Label("esc close", id="help-footer")

    def keys_table(self) -> Table:
        """Every binding: where, keys (after overrides), what, id."""
        table = Table(box=None, expand=True, padding=(0, 1), show_header=True)
        table.add_column("Where", style="dim", no_wrap=True)
        table.add_column("Keys", style="bold", no_wrap=True)
        table.add_column("What it does")
        # A Text header: a plain string would be read as Rich markup ("[keys]").
        table.add_column(Text("Id (for config.toml [keys])"), style="dim", no_wrap=True)
        for group, bindings in self.groups:
            for binding in bindings:
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                keys = ", ".join(
                    self.app.get_key_display(Binding(key, binding.action))
                    for key in bound_keys(self.app, binding)
                )
                table.add_row(group, keys, binding.description, binding.id or "")
        for group, keys, what in EXTRA_KEYS:
            table.add_row(group, keys, what, "")
        return table

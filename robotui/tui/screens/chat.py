"""The chat screen: sidebar, conversation, prompt, status line, footer.

One prompt's path: `PromptArea.Submitted` → `send()` → the `run_turn` worker →
`RobocodersClient.chat()` → each event to the history store (queued) and to
`ConversationView.add_event()`. The worker runs on the event loop but only
awaits the network; the store writes on its own thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker

from robotui.client import errors
from robotui.tui.agents import describe, known_agents
from robotui.tui.format import bound_keys, when
from robotui.tui.screens import gone
from robotui.tui.widgets.conversation import ConversationView, Stopwatch
from robotui.tui.widgets.prompt import PromptArea
from robotui.tui.widgets.sidebar import RecentConversation, Sidebar
from robotui.tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from robotui.store import Conversation, HistoryStore, StoredEvent, Turn
    from robotui.tui.app import RobotuiApp
    from robotui.tui.blocks import Block

RECENT_LIMIT = 30
# Narrower than this, the sidebar (32 columns) would squeeze the conversation: it
# is hidden, and follows the width until the person shows or hides it with ctrl+b.
SIDEBAR_MIN_WIDTH = 100
SIDEBAR_BINDING = Binding("ctrl+b", "toggle_sidebar", "Sidebar", show=False, id="chat.sidebar")

ERROR_TITLES = {
    errors.AuthenticationError: "Not signed in",
    errors.ValidationError: "Request rejected",
    errors.RateLimitError: "Rate limited",
    errors.ServerError: "Server error",
    errors.NetworkError: "Network problem",
    errors.ProtocolError: "Unexpected answer",
}


class ChatScreen(Screen):
    """Talk to an agent and watch it work."""

    BINDINGS = [
        Binding("ctrl+n", "new_conversation", "New chat", id="chat.new"),
        Binding("ctrl+t", "pick_agent", "Agent", id="chat.agent"),
        Binding("ctrl+r", "history", "History", id="chat.history"),
        Binding("escape", "cancel_turn", "Cancel turn", id="chat.cancel"),
        Binding("f5", "retry", "Retry", id="chat.retry"),
        Binding("ctrl+o", "copy_last_code", "Copy code", id="chat.copy-last"),
        SIDEBAR_BINDING,
        Binding("ctrl+l", "focus_conversation", "Blocks", show=False, id="chat.blocks"),
    ]

    app: RobotuiApp

    def __init__(self, agent: str) -> None:
        super().__init__()
        self.agent = agent
        self.conversation: Conversation | None = None
        self.last_prompt: str | None = None
        self._turn: Worker[None] | None = None
        self._sidebar_chosen = False  # toggled by hand: no longer follows the width
        self._sidebar_explained = False

    # ------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield Sidebar(self.agent, id="sidebar")
            with Vertical(id="chat"):
                yield ConversationView(id="conversation")
                yield PromptArea(id="prompt", placeholder=self._placeholder())
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        status = self.query_one(StatusLine)
        status.agent = self.agent
        status.server = self.app.server_label
        status.auto_continue = self.app.settings.auto_continue
        self.query_one(ConversationView).set_welcome(self._welcome())
        self.query_one(PromptArea).focus()
        self.refresh_recent()

    def _placeholder(self) -> str:
        return (
            f"Ask {self.agent}…   enter sends · shift+enter or ctrl+j: new line · ↑ earlier prompts"
        )

    def _welcome(self, first_run: bool = False) -> Group:
        lines = [Text("Welcome to robotui" if first_run else "robotui", style="bold"), Text("")]
        if self.app.demo:
            lines.append(
                Text(
                    "Demo mode: you are talking to robotui's built-in Robocoders emulator on "
                    "this machine — no account, no network. Its agents are scripted but work "
                    "like the real ones: they run commands, edit files and show diffs."
                )
            )
            lines.append(
                Text(
                    "For the real service, start robotui without --demo: a token is fetched "
                    "on first use, or run `robotui login --token TOKEN`.",
                    style="dim",
                )
            )
        else:
            lines.append(Text(f"Server: {self.app.base_url}"))
            lines.append(
                Text(
                    "A token is fetched from the server on first use and kept in your OS "
                    "keyring. To use your own: ctrl+p → Log in, `robotui login --token TOKEN`, "
                    "or ROBOCODERS_API_TOKEN.",
                    style="dim",
                )
            )
        lines += [
            Text(""),
            Text(f"Agent: {self.agent} — {describe(self.agent)}"),
            Text(""),
            Text("Try:  Write a function in Go that reverses a string", style="italic"),
            Text("      Fix the failing test in my repository", style="italic"),
            Text("      Build a landing page with a pricing table", style="italic"),
            Text(""),
            Text(
                "f1 help · ctrl+p every command · ctrl+t switch agent · ctrl+r history · "
                "ctrl+n new chat · esc cancel a turn · ctrl+q quit",
                style="dim",
            ),
        ]
        return Group(*lines)

    # ------------------------------------------------------------- sending

    @on(PromptArea.Submitted)
    def _submitted(self, event: PromptArea.Submitted) -> None:
        if not self.send(event.text):
            event.prompt.restore(event.text)

    def send(self, prompt: str) -> bool:
        """Start a turn with `prompt`; False if one is already running."""
        if self.turn_running:
            self.notify("A turn is still running — esc cancels it.", severity="warning")
            return False
        self.last_prompt = prompt
        view = self.query_one(ConversationView)
        view.add_prompt(prompt, self.agent)
        self._turn = self.run_turn(prompt)
        return True

    @property
    def turn_running(self) -> bool:
        return self._turn is not None and not self._turn.is_finished

    @work(exclusive=True, group="turn", exit_on_error=False)
    async def run_turn(self, prompt: str) -> None:
        app = self.app
        view = self.query_one(ConversationView)
        status = self.query_one(StatusLine)
        status.events = 0
        status.turn = "connecting"
        self.refresh_bindings()
        outcome, detail = "complete", ""
        turn_id: int | None = None
        try:
            client = await app.get_client()
            conversation = await self._conversation_for(prompt)
            store = app.store if conversation is not None else None
            if store is not None and conversation is not None:
                turn = await asyncio.to_thread(
                    store.begin_turn, conversation.id, prompt, self.agent
                )
                turn_id = turn.id
            status.turn = "waiting for the agent"
            key = f"conversation:{conversation.id}" if conversation else None
            stream = client.chat(
                prompt,
                agent=self.agent,
                session_id=conversation.session_id if conversation else None,
                conversation_id=key,
                auto_continue=app.settings.auto_continue,
            )
            stopwatch = Stopwatch()
            async with stream:
                async for event in stream:
                    if turn_id is not None and store is not None:
                        store.append_event(turn_id, event)
                    view.add_event(event)
                    status.events += 1
                    status.turn = "streaming"
                    if stopwatch.due():
                        await asyncio.sleep(0)  # let the screen paint and keys through
            status.auth = app.auth_label()
            outcome = "waiting" if stream.waiting_for_user else "complete"
            if stream.invalid_lines:
                self.notify(
                    f"Skipped {stream.invalid_lines} malformed line(s) from the server.",
                    severity="warning",
                )
            if (
                store is not None
                and conversation is not None
                and stream.session_id
                and stream.session_id != conversation.session_id
            ):
                await asyncio.to_thread(store.set_session_id, conversation.id, stream.session_id)
                self.conversation = replace(conversation, session_id=stream.session_id)
        except asyncio.CancelledError:
            outcome = "cancelled"
            raise
        except errors.RobocodersError as error:
            outcome, detail = "error", error.cause
            self.show_error(error)
        finally:
            view.end_turn(outcome, detail)
            status.turn = ""
            self.refresh_bindings()
            if turn_id is not None and app.store is not None:
                app.run_worker(
                    lambda: app.store.end_turn(turn_id, outcome, detail or None),
                    thread=True,
                    group="store",
                )
            self.refresh_recent()

    async def _conversation_for(self, prompt: str) -> Conversation | None:
        """The current conversation, created (titled from `prompt`) if needed."""
        store = await self.app.wait_for_store()
        if store is None:
            return None
        if self.conversation is None:
            from robotui.store import title_from_prompt

            self.conversation = await asyncio.to_thread(
                store.create_conversation,
                title_from_prompt(prompt),
                self.agent,
                self.app.base_url,
            )
        elif self.conversation.agent != self.agent:
            await asyncio.to_thread(store.set_agent, self.conversation.id, self.agent)
        return self.conversation

    def show_error(self, error: errors.RobocodersError) -> None:
        """A notification naming the cause and the fix."""
        title = next(
            (text for kind, text in ERROR_TITLES.items() if isinstance(error, kind)), "Error"
        )
        message = str(error)
        if isinstance(error, errors.AuthenticationError):
            message += " (or ctrl+p → Log in)"
        elif not isinstance(error, errors.ValidationError):
            message += " — f5 retries"
        self.notify(message, title=title, severity="error", timeout=12, markup=False)

    # ------------------------------------------------------------- actions

    def action_cancel_turn(self) -> None:
        if self.turn_running and self._turn is not None:
            self._turn.cancel()

    def action_retry(self) -> None:
        if self.last_prompt is None:
            self.notify("Nothing to retry yet.", severity="warning")
            return
        self.send(self.last_prompt)

    def action_new_conversation(self) -> None:
        if self.turn_running:
            self.notify("A turn is still running — esc cancels it.", severity="warning")
            return
        self.conversation = None
        self.query_one(ConversationView).clear()
        self.query_one(PromptArea).focus()
        self.refresh_recent()

    def action_pick_agent(self) -> None:
        from robotui.tui.screens.picker import AgentPicker

        def chosen(agent: str | None) -> None:
            if agent:
                self.set_agent(agent)

        self.app.push_screen(AgentPicker(known_agents(), self.agent), chosen)

    def action_copy_last_code(self) -> None:
        view = self.query_one(ConversationView)
        # The last program first: an answer often ends with its output, fenced too.
        item = view.last_item("code", program=True) or view.last_item("code")
        item = item or view.last_item(None)
        if item is None:
            self.notify("No code block yet.", severity="warning", timeout=3)
            return
        self.copy_text(item.text)

    def copy_text(self, text: str) -> None:
        """Copy to the terminal clipboard now and to the desktop one in a thread."""
        from robotui.tui import clipboard

        self.app.copy_to_clipboard(text)
        lines = text.count("\n") + 1
        self.notify(f"Copied {lines} line{'s' if lines != 1 else ''}.", timeout=3)
        self.app.run_worker(lambda: clipboard.copy_to_desktop(text), thread=True, group="clipboard")

    @on(ConversationView.ItemAction)
    def _item_action(self, event: ConversationView.ItemAction) -> None:
        item = event.item
        if event.action == "copy":
            self.copy_text(item.text)
        elif event.action == "insert":
            prompt = self.query_one(PromptArea)
            block = item.text if item.kind == "command" else _fenced(item.text, item.language)
            prompt.insert(block if not prompt.text else "\n" + block)
            prompt.focus()
        elif event.action == "save":
            from robotui.tui.screens.save import SaveScreen

            def saved(path: Path | None) -> None:
                if path is not None:
                    self.notify(f"Saved {path}", timeout=5, markup=False)

            self.app.push_screen(SaveScreen(item.text, item.suggested_name), saved)

    def action_focus_conversation(self) -> None:
        self.query_one(ConversationView).focus()

    def action_history(self) -> None:
        self.show_history()

    @work(exclusive=True, group="history-screen")
    async def show_history(self) -> None:
        """The history screen; what it returns opens or forgets a conversation."""
        store = await self.app.wait_for_store()
        if store is None:
            self.notify("The history is not available this time.", severity="error")
            return
        from robotui.tui.screens.history import HistoryScreen

        current = self.conversation.id if self.conversation else None
        result = await self.app.push_screen_wait(HistoryScreen(store, current))
        if gone(self):
            return
        if result is not None and result.action == "open":
            self.open_conversation(result.conversation_id)
        elif result is not None and result.action == "deleted-current":
            self.conversation = None
            self.query_one(ConversationView).clear()
        self.refresh_recent()

    def action_export(self) -> None:
        store = self.app.store
        if store is None or self.conversation is None:
            self.notify("Nothing to export yet: send a prompt first.", severity="warning")
            return
        from robotui.tui.screens.export import ExportScreen

        def exported(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Exported to {path}", timeout=6, markup=False)

        self.app.push_screen(
            ExportScreen(store, self.conversation.id, self.conversation.title), exported
        )

    def action_toggle_sidebar(self) -> None:
        self._sidebar_chosen = True
        self._show_sidebar(not self.query_one(Sidebar).display)

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= SIDEBAR_MIN_WIDTH
        if self._sidebar_chosen or self.query_one(Sidebar).display == wide:
            return
        self._show_sidebar(wide)
        self._explain_hidden_sidebar()

    def on_screen_resume(self) -> None:
        self._explain_hidden_sidebar()  # hidden while another screen was on top

    def _explain_hidden_sidebar(self) -> None:
        """Say once, on this screen, why the sidebar went away."""
        if (
            self._sidebar_explained
            or self._sidebar_chosen
            or self.query_one(Sidebar).display
            or not self.is_active
        ):
            return
        self._sidebar_explained = True
        key = bound_keys(self.app, SIDEBAR_BINDING)[0]
        self.notify(f"The terminal is narrow, so the sidebar is hidden: {key} shows it.")

    def _show_sidebar(self, show: bool) -> None:
        sidebar = self.query_one(Sidebar)
        if not show and sidebar.has_focus_within:
            self.query_one(PromptArea).focus()
        sidebar.display = show

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_turn":
            return True if self.turn_running else None
        if action == "retry":
            return None if self.turn_running or self.last_prompt is None else True
        return True

    def set_agent(self, agent: str) -> None:
        """Use `agent` for the next prompt."""
        self.agent = agent
        self.query_one(Sidebar).set_agent(agent)
        self.query_one(StatusLine).agent = agent
        prompt = self.query_one(PromptArea)
        prompt.placeholder = self._placeholder()
        if not self.query_one(ConversationView).blocks:
            self.query_one(ConversationView).set_welcome(self._welcome())
        self.notify(f"Next prompt goes to {agent}.", timeout=3)
        prompt.focus()

    @on(Sidebar.AgentChosen)
    def _agent_chosen(self, event: Sidebar.AgentChosen) -> None:
        self.set_agent(event.agent)

    @on(Sidebar.PickerRequested)
    def _picker_requested(self) -> None:
        self.action_pick_agent()

    @on(Sidebar.ConversationChosen)
    def _conversation_chosen(self, event: Sidebar.ConversationChosen) -> None:
        self.open_conversation(event.conversation_id)

    # ------------------------------------------------------- conversations

    @work(exclusive=True, group="recent")
    async def refresh_recent(self) -> None:
        store = await self.app.wait_for_store()
        if store is None:
            return
        conversations = await asyncio.to_thread(store.list_conversations, RECENT_LIMIT)
        if gone(self):
            return
        current = self.conversation.id if self.conversation else None
        view = self.query_one(ConversationView)
        if not conversations and not view.blocks:
            view.set_welcome(self._welcome(first_run=True))
        self.query_one(Sidebar).set_conversations(
            [RecentConversation(c.id, c.title, c.agent, when(c.updated_at)) for c in conversations],
            current,
        )

    @work(exclusive=True, group="open")
    async def open_conversation(self, conversation_id: int) -> None:
        """Show a stored conversation as it looked, and continue it."""
        if self.turn_running:
            self.notify("A turn is still running — esc cancels it.", severity="warning")
            return
        store = await self.app.wait_for_store()
        if store is None:
            return
        loaded = await asyncio.to_thread(_load_blocks, store, conversation_id)
        if gone(self):
            return
        if loaded is None:
            self.notify(f"Conversation {conversation_id} no longer exists.", severity="warning")
            self.refresh_recent()
            return
        conversation, blocks, last_prompt = loaded
        self.conversation = conversation
        self.last_prompt = last_prompt
        view = self.query_one(ConversationView)
        view.load(blocks)
        if conversation.agent != self.agent:
            self.set_agent(conversation.agent)
        self.query_one(PromptArea).focus()
        self.refresh_recent()


def _fenced(code: str, language: str) -> str:
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}{language}\n{code}\n{fence}\n"


def _load_blocks(
    store: HistoryStore, conversation_id: int
) -> tuple[Conversation, list[Block], str | None] | None:
    """In a thread: a stored conversation as blocks, turn by turn."""
    from robotui.tui.builder import BlockBuilder

    conversation = store.get_conversation(conversation_id)
    if conversation is None:
        return None
    turns: list[Turn] = store.turns(conversation_id)
    by_turn: dict[int, list[StoredEvent]] = {}
    for stored in store.events(conversation_id):
        by_turn.setdefault(stored.turn_id, []).append(stored)
    builder = BlockBuilder()
    for turn in turns:
        builder.prompt(turn.prompt, turn.agent)
        for stored in by_turn.get(turn.id, []):
            builder.event(stored.event)
        builder.end_turn(turn.status, turn.error or "")
    last_prompt = turns[-1].prompt if turns else None
    return conversation, builder.blocks, last_prompt

"""The chat screen with Pilot, the server faked with respx."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import httpx
import pytest
import respx
from textual import events
from textual.keys import _character_to_key
from textual.screen import Screen
from textual.widgets import OptionList
from tui_helpers import (
    BASE,
    GatedStream,
    after_refresh,
    agent_message,
    view_text,
    wait_until,
)

from robotui.config import Settings
from robotui.tui import blocks as bl
from robotui.tui.app import RobotuiApp
from robotui.tui.screens import gone
from robotui.tui.screens.picker import AgentPicker
from robotui.tui.widgets.conversation import ConversationView
from robotui.tui.widgets.prompt import PromptArea
from robotui.tui.widgets.sidebar import Sidebar
from robotui.tui.widgets.status import StatusLine

EXAMPLE_FILE = Path(__file__).parent / "data" / "openhands-0.15-events.ndjson"


@pytest.fixture
def server() -> respx.Router:
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        mock.get("/auth").respond(200, html='<pre id="token">tok</pre>')
        mock.get("/create-session").respond(200, json={"sid": "sid-1"})
        yield mock


def make_app(**settings: object) -> RobotuiApp:
    return RobotuiApp(base_url=BASE, settings=Settings(**settings))


async def send(pilot, text: str) -> None:
    prompt = pilot.app.screen.query_one(PromptArea)
    prompt.focus()
    prompt.load_text(text)
    await pilot.press("enter")


def turn_done(app) -> bool:
    return not app.screen.turn_running and app.screen.query_one(StatusLine).turn == ""


async def test_start_layout_and_focus(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(app.focused, PromptArea), "the prompt has focus at start"
        agents = screen.query_one("#agents", OptionList)
        names = [str(agents.get_option_at_index(i).prompt) for i in range(3)]
        assert [name.strip("● ").strip() for name in names] == [
            "GeneralCodingAgent",
            "RepoAgent",
            "FrontEndAgent",
        ]
        assert names[0].startswith("●"), "the active agent is marked"
        view = screen.query_one(ConversationView)
        assert view.blocks == [] and view._welcome is not None
        assert screen.query_one(Sidebar).region.width > 0
        await pilot.press("tab")
        assert not isinstance(app.focused, type(None))
        status = screen.query_one(StatusLine)
        assert status.server == "robocoders.test".join(["http://", ""]) or BASE in status.server


async def test_the_collector_is_back_on_after_start_up(server) -> None:
    """`robotui` turns the collector off for start-up; the app turns it back on, with
    the start-up heap frozen, and leaves the process as it found it on exit."""
    thresholds = gc.get_threshold()
    gc.disable()
    try:
        app = make_app()
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_until(pilot, gc.isenabled, what="the collector back on")
            assert gc.get_freeze_count() > 0, "the start-up heap is frozen"
            assert gc.get_threshold() != thresholds
        assert gc.get_freeze_count() == 0 and gc.get_threshold() == thresholds
    finally:
        gc.enable()


async def open_help(pilot) -> Screen:
    """F1 over the chat screen; returns the chat screen."""
    chat = pilot.app.screen
    await pilot.press("f1")
    await wait_until(pilot, lambda: pilot.app.screen is not chat, what="the help screen")
    return chat


async def test_a_screen_is_gone_once_dismissed_or_the_app_quits(server) -> None:
    """What workers back from a thread check before touching a screen's widgets."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        chat = await open_help(pilot)
        help_screen = app.screen
        assert not gone(chat) and not gone(help_screen), "covered is not gone"
        await pilot.press("escape")
        await wait_until(pilot, lambda: gone(help_screen), what="the dismissed screen gone")
        assert app.screen is chat and not gone(chat)
    assert gone(chat)


async def test_send_streams_every_event_kind_and_saves_the_turn(server) -> None:
    chat = server.post("/chat").respond(200, content=EXAMPLE_FILE.read_bytes())
    app = make_app(auto_continue=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "Write a hello world script")
        await wait_until(pilot, lambda: chat.called and turn_done(app), what="turn end")
        view = app.screen.query_one(ConversationView)
        kinds = {type(block) for block in view.blocks}
        assert {
            bl.PromptBlock,
            bl.StateBlock,
            bl.CommandBlock,
            bl.IPythonBlock,
            bl.FileReadBlock,
            bl.FileChangeBlock,
            bl.BrowseBlock,
            bl.CalloutBlock,
            bl.MessageBlock,
            bl.NoteBlock,
        } <= kinds
        text = view_text(view)
        assert "$ python3 hello.py" in text and "Hello, world!" in text and "✓ exit 0" in text
        assert '+print("Hello, OpenHands!")' in text
        assert "delegated to BrowsingAgent" in text
        assert "rejected" in text and "The repository does not exist." in text
        assert "read /workspace/hello.py" in text
        assert "Example Domain" not in text, "page text is collapsed"
        assert "data:image" not in text
        body = json.loads(chat.calls[0].request.content)
        assert body == {
            "sid": "sid-1",
            "prompt": "Write a hello world script",
            "agent": "GeneralCodingAgent",
        }
        store = await app.wait_for_store()
        store.flush()
        conversation = store.latest_conversation()
        assert conversation.title == "Write a hello world script"
        assert conversation.session_id == "sid-1"
        turns = store.turns(conversation.id)
        assert [turn.status for turn in turns] == ["waiting"]
        assert len(store.events(conversation.id)) == len(EXAMPLE_FILE.read_bytes().splitlines())


async def test_a_failed_command_visibly_failed(server) -> None:
    body = b"".join(
        [
            json.dumps(
                {
                    "id": 1,
                    "source": "agent",
                    "message": "",
                    "action": "run",
                    "args": {"command": "pytest"},
                }
            ).encode()
            + b"\n",
            json.dumps(
                {
                    "id": 2,
                    "cause": 1,
                    "source": "agent",
                    "message": "",
                    "observation": "run",
                    "content": "FAILED test_x.py",
                    "extras": {"command": "pytest", "exit_code": 1},
                }
            ).encode()
            + b"\n",
        ]
    )
    server.post("/chat").respond(200, content=body)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "run the tests")
        await wait_until(
            pilot,
            lambda: turn_done(app) and len(app.screen.query_one(ConversationView).blocks) == 2,
        )
        view = app.screen.query_one(ConversationView)
        command = view.blocks[1]
        assert isinstance(command, bl.CommandBlock) and command.output.failed
        assert "✗ exit 1" in view_text(view)


async def test_markup_and_escape_sequences_are_shown_literally(server) -> None:
    hostile = "[bold red]not markup[/] \x1b[31mred\x1b[0m [link=x]y[/link] $ENV {a}"
    server.post("/chat").respond(200, content=agent_message(hostile))
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await send(pilot, "[b]prompt markup[/b]")
        await wait_until(
            pilot,
            lambda: turn_done(app) and len(app.screen.query_one(ConversationView).blocks) >= 2,
        )
        text = view_text(app.screen.query_one(ConversationView))
        assert "[bold red]not markup[/]" in text
        assert "\\x1b[31mred\\x1b[0m" in text
        assert "\x1b" not in text
        assert "[b]prompt markup[/b]" in text


async def test_escape_cancels_and_keeps_what_arrived(server) -> None:
    stream = GatedStream(
        agent_message("first part", event_id=1), agent_message("never shown", event_id=2)
    )
    server.post("/chat").respond(200, stream=stream)
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await send(pilot, "long task")
        view = app.screen.query_one(ConversationView)
        await wait_until(pilot, lambda: "first part" in view_text(view))
        assert app.screen.turn_running
        assert app.screen.query_one(StatusLine).turn
        await pilot.press("escape")
        await wait_until(pilot, lambda: turn_done(app))
        text = view_text(view)
        assert "first part" in text and "never shown" not in text
        assert "cancelled" in text
        store = await app.wait_for_store()
        await wait_until(
            pilot, lambda: store.turns(store.latest_conversation().id)[0].status == "cancelled"
        )
        assert len(store.events(store.latest_conversation().id)) == 1


async def test_switch_agent_with_the_picker(server) -> None:
    chat = server.post("/chat").respond(200, content=agent_message("ok"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, AgentPicker))
        await pilot.press(*"repo")
        options = app.screen.query_one("#picker-options", OptionList)
        assert options.option_count == 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, AgentPicker))
        assert app.screen.agent == "RepoAgent"
        assert app.screen.query_one(StatusLine).agent == "RepoAgent"
        assert isinstance(app.focused, PromptArea)
        await send(pilot, "hi")
        await wait_until(pilot, lambda: chat.called and turn_done(app))
        assert json.loads(chat.calls[0].request.content)["agent"] == "RepoAgent"


async def test_picker_escape_keeps_the_agent(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, AgentPicker))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, AgentPicker))
        assert app.screen.agent == "GeneralCodingAgent"


async def test_a_narrow_terminal_hides_the_sidebar_until_asked(server) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.screen.query_one(Sidebar)
        await wait_until(pilot, lambda: app._notifications)
        assert not sidebar.display
        assert [note.message for note in app._notifications] == [
            "The terminal is narrow, so the sidebar is hidden: ctrl+b shows it."
        ]
        await pilot.resize_terminal(120, 30)
        await wait_until(pilot, lambda: sidebar.display, what="the sidebar back when wide")
        sidebar.query_one("#agents", OptionList).focus()
        await pilot.resize_terminal(90, 30)
        await wait_until(pilot, lambda: not sidebar.display, what="hidden when narrow again")
        assert isinstance(app.focused, PromptArea), "focus leaves the hidden sidebar"
        assert len(app._notifications) == 1, "said once"
        await pilot.press("ctrl+b")
        assert sidebar.display
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: app.screen.size.width == 80)
        await pilot.pause()
        assert sidebar.display, "once shown or hidden by hand, it stays as chosen"


async def test_the_hidden_sidebar_is_explained_on_the_chat_screen(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        chat = await open_help(pilot)
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: not chat.query_one(Sidebar).display)
        assert not app._notifications, "not said over another screen"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app._notifications, what="said back on the chat screen")
        assert "sidebar is hidden" in next(iter(app._notifications)).message


async def test_the_picker_is_reachable_from_the_sidebar(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        agents = app.screen.query_one("#agents", OptionList)
        agents.focus()
        agents.highlighted = agents.option_count - 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AgentPicker))


async def test_switch_agent_from_the_sidebar(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        agents = app.screen.query_one("#agents", OptionList)
        agents.focus()
        await pilot.press("down", "down", "enter")
        await wait_until(pilot, lambda: app.screen.agent == "FrontEndAgent")
        label = str(agents.get_option_at_index(2).prompt)
        assert label.startswith("●")


@pytest.mark.parametrize(
    ("response", "title", "text"),
    [
        (httpx.Response(401, json={"detail": "expired"}), "Not signed in", "robotui login"),
        (httpx.Response(500, json={"detail": "boom"}), "Server error", "f5 retries"),
        (httpx.Response(429, headers={"Retry-After": "9"}), "Rate limited", "9 s"),
        (httpx.Response(422, json={"detail": "bad agent"}), "Request rejected", "bad agent"),
    ],
)
async def test_errors_are_notifications_with_cause_and_fix(
    server, response: httpx.Response, title: str, text: str
) -> None:
    server.post("/chat").mock(return_value=response)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        await wait_until(pilot, lambda: turn_done(app) and app._notifications)
        notes = list(app._notifications)
        assert any(n.title == title and text in n.message for n in notes), notes
        assert "failed" in view_text(app.screen.query_one(ConversationView))


async def test_retry_resends_the_last_prompt(server) -> None:
    chat = server.post("/chat")
    chat.side_effect = [
        httpx.Response(503),
        httpx.Response(200, content=agent_message("second time lucky")),
    ]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "flaky")
        await wait_until(pilot, lambda: chat.call_count == 1 and turn_done(app))
        await pilot.press("f5")
        await wait_until(pilot, lambda: chat.call_count == 2 and turn_done(app))
        assert [json.loads(call.request.content)["prompt"] for call in chat.calls] == [
            "flaky",
            "flaky",
        ]
        assert "second time lucky" in view_text(app.screen.query_one(ConversationView))


async def test_prompt_history_up_and_down(server) -> None:
    server.post("/chat").respond(200, content=agent_message("ok"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        for text in ("first", "second"):
            await send(pilot, text)
            await wait_until(pilot, lambda: turn_done(app))
        prompt = app.screen.query_one(PromptArea)
        prompt.focus()
        await pilot.press(*"draft")
        await pilot.press("up")
        assert prompt.text == "second"
        await pilot.press("up")
        assert prompt.text == "first"
        await pilot.press("down")
        assert prompt.text == "second"
        await pilot.press("down")
        assert prompt.text == "draft"


def post_keys(app, keys: str) -> None:
    """Keys as the terminal driver delivers a burst (fast typing, a paste without
    bracketed paste, typing while the app is busy): all queued before any is handled."""
    for key in keys:
        name = "enter" if key == "\r" else _character_to_key(key)
        app.post_message(events.Key(name, key))


async def test_keys_typed_in_one_burst_are_sent_whole_and_in_order(server) -> None:
    chat = server.post("/chat")
    chat.respond(200, content=agent_message("ok"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        prompt = app.screen.query_one(PromptArea)
        text = "Write a function in Python that checks for palindromes"
        post_keys(app, text + "\r" + "next one")
        await wait_until(pilot, lambda: chat.call_count == 1 and turn_done(app))
        assert json.loads(chat.calls[0].request.content)["prompt"] == text
        assert prompt.text == "next one", "what was typed after enter stays in the prompt"


async def test_enter_during_a_turn_keeps_the_prompt(server) -> None:
    stream = GatedStream(agent_message("working", event_id=1), agent_message("done", event_id=2))
    server.post("/chat").respond(200, stream=stream)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        prompt = app.screen.query_one(PromptArea)
        await send(pilot, "first")
        await wait_until(pilot, lambda: app.screen.turn_running)
        post_keys(app, "second\r and more")
        await wait_until(pilot, lambda: prompt.text == "second and more")
        assert app.screen.turn_running
        stream.gate.set()
        await wait_until(pilot, lambda: turn_done(app))
        assert prompt.text == "second and more"


async def test_blank_lines_around_a_prompt_are_not_sent(server) -> None:
    chat = server.post("/chat")
    chat.respond(200, content=agent_message("ok"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "\n  \n    indented code\nmore  \n\n")
        await wait_until(pilot, lambda: chat.call_count == 1 and turn_done(app))
        sent = json.loads(chat.calls[0].request.content)["prompt"]
        assert sent == "    indented code\nmore", "the first line keeps its indent"
        await send(pilot, " \n\n ")
        assert app.screen.query_one(PromptArea).text == " \n\n ", "nothing to send"
        assert chat.call_count == 1


async def test_send_follows_a_key_override(server) -> None:
    chat = server.post("/chat")
    chat.respond(200, content=agent_message("ok"))
    app = make_app(keys={"prompt.send": "ctrl+s"})
    async with app.run_test(size=(120, 36)) as pilot:
        prompt = app.screen.query_one(PromptArea)
        await pilot.press("a", "enter", "b")
        assert prompt.text == "a\nb", "enter is a plain newline once send has moved"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: chat.call_count == 1 and turn_done(app))
        assert json.loads(chat.calls[0].request.content)["prompt"] == "a\nb"


async def test_shift_enter_and_ctrl_j_insert_newlines(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        prompt = app.screen.query_one(PromptArea)
        await pilot.press("a", "ctrl+j", "b", "shift+enter", "c")
        assert prompt.text == "a\nb\nc"
        assert app.screen.query_one(ConversationView).blocks == []


async def test_reopening_a_conversation_shows_it_as_it_looked(server) -> None:
    server.post("/chat").respond(200, content=EXAMPLE_FILE.read_bytes())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "Write a hello world script")
        await wait_until(pilot, lambda: turn_done(app))
        view = app.screen.query_one(ConversationView)
        before = view_text(view)
        store = await app.wait_for_store()
        store.flush()
        conversation_id = store.latest_conversation().id
        await pilot.press("ctrl+n")
        assert view.blocks == []
        app.screen.open_conversation(conversation_id)
        await wait_until(pilot, lambda: len(view.blocks) > 0)
        assert view.hidden_count > 0, "earlier blocks wait until they are scrolled to"
        assert before.endswith(view_text(view))
        view.scroll_to(y=0, animate=False, immediate=True)
        await wait_until(pilot, lambda: view.hidden_count == 0)
        assert view_text(view) == before
        assert app.screen.conversation.id == conversation_id


async def test_auto_continue_is_shown(server) -> None:
    chat = server.post("/chat")
    chat.side_effect = [
        httpx.Response(200, content=agent_message("resource limit", wait=True)),
        httpx.Response(200, content=agent_message("all done", event_id=2)),
    ]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "build an app")
        await wait_until(pilot, lambda: chat.call_count == 2 and turn_done(app))
        text = view_text(app.screen.query_one(ConversationView))
        assert "continued automatically, 1 of 3" in text
        assert text.index("resource limit") < text.index("continued automatically")
        assert text.index("continued automatically") < text.index("all done")


async def test_demo_mode_runs_against_the_built_in_emulator() -> None:
    from robotui.emulator import EmulatorConfig

    app = RobotuiApp(demo=True, settings=Settings(), emulator_config=EmulatorConfig(speed=0))
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "Write a function in Go that reverses a string")
        view = app.screen.query_one(ConversationView)
        await wait_until(pilot, lambda: turn_done(app) and len(view.blocks) > 3, timeout=30)
        text = view_text(view)
        assert "package main" in text and "go run" in text
        assert app.base_url.startswith("http://127.0.0.1:")
        assert "demo" in app.screen.query_one(StatusLine).server


async def test_scrolling_follows_only_at_the_bottom(server) -> None:
    stream = GatedStream(
        b"".join(agent_message(f"line {n}\n" * 5, event_id=n) for n in range(30)),
        b"".join(agent_message(f"later {n}", event_id=100 + n) for n in range(30)),
    )
    server.post("/chat").respond(200, stream=stream)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "long")
        view = app.screen.query_one(ConversationView)
        await wait_until(pilot, lambda: len(view.blocks) >= 31 and view.laid_out)
        # Following scrolls after the next refresh (`scroll_end(immediate=False)`).
        await wait_until(
            pilot, lambda: view.scroll_y == view.max_scroll_y > 0, what="it followed the output"
        )
        view.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        stream.gate.set()
        await wait_until(pilot, lambda: turn_done(app) and view.laid_out)
        await after_refresh(pilot, view)
        assert view.scroll_y == 0, "scrolled up: new output does not pull the view down"
        view.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y


@pytest.mark.emulator(faults=("huge",))
async def test_a_one_megabyte_event_arrives_collapsed(emulator) -> None:
    app = RobotuiApp(base_url=emulator, settings=Settings(auto_continue=0))
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "Build the project")
        view = app.screen.query_one(ConversationView)
        await wait_until(pilot, lambda: turn_done(app) and len(view.blocks) > 2, timeout=60)
        big = [
            block
            for block in view.blocks
            if isinstance(block, bl.CommandBlock)
            and block.output is not None
            and len(block.output.content) > 900_000
        ]
        assert big, "the 1 MB event arrived whole"
        assert not big[0].expanded
        assert "more lines" in view_text(view)
        assert view.line_count < 2000, "collapsed: a megabyte is not laid out line by line"

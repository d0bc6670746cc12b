"""Code blocks, the command palette, help, settings, login and logout, with Pilot."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import respx
from textual.command import CommandPalette
from tui_helpers import BASE, agent_message, view_text, wait_until

from robotui.config import Settings, config_dir
from robotui.tui.app import RobotuiApp
from robotui.tui.screens.help import HelpScreen
from robotui.tui.screens.login import LoginScreen
from robotui.tui.screens.save import SaveScreen
from robotui.tui.screens.settings import SettingsScreen
from robotui.tui.widgets.conversation import ConversationView
from robotui.tui.widgets.prompt import PromptArea
from robotui.tui.widgets.status import StatusLine

GO_CODE = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}'
PY_CODE = "def reverse(text):\n    return text[::-1]"
REPLY = (
    "Here is the Go version:\n\n```go\n" + GO_CODE + "\n```\n\nAnd in Python:\n\n"
    "```python\n" + PY_CODE + "\n```\n\nDone."
)
COMMAND = {
    "id": 5,
    "source": "agent",
    "message": "",
    "action": "run",
    "args": {"command": "go run main.go", "thought": ""},
}
OUTPUT = {
    "id": 6,
    "cause": 5,
    "source": "agent",
    "message": "",
    "observation": "run",
    "content": "hi",
    "extras": {"command": "go run main.go", "exit_code": 0},
}


@pytest.fixture(autouse=True)
def no_desktop_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROBOTUI_NO_OS_CLIPBOARD", "1")


@pytest.fixture
def server() -> respx.Router:
    body = (
        agent_message(REPLY)
        + json.dumps(COMMAND).encode()
        + b"\n"
        + json.dumps(OUTPUT).encode()
        + b"\n"
    )
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        mock.get("/auth").respond(200, html='<pre id="token">tok</pre>')
        mock.get("/create-session").respond(200, json={"sid": "sid-1"})
        mock.post("/chat").respond(200, content=body)
        yield mock


def make_app(**settings: object) -> RobotuiApp:
    return RobotuiApp(base_url=BASE, settings=Settings(**settings))


async def answered(pilot) -> ConversationView:
    app = pilot.app
    prompt = app.screen.query_one(PromptArea)
    prompt.load_text("reverse a string")
    await pilot.press("enter")
    view = app.screen.query_one(ConversationView)
    await wait_until(pilot, lambda: not app.screen.turn_running and len(view.blocks) >= 3)
    return view


async def test_copy_last_code_block_prefers_a_program_to_its_output(server) -> None:
    reply = "```python\n" + PY_CODE + "\n```\n\nIt prints:\n\n```text\nolleh\n```"
    server.post("/chat").respond(200, content=agent_message(reply))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        prompt = app.screen.query_one(PromptArea)
        prompt.load_text("reverse")
        await pilot.press("enter")
        view = app.screen.query_one(ConversationView)
        await wait_until(pilot, lambda: not app.screen.turn_running and len(view.blocks) >= 2)
        await pilot.press("ctrl+o")
        assert app.clipboard == PY_CODE


async def test_copy_last_code_block_from_anywhere(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await answered(pilot)
        await pilot.press("ctrl+o")
        assert app.clipboard == PY_CODE


async def test_blocks_are_reached_with_the_keyboard_and_copied(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = await answered(pilot)
        await pilot.press("ctrl+l")
        assert app.focused is view
        await pilot.press("home", "]")
        assert view.selected_item.text == GO_CODE
        await pilot.press("c")
        assert app.clipboard == GO_CODE
        await pilot.press("]", "c")
        assert app.clipboard == PY_CODE
        await pilot.press("]", "c")
        assert app.clipboard == "go run main.go", "a command is reachable too"
        await pilot.press("]", "c")
        assert app.clipboard == "hi", "and its output"
        await pilot.press("[", "[", "c")
        assert app.clipboard == PY_CODE


async def test_insert_puts_the_block_into_the_prompt(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = await answered(pilot)
        view.focus()
        await pilot.press("home", "]", "i")
        prompt = app.screen.query_one(PromptArea)
        assert app.focused is prompt
        assert prompt.text == "```go\n" + GO_CODE + "\n```\n"


async def test_save_writes_the_block_with_a_suggested_name(
    server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = await answered(pilot)
        view.focus()
        await pilot.press("home", "]", "]", "s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveScreen))
        path_input = app.screen.query_one("#path")
        assert path_input.value == "snippet.py"
        await pilot.press(*"reverse")  # replaces the selected stem
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, SaveScreen))
        saved = tmp_path / "reverse.py"
        assert saved.read_text() == PY_CODE
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600


async def test_save_never_overwrites_without_a_second_enter(
    server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    existing = tmp_path / "snippet.go"
    existing.write_text("keep me")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = await answered(pilot)
        view.focus()
        await pilot.press("home", "]", "s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveScreen))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveScreen)
        assert "exists" in str(app.screen.query_one("#message").render())
        assert existing.read_text() == "keep me"
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, SaveScreen))
        assert existing.read_text() == GO_CODE


async def test_clicking_copy_on_a_code_header(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = await answered(pilot)
        view.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        text = view_text(view).split("\n")
        row = next(
            i for i, line in enumerate(text) if line.strip().startswith("go") and "[copy]" in line
        )
        column = text[row].index("[copy]") + 2
        await pilot.click(ConversationView, offset=(column, row))
        assert app.clipboard == GO_CODE


async def test_long_output_expands_and_collapses(server) -> None:
    long_output = dict(OUTPUT, content="\n".join(f"line {n}" for n in range(100)))
    server.post("/chat").respond(
        200,
        content=json.dumps(COMMAND).encode() + b"\n" + json.dumps(long_output).encode() + b"\n",
    )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        prompt = app.screen.query_one(PromptArea)
        prompt.load_text("go")
        await pilot.press("enter")
        view = app.screen.query_one(ConversationView)
        await wait_until(pilot, lambda: not app.screen.turn_running and len(view.blocks) == 2)
        collapsed = view_text(view)
        assert "line 3\n" in collapsed and "line 50" not in collapsed
        assert "line 99" in collapsed, "the tail, where errors are, stays visible"
        assert "88 more lines" in collapsed
        view.focus()
        await pilot.press("home", "]", "enter")
        assert "line 50" in view_text(view)
        await pilot.press("enter")
        assert "line 50" not in view_text(view)


async def test_palette_offers_every_action_by_name(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for expected in [
            "New conversation",
            "Switch agent",
            "History",
            "Copy last code block",
            "Export conversation",
            "Retry",
            "Cancel",
            "Toggle auto-continue",
            "Theme",
            "Log in",
            "Log out",
            "Help",
            "Settings",
        ]:
            assert expected in titles
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"toggle auto")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette))
        assert app.settings.auto_continue == 0
        assert app.screen.query_one(StatusLine).auto_continue == 0


async def test_help_lists_every_binding(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        table = app.screen.keys_table()
        rendered = "\n".join(
            "".join(segment.text for segment in line)
            for line in app.console.render_lines(table, app.console.options.update_width(110))
        )
        for text in [
            "Send",
            "New chat",
            "Agent",
            "History",
            "Cancel turn",
            "Copy code",
            "Next block",
            "Expand/collapse",
            "Save…",
            "To prompt",
            "Help",
            "Quit",
            "chat.history",
            "blocks.copy",
        ]:
            assert text in rendered, text
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_settings_are_saved_and_applied(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_settings()
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        screen = app.screen
        screen.query_one("#auto-continue").value = "5"
        screen.query_one("#theme").value = "nord"
        screen.query_one("#keys").load_text("chat.history = ctrl+g")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, SettingsScreen))
        assert app.theme == "nord"
        assert app.settings.auto_continue == 5
        saved = Settings.load()
        assert (saved.auto_continue, saved.theme, saved.keys) == (
            5,
            "nord",
            {"chat.history": "ctrl+g"},
        )
        config = config_dir() / "config.toml"
        assert stat.S_IMODE(config.stat().st_mode) == 0o600
        calls: list[str] = []
        app.chat.action_history = lambda: calls.append("history")
        app.screen.query_one(PromptArea).focus()
        await pilot.press("ctrl+r")
        assert calls == [], "the old key no longer opens the history"
        await pilot.press("ctrl+g")
        assert calls == ["history"], "the override reaches the binding"


async def test_settings_refuse_bad_values(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_settings()
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        screen = app.screen
        screen.query_one("#server").value = "ftp://nope"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert "http" in str(screen.query_one("#settings-message").render())
        screen.query_one("#server").value = ""
        screen.query_one("#keys").load_text("no.such.binding = x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "no binding 'no.such.binding'" in str(screen.query_one("#settings-message").render())
        assert not (config_dir() / "config.toml").exists()


async def test_theme_choice_persists(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "gruvbox"
        await wait_until(pilot, lambda: Settings.load().theme == "gruvbox")
    again = RobotuiApp(base_url=BASE)
    async with again.run_test(size=(120, 40)):
        assert again.theme == "gruvbox"


async def test_login_and_logout_from_the_app(server, memory_keyring) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_login()
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press(*"pasted-token")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, LoginScreen))
        assert memory_keyring.passwords == {("robotui", BASE): "pasted-token"}
        assert server.routes[1].calls[-1].request.headers["Authorization"] == (
            "Bearer pasted-token"
        )
        app.action_logout()
        await wait_until(pilot, lambda: memory_keyring.passwords == {})


async def test_login_with_a_rejected_token_says_why(server, memory_keyring) -> None:
    server.get("/create-session").respond(401, json={"detail": "bad token"})
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_login()
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press(*"wrong", "enter")
        await wait_until(
            pilot, lambda: "rejected" in str(app.screen.query_one("#message").render())
        )
        assert isinstance(app.screen, LoginScreen)
        assert memory_keyring.passwords == {}


async def test_history_screen_opens_a_conversation(server) -> None:
    from robotui.tui.screens.history import HistoryScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = await answered(pilot)
        first_text = view_text(view)
        await pilot.press("ctrl+n")
        assert view.blocks == []
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_until(pilot, lambda: app.screen.query_one("DataTable").row_count == 1)
        app.screen.query_one("DataTable").focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, HistoryScreen))
        await wait_until(pilot, lambda: len(view.blocks) > 0)
        assert view_text(view) == first_text
        assert app.screen.conversation is not None


async def test_export_the_current_conversation(
    server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from robotui.tui.screens.export import ExportScreen

    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await answered(pilot)
        app.chat.action_export()
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportScreen))
        (exported,) = tmp_path.glob("*.md")
        text = exported.read_text()
        assert "reverse a string" in text and "```go" in text


async def test_export_with_nothing_to_export_says_so(server) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.chat.action_export()
        await pilot.pause()
        assert any("Nothing to export" in n.message for n in app._notifications)

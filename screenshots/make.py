"""Regenerate the SVG screenshots of every screen, from the built-in emulator.

    .venv/bin/python screenshots/make.py        (or: just screenshots)

Each screenshot is the app as a person sees it after a few real turns against
the emulator (speed 0, fixed seed), in a 120×40 terminal, in its own XDG dirs.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (120, 40)

PROMPTS = [
    ("GeneralCodingAgent", "Write a function in Go that reverses a string"),
    ("RepoAgent", "Fix the failing test in my repository"),
    ("FrontEndAgent", "Build a landing page with a pricing table"),
]


def isolate() -> tempfile.TemporaryDirectory:
    folder = tempfile.TemporaryDirectory(prefix="robotui-screenshots-")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = Path(folder.name) / name.lower()
        path.mkdir()
        os.environ[name] = str(path)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    os.environ["ROBOTUI_NO_OS_CLIPBOARD"] = "1"
    return folder


async def settle(pilot, predicate: Callable[[], object], timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("the app did not reach the state for a screenshot")
        await pilot.pause(0.05)
    await pilot.pause()


async def ask(pilot, agent: str, prompt: str) -> None:
    from robotui.tui.widgets.conversation import ConversationView
    from robotui.tui.widgets.prompt import PromptArea

    app = pilot.app
    chat = app.chat
    if chat.agent != agent:
        chat.set_agent(agent)
    view = chat.query_one(ConversationView)
    before = len(view.blocks)
    chat.query_one(PromptArea).load_text(prompt)
    chat.query_one(PromptArea).focus()
    await pilot.press("enter")
    await settle(pilot, lambda: not chat.turn_running and len(view.blocks) > before + 2)


async def shoot(app, name: str) -> None:
    app.save_screenshot(f"{name}.svg", path=str(HERE))
    print(f"screenshots/{name}.svg")


async def session(base_url: str, steps: Callable[[object], Awaitable[None]]) -> None:
    from robotui.config import Settings
    from robotui.tui.app import RobotuiApp

    app = RobotuiApp(base_url=base_url, settings=Settings())
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_for_store()
        await pilot.pause()
        await steps(pilot)


async def make(base_url: str) -> None:
    from robotui.tui.screens.history import HistoryScreen
    from robotui.tui.widgets.conversation import ConversationView

    async def welcome(pilot) -> None:
        await settle(pilot, lambda: pilot.app.chat.query_one("#recent").option_count)
        await shoot(pilot.app, "chat-welcome")

    async def chats(pilot) -> None:
        app = pilot.app
        for agent, prompt in PROMPTS:
            await pilot.press("ctrl+n")
            await ask(pilot, agent, prompt)
        await shoot(app, "chat-frontend")
        view = app.chat.query_one(ConversationView)
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await settle(pilot, lambda: app.screen.query_one("DataTable").row_count >= 3)
        await shoot(app, "history")
        await pilot.press(*"test")
        await pilot.pause(0.4)
        await shoot(app, "history-search")
        app.screen.query_one("DataTable").focus()
        await pilot.press("e")
        await pilot.pause(0.2)
        await shoot(app, "export")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, HistoryScreen))
        app.chat.open_conversation(1)
        await settle(pilot, lambda: app.chat.conversation and app.chat.conversation.id == 1)
        view.focus()
        view.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        await pilot.press("]", "]")
        await shoot(app, "chat-go")
        await pilot.press("ctrl+t")
        await pilot.pause(0.2)
        await shoot(app, "agent-picker")
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause(0.2)
        await shoot(app, "help")
        await pilot.press("escape")
        app.action_settings()
        await pilot.pause(0.2)
        await shoot(app, "settings")

    await session(base_url, welcome)
    await session(base_url, chats)


def main() -> int:
    from robotui.emulator import EmulatorConfig, start_in_thread

    with isolate(), start_in_thread(EmulatorConfig(speed=0, seed=7)) as emulator:
        asyncio.run(make(emulator.base_url))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main())

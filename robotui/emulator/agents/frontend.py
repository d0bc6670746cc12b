"""FrontEndAgent's web work: build the page, serve it, and (when it may) have
BrowsingAgent look at it in a real browser."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING

from robotui.emulator import steps
from robotui.emulator.agents.common import fenced
from robotui.emulator.agents.pages import Page, page_for
from robotui.emulator.diffs import unified_diff
from robotui.emulator.intent import Intent
from robotui.emulator.steps import Plan, Step

if TYPE_CHECKING:
    from robotui.emulator.conversation import Conversation

__all__ = ["page_plan", "restyle_plan"]

DEV_URL = "http://localhost:5173/"

_VITE_SCAFFOLD = (
    "\n> npx\n> create-vite app --template react\n\n"
    "Scaffolding project in /workspace/app...\n\nDone. Now run:\n\n"
    "  cd app\n  npm install\n  npm run dev\n"
)
_NPM_INSTALL = (
    "\nadded 266 packages, and audited 267 packages in 9s\n\n"
    "103 packages are looking for funding\n  run `npm fund` for details\n\n"
    "found 0 vulnerabilities"
)
_VITE_BUILD = (
    "\n> app@0.0.0 build\n> vite build\n\n"
    "vite v5.4.11 building for production...\n"
    "✓ 32 modules transformed.\n"
    "dist/index.html                   0.46 kB │ gzip:  0.30 kB\n"
    "dist/assets/index-DiwrgTda.css    1.52 kB │ gzip:  0.74 kB\n"
    "dist/assets/index-C1EykCdm.js   143.61 kB │ gzip: 46.18 kB\n"
    "✓ built in 1.04s"
)


def _browsing_steps(page: Page) -> list[Step]:
    return [
        steps.browse(
            DEV_URL,
            page.shown,
            title=page.title,
            thought="Open the page and look at the first render.",
        ),
        steps.browse_interactive(
            page.actions,
            DEV_URL,
            page.after,
            title=page.title,
            thought="Exercise the main interaction.",
        ),
    ]


def page_plan(
    intent: Intent, conversation: Conversation, rng: random.Random, *, delegate: bool
) -> Plan:
    """Build the page the prompt asks for; verify it through BrowsingAgent or curl."""
    react = intent.wants_react
    page = page_for(intent.text, react=react)
    root = "/workspace/app" if react else "/workspace/site"
    work: list[Step] = [
        steps.think(
            f"A {page.kind} page, “{page.title}”: semantic HTML, responsive CSS with custom "
            f"properties{', as a React component' if react else ', a little vanilla JS'}. "
            + (
                "Then I'll serve it and ask BrowsingAgent to check it in a browser."
                if delegate
                else "Then I'll serve it and check it responds."
            )
        ),
    ]
    if react:
        work += [
            steps.run(
                "cd /workspace && npm create vite@latest app -- --template react",
                _VITE_SCAFFOLD,
                seconds=1.5,
            ),
            steps.run("cd /workspace/app && npm install", _NPM_INSTALL, seconds=2.0),
        ]
    for relative, content in page.files.items():
        path = f"{root}/{relative}"
        conversation.files[path] = content
        work.append(steps.write(path, content))
    if react:
        work += [
            steps.run("cd /workspace/app && npm run build", _VITE_BUILD, seconds=1.2),
            steps.run_timeout(
                "cd /workspace/app && npm run dev -- --port 5173", thought="Start the dev server."
            ),
            steps.run(
                "cd /workspace/app && (npm run dev -- --port 5173 > /tmp/vite.log 2>&1 &) "
                "&& sleep 2 && tail -3 /tmp/vite.log",
                "  VITE v5.4.11  ready in 312 ms\n\n  ➜  Local:   http://localhost:5173/",
                thought="The dev server never exits; run it in the background instead.",
            ),
        ]
    else:
        names = " ".join(page.files)
        work += [
            steps.run(
                f"cd {root} && npx --yes prettier --check {names}",
                "Checking formatting...\nAll matched files use Prettier code style!",
            ),
            steps.run(
                f"cd {root} && (python3 -m http.server 5173 > /tmp/http.log 2>&1 &) && sleep 1 "
                "&& curl -s localhost:5173 | head -4",
                "\n".join(page.files["index.html"].splitlines()[:4]),
            ),
        ]
    if delegate:
        work.append(
            steps.delegate(
                "BrowsingAgent",
                f"Open {DEV_URL} and check that the {page.kind} page “{page.title}” renders and "
                "that its main interaction works. Report anything broken.",
                _browsing_steps(page),
                {"content": page.verdict},
                thought="A real browser is the only honest check of a page.",
            )
        )
    main_file = "src/App.jsx" if react else "index.html"
    fence = "jsx" if react else "html"
    rows = "\n".join(
        f"| `{root.removeprefix('/workspace/')}/{name}` | {_role(name)} |" for name in page.files
    )
    checked = (
        f"**BrowsingAgent's check:** {page.verdict}"
        if delegate
        else f"Served at {DEV_URL} and answering ✓"
    )
    message = (
        f"## {page.title}\n\n| File | Role |\n|---|---|\n{rows}\n\n"
        f"{fenced(page.files[main_file], fence)}\n\n"
        "- Colours and spacing are CSS custom properties in `:root`, easy to re-theme.\n"
        "- Inputs have labels and visible focus rings; it works with the keyboard alone.\n\n"
        f"{checked}"
    )
    return Plan(
        work=work,
        closing=[steps.say(message), steps.finish(f"Built and checked the {page.kind} page.")],
        ending="finished",
        memory={
            "language": None,
            "path": f"{root}/{main_file}",
            "page": page.kind,
            "page_title": page.title,
            "page_text": page.shown,
            "stylesheet": f"{root}/{'src/App.css' if react else 'styles.css'}",
            "summary": f"built the {page.kind} page “{page.title}”",
        },
    )


_COLOURS = {
    "red": "#d1242f",
    "green": "#1a7f37",
    "blue": "#1f6feb",
    "purple": "#8250df",
    "orange": "#e16f24",
    "pink": "#bf3989",
    "teal": "#0f766e",
    "yellow": "#bf8700",
    "black": "#1d2330",
    "brown": "#8a5a44",
}

_DARK_MODE = """
@media (prefers-color-scheme: dark) {
  :root {
    --ink: #e6edf3;
    --muted: #9da7b3;
    --surface: #161b22;
  }

  body { background: #0d1117; }
}
"""


def restyle_plan(intent: Intent, conversation: Conversation, rng: random.Random) -> Plan | None:
    """A follow-up on the page built earlier: a new accent colour or a dark mode.

    None when the prompt asks for neither (or no page was built in this session).
    """
    stylesheet = conversation.recall("stylesheet")
    if stylesheet is None or stylesheet not in conversation.files:
        return None
    lowered = intent.text.lower()
    old = conversation.files[stylesheet]
    colour = next((name for name in _COLOURS if re.search(rf"\b{name}\b", lowered)), None)
    if colour is not None:
        new = re.sub(r"--accent: #[0-9a-f]{6};", f"--accent: {_COLOURS[colour]};", old, count=1)
        change = f"the accent colour is now {colour} (`{_COLOURS[colour]}`)"
    elif re.search(r"dark", lowered):
        if "prefers-color-scheme: dark" in old:
            return None
        new = old + _DARK_MODE
        change = "a dark theme follows the system setting (`prefers-color-scheme: dark`)"
    else:
        return None
    conversation.files[stylesheet] = new
    title = conversation.recall("page_title") or "the page"
    look = (
        "Buttons, links and focus rings use the new colour ✓"
        if colour
        else "With the system in dark mode the page switches to a dark surface ✓"
    )
    work = [
        steps.read(stylesheet, old, thought="Everything themable lives in `:root`."),
        steps.edit(stylesheet, old, new),
        steps.delegate(
            "BrowsingAgent",
            f"Reload {DEV_URL} and check the restyled page “{title}”.",
            [
                steps.browse(
                    DEV_URL, conversation.recall("page_text") or title, title=title + lowered
                )
            ],
            {"content": look},
        ),
    ]
    message = (
        f"Done: {change}. Only `{stylesheet.rsplit('/', 1)[-1]}` changed:\n\n"
        f"{fenced(unified_diff(stylesheet, old, new), 'diff')}"
    )
    return Plan(
        work=work,
        closing=[steps.say(message), steps.finish("Restyled the page.")],
        ending="finished",
        memory={"summary": f"restyled “{title}”: {change}"},
    )


def _role(name: str) -> str:
    return {
        "index.html": "structure and content",
        "styles.css": "layout, colours, responsive grid",
        "app.js": "behaviour",
        "src/App.jsx": "the component",
        "src/App.css": "its styles",
    }[name]

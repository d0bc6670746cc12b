"""A realistic, deterministic agent turn for the rendering benchmarks.

`make_turn(2000)` is about 1 MB of OpenHands events of mixed kinds: messages
with markdown and fenced code, commands with output (some long, some failing),
file reads, writes, edits with unified diffs, IPython cells and state changes.
"""

from __future__ import annotations

import difflib
import json
import random

WORDS = [
    "the",
    "agent",
    "reads",
    "config",
    "files",
    "parses",
    "tokens",
    "runs",
    "tests",
    "refactors",
    "module",
    "handler",
    "client",
    "server",
    "request",
    "response",
    "cache",
    "session",
    "error",
    "retry",
    "timeout",
    "stream",
    "buffer",
    "index",
    "query",
    "schema",
    "migration",
    "widget",
    "render",
    "layout",
    "commit",
    "branch",
    "release",
    "build",
]

PYTHON = '''def {name}(items, *, limit=None):
    """{doc}"""
    seen = set()
    result = []
    for item in items:
        key = item.strip().lower()
        if key in seen:
            continue
        seen.add(key)
        result.append(key)
        if limit is not None and len(result) >= limit:
            break
    return result
'''

GO = """func {name}(s string) string {{
	runes := []rune(s)
	for i, j := 0, len(runes)-1; i < j; i, j = i+1, j-1 {{
		runes[i], runes[j] = runes[j], runes[i]
	}}
	return string(runes)
}}
"""


class _Ids:
    def __init__(self) -> None:
        self.next = 0

    def take(self) -> int:
        self.next += 1
        return self.next


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(6, 14)) for _ in range(rng.randint(2, 5)))


def _base(ids: _Ids, source: str = "agent", message: str = "") -> dict:
    return {
        "id": ids.take(),
        "timestamp": "2024-12-10T14:03:10.134566",
        "source": source,
        "message": message,
    }


def _message(rng: random.Random, ids: _Ids) -> dict:
    name = rng.choice(WORDS) + "_" + rng.choice(WORDS)
    parts = [f"## {_sentence(rng, 4)[:-1]}", _paragraph(rng)]
    if rng.random() < 0.7:
        parts.append("```python\n" + PYTHON.format(name=name, doc=_sentence(rng, 8)) + "```")
    if rng.random() < 0.4:
        parts.append("```go\n" + GO.format(name=name.title().replace("_", "")) + "```")
    parts.append("- " + _sentence(rng, 7) + "\n- `" + name + "` " + _sentence(rng, 5))
    event = _base(ids)
    event.update(
        action="message",
        args={"content": "\n\n".join(parts), "image_urls": None, "wait_for_response": False},
    )
    return event


def _command(rng: random.Random, ids: _Ids) -> list[dict]:
    command = rng.choice(["python -m pytest -q", "ls -la src", "git status", "make build"])
    run = _base(ids, message=f"Running command: {command}")
    run.update(
        action="run",
        args={
            "command": command,
            "thought": _sentence(rng, 6),
            "blocking": False,
            "hidden": False,
            "confirmation_state": "confirmed",
        },
    )
    lines = rng.choice([3, 8, 20, 60])
    output = "\n".join(
        f"{rng.choice(WORDS)}/{rng.choice(WORDS)}.py ... {_sentence(rng, 5)}" for _ in range(lines)
    )
    code = 1 if rng.random() < 0.15 else 0
    result = _base(ids, message=f"Command `{command}` executed with exit code {code}.")
    result.update(
        cause=run["id"],
        observation="run",
        content=f"{command}\r\n{output}",
        extras={"command_id": -1, "command": command, "exit_code": code},
    )
    return [run, result]


def _read(rng: random.Random, ids: _Ids) -> list[dict]:
    path = f"/workspace/src/{rng.choice(WORDS)}.py"
    action = _base(ids, message=f"Reading file: {path}")
    action.update(action="read", args={"path": path, "start": 0, "end": -1, "thought": ""})
    content = "\n".join(
        PYTHON.format(name=rng.choice(WORDS), doc=_sentence(rng, 6))
        for _ in range(rng.randint(2, 6))
    )
    result = _base(ids, message=f"I read the file {path}.")
    result.update(cause=action["id"], observation="read", content=content, extras={"path": path})
    return [action, result]


def _edit(rng: random.Random, ids: _Ids) -> list[dict]:
    path = f"/workspace/src/{rng.choice(WORDS)}.py"
    old = PYTHON.format(name="handler", doc=_sentence(rng, 6))
    new = old.replace("seen = set()", "seen: set[str] = set()").replace("break", "return result")
    action = _base(ids)
    action.update(
        action="edit",
        args={"path": path, "content": new, "start": 1, "end": -1, "thought": _sentence(rng, 5)},
    )
    diff = "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), path, path))
    result = _base(ids, message=f"I edited the file {path}.")
    result.update(
        cause=action["id"],
        observation="edit",
        content=diff,
        extras={"path": path, "prev_exist": True, "old_content": old, "new_content": new},
    )
    return [action, result]


def _write(rng: random.Random, ids: _Ids) -> list[dict]:
    path = f"/workspace/{rng.choice(WORDS)}.go"
    content = "package main\n\n" + GO.format(name="Reverse")
    action = _base(ids, message=f"Writing file: {path}")
    action.update(action="write", args={"path": path, "content": content, "thought": ""})
    result = _base(ids, message=f"I wrote to the file {path}.")
    result.update(cause=action["id"], observation="write", content="", extras={"path": path})
    return [action, result]


def _ipython(rng: random.Random, ids: _Ids) -> list[dict]:
    code = f"import json\nprint(json.dumps({{'{rng.choice(WORDS)}': {rng.randint(1, 99)}}}))"
    action = _base(ids, message="Running Python code interactively")
    action.update(action="run_ipython", args={"code": code, "thought": ""})
    result = _base(ids, message="Code executed in IPython cell.")
    result.update(
        cause=action["id"],
        observation="run_ipython",
        content=f'{{"{rng.choice(WORDS)}": 1}}',
        extras={"code": code},
    )
    return [action, result]


def _state(ids: _Ids, state: str) -> dict:
    event = _base(ids, source="environment")
    event.update(observation="agent_state_changed", content="", extras={"agent_state": state})
    return event


def make_turn(count: int, seed: int = 7) -> list[dict]:
    """`count` events, ~500 bytes each on average, always ending with a finish."""
    rng = random.Random(seed)
    ids = _Ids()
    events: list[dict] = [_state(ids, "loading"), _state(ids, "running")]
    makers = [_command, _read, _edit, _write, _ipython]
    while len(events) < count - 2:
        roll = rng.random()
        if roll < 0.32:
            events.append(_message(rng, ids))
        elif roll < 0.36:
            events.append(_state(ids, rng.choice(["running", "awaiting_user_input"])))
        else:
            events.extend(rng.choice(makers)(rng, ids))
    events = events[: count - 2]
    finish = _base(ids, message="All done!")
    finish.update(
        action="finish", args={"outputs": {"content": "done"}, "thought": _sentence(rng, 6)}
    )
    events += [finish, _state(ids, "finished")]
    return events


def ndjson(events: list[dict]) -> bytes:
    return b"".join(json.dumps(event).encode() + b"\n" for event in events)


def markdown_text(events: list[dict]) -> str:
    """The same turn as one markdown document (the MarkdownStream baseline's input)."""
    from robotui.client.events import parse_event
    from robotui.store.markdown import render_event

    pieces = []
    for raw in events:
        text = render_event(parse_event(raw))
        if text:
            pieces.append(text)
    return "\n\n".join(pieces)


if __name__ == "__main__":
    turn = make_turn(2000)
    print(
        len(turn),
        "events,",
        len(ndjson(turn)) // 1024,
        "KiB NDJSON,",
        len(markdown_text(turn).encode()) // 1024,
        "KiB markdown",
    )

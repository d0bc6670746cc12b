"""A small project: a plan, several files, tests, a run — several requests' worth of work."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING

from robotui.emulator import steps
from robotui.emulator.agents.common import fenced
from robotui.emulator.agents.followups import test_steps
from robotui.emulator.code import Language, Topic
from robotui.emulator.code.base import pytest_rule
from robotui.emulator.intent import Intent
from robotui.emulator.steps import Plan, Step

if TYPE_CHECKING:
    from robotui.emulator.conversation import Conversation

__all__ = ["project_plan"]
_TODO_STORE = '''"""A tiny JSON-backed to-do list."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Task:
    id: int
    title: str
    done: bool = False


class Store:
    """Tasks kept in one JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[Task]:
        if not self.path.exists():
            return []
        return [Task(**item) for item in json.loads(self.path.read_text("utf-8"))]

    def save(self, tasks: list[Task]) -> None:
        data = [asdict(task) for task in tasks]
        self.path.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")

    def add(self, title: str) -> Task:
        tasks = self.load()
        task = Task(id=max((t.id for t in tasks), default=0) + 1, title=title)
        self.save([*tasks, task])
        return task

    def complete(self, task_id: int) -> Task:
        tasks = self.load()
        for task in tasks:
            if task.id == task_id:
                task.done = True
                self.save(tasks)
                return task
        raise KeyError(f"no task {task_id}")
'''

_TODO_CLI = '''"""Command line: `python -m todo add TITLE | done ID | list`."""

from __future__ import annotations

import argparse
from pathlib import Path

from todo.store import Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="todo")
    parser.add_argument("--file", type=Path, default=Path("todo.json"))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("add").add_argument("title")
    commands.add_parser("done").add_argument("id", type=int)
    commands.add_parser("list")
    args = parser.parse_args(argv)
    store = Store(args.file)
    if args.command == "add":
        task = store.add(args.title)
        print(f"added #{task.id}: {task.title}")
    elif args.command == "done":
        task = store.complete(args.id)
        print(f"done #{task.id}: {task.title} ✓")
    else:
        for task in store.load():
            print(f"[{'x' if task.done else ' '}] #{task.id} {task.title}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
'''

_TODO_TESTS = """from pathlib import Path

import pytest

from todo.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "todo.json")


def test_empty_store_has_no_tasks(store):
    assert store.load() == []


def test_add_numbers_tasks(store):
    assert store.add("Buy milk").id == 1
    assert store.add("Write tests").id == 2


def test_complete_marks_done(store):
    task = store.add("Ship it")
    assert store.complete(task.id).done is True
    assert store.load()[0].done is True


def test_complete_unknown_task(store):
    with pytest.raises(KeyError):
        store.complete(42)
"""

_TODO_README = """# todo

A tiny to-do list for the terminal, stored in `todo.json`.

```bash
python -m todo add "Buy milk"
python -m todo done 1
python -m todo list
```

Run the tests with `python -m pytest`.
"""


def project_plan(
    intent: Intent,
    conversation: Conversation,
    rng: random.Random,
    language: Language,
    topic: Topic | None,
) -> Plan:
    """A small project with a plan, several files, tests and a run: several requests' work."""
    if language.key != "python":
        return _scaffold_plan(intent, conversation, rng, language, topic)
    files = {
        "/workspace/todo/__init__.py": "",
        "/workspace/todo/store.py": _TODO_STORE,
        "/workspace/todo/cli.py": _TODO_CLI,
        "/workspace/todo/__main__.py": "from todo.cli import main\n\nraise SystemExit(main())\n",
        "/workspace/tests/test_store.py": _TODO_TESTS,
        "/workspace/README.md": _TODO_README,
    }
    conversation.files.update(files)
    pytest_output = (
        f"{pytest_rule('test session starts')}\n"
        "platform linux -- Python 3.12.7, pytest-8.3.4, pluggy-1.5.0\n"
        "rootdir: /workspace\ncollected 4 items\n\n"
        f"tests/test_store.py ....{'[100%]':>{80 - len('tests/test_store.py ....')}}\n\n"
        f"{pytest_rule('4 passed in 0.03s')}"
    )
    work: list[Step] = [
        steps.task("Design the storage and the command line"),
        steps.task("Write the code and its tests"),
        steps.task("Run the tests and try the app"),
        steps.think(
            "A to-do app is the smallest useful project here: a JSON-backed store, an "
            "argparse CLI, and pytest tests for the store."
        ),
        steps.run(
            "mkdir -p /workspace/todo /workspace/tests && touch /workspace/todo/__init__.py "
            "&& cd /workspace && git init -q "
            "&& echo initialised",
            "initialised",
        ),
        *[
            steps.write(path, content)
            for path, content in files.items()
            if path.endswith(("store.py", "cli.py", "test_store.py", "__main__.py"))
        ],
        steps.task("", "0.0", "completed"),
        steps.run(
            "cd /workspace && pip install -q pytest && python -m pytest",
            pytest_output,
            seconds=1.5,
        ),
        steps.run(
            'cd /workspace && python -m todo add "Buy milk" && python -m todo add '
            '"Écrire la doc — v2" && python -m todo done 1 && python -m todo list',
            "added #1: Buy milk\nadded #2: Écrire la doc — v2\ndone #1: Buy milk ✓\n"
            "[x] #1 Buy milk\n[ ] #2 Écrire la doc — v2",
        ),
    ]
    if re.search(r"\bapi\b|\bserver\b|\bservice\b|\bweb\b|\bhttp\b", intent.text.lower()):
        work += [
            steps.run_timeout(
                "cd /workspace && python -m http.server 8000",
                thought="Serve the folder to check the README renders.",
            ),
            steps.run(
                "cd /workspace && (python -m http.server 8000 > server.log 2>&1 &) "
                "&& sleep 1 && curl -sI localhost:8000 | head -1",
                "HTTP/1.0 200 OK",
            ),
        ]
    work += [
        steps.write("/workspace/README.md", _TODO_README),
        steps.task("", "0.1", "completed"),
        steps.task("", "0.2", "completed"),
    ]
    table = "\n".join(
        f"| `{path.removeprefix('/workspace/')}` | {what} |"
        for path, what in (
            ("/workspace/todo/store.py", "`Task` and a JSON-file `Store`"),
            ("/workspace/todo/cli.py", "`add`, `done` and `list` commands"),
            ("/workspace/tests/test_store.py", "4 pytest tests"),
            ("/workspace/README.md", "usage"),
        )
    )
    message = (
        "## A to-do app, ready to use\n\n| File | What it holds |\n|---|---|\n"
        f"{table}\n\nAll 4 tests pass ✓. Try it:\n\n"
        f"{fenced(_TODO_README.split('```bash')[1].split('```')[0].strip(), 'bash')}\n\n"
        "Next steps could be due dates, or a `--json` output for scripting."
    )
    return Plan(
        work=work,
        closing=[steps.say(message), steps.finish("The to-do app works and its tests pass.")],
        ending="finished",
        memory={
            "language": "python",
            "path": "/workspace/todo/cli.py",
            "summary": "built a to-do app with tests",
            "pytest_installed": True,
        },
    )


def _scaffold_plan(
    intent: Intent,
    conversation: Conversation,
    rng: random.Random,
    language: Language,
    topic: Topic | None,
) -> Plan:
    """A project in another language: README, the program, tests, all run."""
    from robotui.emulator.agents.common import hello_plan, write_and_run

    if topic is None:
        plan = hello_plan(language, conversation, rng)
        plan.work = [
            steps.run("cd /workspace && git init -q && echo initialised", "initialised"),
            *plan.work,
        ]
        plan.closing.insert(
            0,
            steps.say(
                f"I set up a {language.name} project with a git repository and an entry point "
                "that builds and runs. What should it do first? Give me the first feature and "
                "I'll write it with tests."
            ),
        )
        return plan

    name = language.function_name(topic)
    readme = (
        f"# {topic.file_stem}\n\nA {language.name} function that {topic.summary}.\n\n"
        f"```bash\n{language.run_command(topic)}\n{language.test_command(topic)}\n```\n"
    )
    conversation.files["/workspace/README.md"] = readme
    work: list[Step] = [
        steps.task(f"Write `{name}` with a demo"),
        steps.task("Add tests and a README"),
        steps.run("cd /workspace && git init -q && echo initialised", "initialised"),
    ]
    written, output = write_and_run(language, topic, conversation)
    work += written
    tests, summary = test_steps(language, topic, conversation, rng, fresh=False)
    work += [
        *tests,
        steps.write("/workspace/README.md", readme),
        steps.task("", "0.0", "completed"),
        steps.task("", "0.1", "completed"),
    ]
    message = (
        f"## `{topic.file_stem}`: a small {language.name} project\n\n"
        f"- `{language.file_name(topic)}` — `{name}` and a demo\n"
        f"- `{language.test_file_name(topic)}` — the tests\n- `README.md` — how to run both\n\n"
        f"Demo output:\n\n{fenced(output, 'text')}\n\n{summary}"
    )
    return Plan(
        work=work,
        closing=[steps.say(message), steps.finish("Project scaffolded, tested and documented.")],
        ending="finished",
        memory={
            "language": language.key,
            "topic": topic.key,
            "path": language.path(topic),
            "function": name,
            "summary": f"a {language.name} project around `{name}`",
        },
    )

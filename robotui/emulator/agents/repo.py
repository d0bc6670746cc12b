"""RepoAgent: works inside a repository — `git status`, reads, diffs, the test suite."""

from __future__ import annotations

import difflib
import random
from typing import TYPE_CHECKING

from robotui.emulator import steps
from robotui.emulator.agents import textkit
from robotui.emulator.agents.common import code_plan, fenced, remember
from robotui.emulator.code import Language, Topic
from robotui.emulator.diffs import unified_diff
from robotui.emulator.intent import Intent
from robotui.emulator.steps import Plan, Step

if TYPE_CHECKING:
    from robotui.emulator.conversation import Conversation

__all__ = ["add_function_plan", "bugfix_plan", "diff_stat", "explain_repo_plan", "orientation"]

_GIT_LOG = (
    "9c41d7e (HEAD -> main, origin/main) Add max_length to slugify\n"
    "5be0a12 truncate: use an ellipsis placeholder\n"
    "e17f9a3 Add word_count\n"
    "0aa3c55 Test slugify on accented text\n"
    "41f2b90 Initial commit"
)


def diff_stat(changes: list[tuple[str, str, str]]) -> str:
    """`git diff --stat` for (path, old, new) triples, counted from the real diff."""
    width = max(len(path) for path, _, _ in changes)
    rows, inserted, deleted = [], 0, 0
    for path, old, new in changes:
        plus = minus = 0
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
            if line.startswith("+") and not line.startswith("+++"):
                plus += 1
            elif line.startswith("-") and not line.startswith("---"):
                minus += 1
        inserted, deleted = inserted + plus, deleted + minus
        rows.append(f" {path.ljust(width)} | {plus + minus:>2} {'+' * plus}{'-' * minus}")
    files = f"{len(changes)} file{'s' if len(changes) != 1 else ''} changed"
    counts = [files]
    if inserted:
        counts.append(f"{inserted} insertion{'s' if inserted != 1 else ''}(+)")
    if deleted:
        counts.append(f"{deleted} deletion{'s' if deleted != 1 else ''}(-)")
    return "\n".join(rows) + "\n " + ", ".join(counts)


def _ensure_repo(conversation: Conversation) -> None:
    for path, content in textkit.FILES.items():
        conversation.files.setdefault(path, content)


def orientation(conversation: Conversation) -> list[Step]:
    """The first look at the repository: status, history, layout (once per session)."""
    if conversation.recall("repo_seen"):
        return []
    _ensure_repo(conversation)
    return [
        steps.run(
            f"cd {textkit.REPO} && git status",
            "On branch main\nYour branch is up to date with 'origin/main'.\n\n"
            "nothing to commit, working tree clean",
            thought="Let me see where the repository stands first.",
        ),
        steps.run(f"cd {textkit.REPO} && git log --oneline -5", _GIT_LOG),
    ]


def bugfix_plan(conversation: Conversation, rng: random.Random, *, git: bool = True) -> Plan:
    """Run the suite, read the failure, fix it with a one-line diff, prove it."""
    _ensure_repo(conversation)
    work = orientation(conversation) if git else []
    old = conversation.files[textkit.SLUG_PATH]
    fixed = textkit.FIXED_SLUG if old == textkit.SLUG else old
    pytest = f"cd {textkit.REPO} && python -m pytest"
    if old == textkit.SLUG:
        work += [
            steps.run(
                pytest,
                textkit.failing_run(),
                1,
                seconds=1.2,
                thought="Running the test suite to see what fails.",
            ),
            steps.read(textkit.SLUG_PATH, old),
            steps.think(
                '`re.sub(r"[^a-z0-9]", ...)` replaces each non-alphanumeric character on '
                "its own, so a comma plus two spaces become three dashes. Matching runs with "
                "`+` gives one separator per gap."
            ),
            steps.edit(
                textkit.SLUG_PATH, old, fixed, thought="Collapse runs of separators into one."
            ),
        ]
        conversation.files[textkit.SLUG_PATH] = fixed
    work.append(steps.run(pytest, textkit.passing_run(), seconds=1.0))
    if git:
        work.append(
            steps.run(
                f"cd {textkit.REPO} && git diff --stat",
                diff_stat([("textkit/slug.py", textkit.SLUG, textkit.FIXED_SLUG)]),
            )
        )
    diff = unified_diff("textkit/slug.py", textkit.SLUG, textkit.FIXED_SLUG)
    message = (
        "## Fixed: `slugify` collapsed nothing\n\n"
        '**Cause.** `re.sub(r"[^a-z0-9]", separator, …)` replaced *each* non-alphanumeric '
        'character, so `"Hello,  World!"` became `hello---world`.\n\n'
        "**Fix.** Match runs of them (`[^a-z0-9]+`), one separator per gap:\n\n"
        f"{fenced(diff, 'diff')}\n\n"
        "| | Before | After |\n|---|---|---|\n"
        '| `slugify("Hello,  World!")` | `hello---world` | `hello-world` |\n'
        "| Test suite | 1 failed, 8 passed | 9 passed ✓ |"
    )
    return Plan(
        work=work,
        closing=[steps.say(message), steps.finish("Fixed slugify; all 9 tests pass.")],
        ending="finished",
        memory={
            "repo_seen": True,
            "path": textkit.SLUG_PATH,
            "language": "python",
            "summary": "fixed the `slugify` bug in textkit",
            "pytest_installed": True,
        },
    )


def add_function_plan(
    intent: Intent,
    conversation: Conversation,
    rng: random.Random,
    language: Language,
    topic: Topic,
) -> Plan:
    """Add the function where it belongs in the repository, with a test, via diffs."""
    if language.key != "python":
        plan = code_plan(intent, conversation, rng, language, topic, with_tests=intent.wants_tests)
        plan.work = [*orientation(conversation), *plan.work]
        plan.memory["repo_seen"] = True
        return plan
    _ensure_repo(conversation)
    work = orientation(conversation)
    name = language.function_name(topic)
    strings_path = f"{textkit.REPO}/textkit/strings.py"
    tests_path = f"{textkit.REPO}/tests/test_strings.py"
    init_path = f"{textkit.REPO}/textkit/__init__.py"
    old_strings = conversation.files[strings_path]
    new_strings = (
        old_strings.replace(
            '__all__ = ["truncate", "word_count"]',
            f'__all__ = ["{name}", "truncate", "word_count"]',
        )
        + "\n\n"
        + language.function_source(topic)
    )
    old_init = conversation.files[init_path]
    new_init = old_init.replace(
        "from textkit.strings import truncate, word_count",
        f"from textkit.strings import {name}, truncate, word_count",
    ).replace('__all__ = ["slugify",', f'__all__ = ["{name}", "slugify",')
    old_tests = conversation.files[tests_path]
    cases = ",\n".join(
        f"        ({language.literal(given, topic.param)}, "
        f"{language.literal(expected, topic.returns)})"
        for given, expected in topic.test_cases(True)
    )
    new_tests = old_tests.replace(
        "from textkit import truncate, word_count",
        f"from textkit import {name}, truncate, word_count",
    ) + (
        f'\n\n@pytest.mark.parametrize(\n    ("given", "expected"),\n    [\n{cases},\n    ],\n)\n'
        f"def test_{name}(given, expected):\n    assert {name}(given) == expected\n"
    )
    conversation.files.update(
        {strings_path: new_strings, init_path: new_init, tests_path: new_tests}
    )
    added = len(topic.test_cases(True))
    work += [
        steps.read(strings_path, old_strings, thought="String helpers live in `strings.py`."),
        steps.edit(strings_path, old_strings, new_strings),
        steps.edit(init_path, old_init, new_init, thought="Export it from the package."),
        steps.edit(tests_path, old_tests, new_tests),
        steps.run(
            f"cd {textkit.REPO} && python -m pytest", textkit.passing_run(added), seconds=1.0
        ),
        steps.run(
            f"cd {textkit.REPO} && git diff --stat",
            diff_stat(
                [
                    ("textkit/__init__.py", old_init, new_init),
                    ("textkit/strings.py", old_strings, new_strings),
                    ("tests/test_strings.py", old_tests, new_tests),
                ]
            ),
        ),
    ]
    message = (
        f"## Added `textkit.{name}`\n\n"
        f"- `textkit/strings.py` — the function, exported in `__all__`\n"
        f"- `textkit/__init__.py` — re-exported at package level\n"
        f"- `tests/test_strings.py` — {added} parametrized cases\n\n"
        f"{fenced(language.function_source(topic), 'python')}\n\n"
        f"The whole suite passes: **{9 + added} passed** ✓. {topic.approach}"
    )
    return Plan(
        work=work,
        closing=[steps.say(message), steps.finish(f"Added {name} to textkit with tests.")],
        ending="finished",
        memory={
            **remember(language, topic, strings_path),
            "repo_seen": True,
            "summary": f"added `{name}` to textkit",
            "pytest_installed": True,
        },
    )


def explain_repo_plan(conversation: Conversation) -> Plan:
    """A tour of the repository: layout, what each file does, how to run the tests."""
    _ensure_repo(conversation)
    work = orientation(conversation)
    work += [
        steps.run(
            f"cd {textkit.REPO} && git ls-files",
            "\n".join(sorted(path.removeprefix(textkit.REPO + "/") for path in textkit.FILES)),
        ),
        steps.read(f"{textkit.REPO}/README.md", textkit.FILES[f"{textkit.REPO}/README.md"]),
        steps.read(textkit.SLUG_PATH, conversation.files[textkit.SLUG_PATH]),
    ]
    message = (
        "## How `textkit` is organised\n\n"
        "| Path | Role |\n|---|---|\n"
        "| `textkit/__init__.py` | the public API: `slugify`, `truncate`, `word_count` |\n"
        "| `textkit/slug.py` | URL slugs: accents stripped via `unicodedata`, words joined |\n"
        "| `textkit/strings.py` | small helpers: `truncate`, `word_count` |\n"
        "| `tests/` | pytest suites, one per module |\n"
        "| `pyproject.toml` | metadata and pytest settings (`testpaths`) |\n\n"
        "The flow of `slugify(text)`:\n\n"
        "1. `_strip_accents` lowercases and NFKD-normalises, keeping ASCII only;\n"
        "2. everything that is not `[a-z0-9]` becomes the separator;\n"
        "3. `_cut` shortens to `max_length` at a word boundary.\n\n"
        "Run the suite with `python -m pytest`."
    )
    return Plan(
        work=work,
        closing=[steps.say(message)],
        memory={"repo_seen": True, "summary": "explained the textkit repository"},
    )

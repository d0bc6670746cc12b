"""Prompts that build on an earlier turn: tests for it, port it, explain it, refactor it."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from robotui.emulator import steps
from robotui.emulator.agents.common import fenced, remember, write_and_run
from robotui.emulator.code import Language, Topic
from robotui.emulator.steps import Plan, Step

if TYPE_CHECKING:
    from robotui.emulator.conversation import Conversation

__all__ = ["explain_plan", "port_plan", "refactor_plan", "test_steps", "tests_plan"]


def _ensure_program(
    language: Language, topic: Topic, conversation: Conversation
) -> tuple[list[Step], str]:
    """Read the program if an earlier turn wrote it; otherwise write and run it now."""
    path = language.path(topic)
    source = conversation.files.get(path)
    if source is not None:
        return [steps.read(path, source, thought=f"Let me look at `{path}` again first.")], source
    written, _ = write_and_run(language, topic, conversation)
    return written, conversation.files[path]


def test_steps(
    language: Language,
    topic: Topic,
    conversation: Conversation,
    rng: random.Random,
    *,
    fresh: bool = True,
) -> tuple[list[Step], str]:
    """Tests for the topic's function: the steps, and a markdown paragraph about them."""
    path = language.path(topic)
    work: list[Step] = []
    if fresh:
        found, source = _ensure_program(language, topic, conversation)
        work += found
    else:
        source = conversation.files[path]
    prepared = language.prepare_for_tests(topic, source)
    if prepared != source:
        why = (
            "Rust keeps unit tests next to the code, in a `#[cfg(test)]` module."
            if language.key == "rust"
            else "The test file includes this one, so `main` must step aside when testing."
        )
        work.append(steps.edit(path, source, prepared, thought=why))
        conversation.files[path] = prepared
    for command, output in language.test_setup(topic):
        work.append(steps.run(f"cd /workspace && {command}", output))
    test_name = language.test_file_name(topic)
    test_path = f"/workspace/{test_name}"
    if test_path != path:
        test_source = language.test_source(topic)
        work.append(steps.write(test_path, test_source))
        conversation.files[test_path] = test_source
    else:
        test_source = conversation.files[path]
    command = f"cd /workspace && {language.test_command(topic)}"
    if language.key == "python" and not conversation.recall("pytest_installed"):
        # A fresh sandbox has no pytest: a realistic first failure, then the fix.
        work.append(steps.run(command, "/usr/bin/python3: No module named pytest", 1, seconds=0.4))
        work.append(
            steps.run(
                "pip install -q pytest",
                "[notice] A new release of pip is available: 24.2 -> 24.3.1\n"
                "[notice] To update, run: pip install --upgrade pip",
                seconds=1.2,
            )
        )
    work.append(steps.run(command, language.test_output(topic), seconds=1.0))
    cases = topic.test_cases(language.unicode)
    rows = "\n".join(
        f"| `{language.literal(given, topic.param)}` "
        f"| `{language.literal(expected, topic.returns)}` |"
        for given, expected in cases
    )
    shown = test_source if test_path != path else test_source[test_source.find("#[cfg(test)]") :]
    summary = (
        f"### Tests\n\n`{test_name}` checks {len(cases)} cases, all passing ✓\n\n"
        f"| Input | Expected |\n|---|---|\n{rows}\n\n"
        f"{fenced(shown, language.fence)}\n\nRun them with `{language.test_command(topic)}`."
    )
    return work, summary


def tests_plan(
    language: Language, topic: Topic, conversation: Conversation, rng: random.Random
) -> Plan:
    """Tests for the function of an earlier turn (written now if it was not)."""
    work, summary = test_steps(language, topic, conversation, rng)
    name = language.function_name(topic)
    memory = remember(
        language,
        topic,
        language.path(topic),
        summary=f"added tests for `{name}`",
        pytest_installed=True if language.key == "python" else None,
    )
    return Plan(
        work=work,
        closing=[
            steps.say(f"## Tests for `{name}`\n\n" + summary.split("\n", 2)[2]),
            steps.finish(f"Added tests for {name}; they pass."),
        ],
        ending="finished",
        memory=memory,
    )


def port_plan(
    source_language: Language,
    target: Language,
    topic: Topic,
    conversation: Conversation,
    rng: random.Random,
) -> Plan:
    """Rewrite the earlier program in another language, run it, compare."""
    old_path = source_language.path(topic)
    work: list[Step] = []
    if old_path in conversation.files:
        work.append(steps.read(old_path, conversation.files[old_path]))
    old_name, new_name = source_language.function_name(topic), target.function_name(topic)
    work.append(
        steps.think(
            f"Porting `{old_name}` from {source_language.name} to {target.name}. Same behaviour "
            f"and the same demo, so the outputs can be compared line by line."
        )
    )
    written, output = write_and_run(target, topic, conversation)
    work += written
    table = (
        f"| | {source_language.name} | {target.name} |\n|---|---|---|\n"
        f"| File | `{source_language.file_name(topic)}` | `{target.file_name(topic)}` |\n"
        f"| Function | `{old_name}` | `{new_name}` |\n"
        f"| Run | `{source_language.run_command(topic)}` | `{target.run_command(topic)}` |"
    )
    same = output == source_language.demo_output(topic)
    verdict = "The output is identical ✓." if same else "The output matches, value for value ✓."
    message = (
        f"## `{new_name}` in {target.name}\n\n{table}\n\n"
        f"{fenced(target.function_source(topic), target.fence)}\n\n"
        f"Running it:\n\n{fenced(output, 'text')}\n\n{verdict} {topic.approach}"
    )
    return Plan(
        work=work,
        closing=[steps.say(message), steps.finish(f"Ported {old_name} to {target.name}.")],
        ending="finished",
        memory=remember(
            target,
            topic,
            target.path(topic),
            summary=f"rewrote `{old_name}` in {target.name}",
        ),
    )


def explain_plan(language: Language, topic: Topic, conversation: Conversation) -> Plan:
    """Walk through the function: what it does, how, and what it prints."""
    path = language.path(topic)
    work: list[Step] = []
    if path in conversation.files:
        work.append(steps.read(path, conversation.files[path]))
    name = language.function_name(topic)
    values = topic.words(language.unicode)[:3]
    rows = "\n".join(
        f"| `{language.literal(value, topic.param)}` | "
        f"`{language.show(topic.reference(value), topic.returns)}` |"
        for value in values
    )
    where = f"`{path}`" if path in conversation.files else "the function"
    message = (
        f"## How `{name}` works\n\n"
        f"{where} is a function that {topic.summary}.\n\n"
        f"1. **The idea.** {topic.approach}\n"
        f"2. **The code.** It takes {_kind(topic.param)} and returns "
        f"{_kind(topic.returns)}; there is no hidden state, so it is easy to test.\n"
        "3. **The demo.** `main` calls it on a few inputs and prints each result.\n\n"
        f"{fenced(language.function_source(topic), language.fence)}\n\n"
        f"| Input | Result |\n|---|---|\n{rows}\n\n"
        f"**Complexity:** {topic.complexity}."
    )
    return Plan(work=work, closing=[steps.say(message)], memory=remember(language, topic, path))


def _kind(kind: str) -> str:
    return {"str": "a string", "int": "an integer", "bool": "a boolean", "list": "a list"}[kind]


def refactor_plan(
    language: Language, topic: Topic, conversation: Conversation, rng: random.Random
) -> Plan:
    """A small, behaviour-preserving cleanup with a real diff, re-run to prove it."""
    path = language.path(topic)
    work: list[Step] = []
    old = conversation.files.get(path)
    if old is None:
        written, _ = write_and_run(language, topic, conversation)
        work += written
        old = conversation.files[path]
    else:
        work.append(steps.read(path, old))
    if language.key == "python" and 'if __name__ == "__main__":\n' in old:
        head, body = old.split('if __name__ == "__main__":\n', 1)
        new = (
            f"{head}def main() -> None:\n"
            '    """Print the demo examples."""\n'
            f"{body}\n\n"
            'if __name__ == "__main__":\n    main()\n'
        )
        change = "moved the demo into a `main()` function, so importing the module stays silent"
    else:
        mark = language.comment
        header = (
            f"{mark} {language.file_name(topic)}: a function that {topic.summary}.\n"
            f"{mark} Complexity: {topic.complexity}.\n"
            f"{mark} Run: {language.run_command(topic)}\n\n"
        )
        lines = old.splitlines(keepends=True)
        at = 1 if lines and (lines[0].startswith("#!") or lines[0].startswith("# frozen")) else 0
        new = "".join(lines[:at]) + ("\n" if at else "") + header + "".join(lines[at:])
        change = "added a header documenting what the file does, its complexity and how to run it"
    conversation.files[path] = new
    output = language.demo_output(topic)
    work += [
        steps.edit(
            path, old, new, thought="Keep behaviour identical; make the file easier to use."
        ),
        steps.run(f"cd /workspace && {language.run_command(topic)}", output, seconds=0.8),
    ]
    message = (
        f"Refactored `{path}`: I {change}. Behaviour is unchanged — the demo prints exactly "
        f"the same:\n\n{fenced(output, 'text')}"
    )
    return Plan(
        work=work,
        closing=[steps.say(message), steps.finish("Refactor done; output unchanged.")],
        ending="finished",
        memory=remember(language, topic, path, summary=f"refactored `{path}`"),
    )

"""Work every agent does the same way: write a program, run it, say what happened."""

from __future__ import annotations

import hashlib
import random
import textwrap
from typing import TYPE_CHECKING

from robotui.emulator import steps
from robotui.emulator.code import LANGUAGES, Language, Topic
from robotui.emulator.intent import Intent, function_name
from robotui.emulator.steps import Plan, Step

if TYPE_CHECKING:
    from robotui.emulator.conversation import Conversation

__all__ = [
    "code_plan",
    "fenced",
    "hello_plan",
    "huge_log_steps",
    "listing",
    "remember",
    "resolve",
    "run_again_plan",
    "sketch_plan",
]

WORKSPACE = "/workspace"
HUGE_LOG_PATH = "logs/build.log"


def fenced(code: str, info: str = "") -> str:
    """A markdown code block; a method's indentation inside its class is removed."""
    return f"```{info}\n{textwrap.dedent(code).rstrip()}\n```"


def listing(conversation: Conversation) -> str:
    """`ls -la /workspace` as it looks with the files written so far."""
    lines = [
        f"total {8 + 4 * len(conversation.files)}",
        "drwxrwxr-x 2 openhands openhands 4096 Dec 10 14:03 .",
        "drwxr-xr-x 1 root      root      4096 Dec 10 14:02 ..",
    ]
    for path in sorted(conversation.files):
        if path.count("/") != 2:
            continue
        size = len(conversation.files[path].encode())
        name = path.rsplit("/", 1)[-1]
        lines.append(f"-rw-r--r-- 1 openhands openhands {size:>4} Dec 10 14:03 {name}")
    return "\n".join(lines)


def resolve(
    intent: Intent, conversation: Conversation, default: str = "python"
) -> tuple[Language, Topic | None]:
    """The language and topic a prompt means, filling gaps from earlier turns."""
    from robotui.emulator.code import TOPICS

    language = intent.language
    topic = intent.topic
    earlier_language = conversation.recall("language")
    earlier_topic = conversation.recall("topic")
    follows_up = intent.refers_back or intent.task in ("tests", "explain", "refactor", "run")
    if language is None and earlier_language and (follows_up or topic is None):
        language = LANGUAGES[earlier_language]
    if topic is None and earlier_topic and (follows_up or intent.task == "port"):
        topic = TOPICS[earlier_topic]
    return language or LANGUAGES[default], topic


def remember(language: Language, topic: Topic | None, path: str, **more: object) -> dict:
    """What a turn that wrote code leaves in the session's memory."""
    memory: dict[str, object] = {"language": language.key, "path": path}
    if topic is not None:
        memory["topic"] = topic.key
        memory["function"] = language.function_name(topic)
    memory.update(more)
    return memory


def _opening_look(conversation: Conversation, rng: random.Random) -> list[Step]:
    """A careful agent looks at the workspace before writing into it."""
    if conversation.files and rng.random() < 0.5:
        return []
    return [steps.run("ls -la /workspace", listing(conversation), thought="")]


def write_and_run(
    language: Language, topic: Topic, conversation: Conversation, *, thought: str = ""
) -> tuple[list[Step], str]:
    """Write the topic's program, run it; returns the steps and the output shown."""
    path = language.path(topic)
    source = language.program(topic)
    conversation.files[path] = source
    output = language.demo_output(topic)
    return [
        steps.write(path, source, thought=thought),
        steps.run(f"cd /workspace && {language.run_command(topic)}", output, seconds=0.9),
    ], output


def code_plan(
    intent: Intent,
    conversation: Conversation,
    rng: random.Random,
    language: Language,
    topic: Topic,
    *,
    with_tests: bool = False,
) -> Plan:
    """Write a function (with a demo), run it, show it; optionally test it too."""
    from robotui.emulator.agents.followups import test_steps

    name = language.function_name(topic)
    work: list[Step] = []
    if rng.random() < 0.6:
        work.append(
            steps.think(
                f"The user wants a {language.name} function that {topic.summary}. I'll write "
                f"`{name}` with a small demo, run it and check the output against what I expect."
            )
        )
    work += _opening_look(conversation, rng)
    written, output = write_and_run(language, topic, conversation)
    work += written
    if language.key == "python":
        value = topic.demo[0]
        code = (
            f"from {topic.file_stem} import {name}\n{name}({language.literal(value, topic.param)})"
        )
        shown = repr(topic.reference(value))
        work.append(steps.ipython(f"%cd /workspace\n{code}", f"/workspace\nOut[1]: {shown}"))
    path = language.path(topic)
    summary = (
        f"## `{name}` in {language.name}\n\n"
        f"I wrote **`{path}`**: a function that {topic.summary}, and a small demo that "
        f"prints {_examples(topic, language)}.\n\n"
        f"{fenced(language.function_source(topic), language.fence)}\n\n"
        f"Running `{language.run_command(topic)}` — the output is as expected ✓\n\n"
        f"{fenced(output, 'text')}\n\n"
        f"- {topic.approach}\n- Complexity: {topic.complexity}.\n"
    )
    closing_line = "I wrote the function and checked its output."
    if with_tests:
        test_work, test_summary = test_steps(language, topic, conversation, rng, fresh=False)
        work += test_work
        summary += f"\n{test_summary}"
        closing_line = "I wrote the function, ran it, and added passing tests."
    else:
        summary += "\nWant tests for it next, or the same thing in another language?"
    return Plan(
        work=work,
        closing=[steps.say(summary), steps.finish(closing_line, {"path": path})],
        ending="finished",
        memory=remember(language, topic, path, summary=f"wrote `{name}` in {language.name}"),
    )


def _examples(topic: Topic, language: Language) -> str:
    values = topic.words(language.unicode)
    if len(values) > 3:
        return f"the results for {values[0]} to {values[-1]}"
    shown = [f"`{language.literal(value, topic.param)}`" for value in values]
    return "its result for " + " and ".join(shown)


def hello_plan(language: Language, conversation: Conversation, rng: random.Random) -> Plan:
    """Hello world in `language`: write it, run it, show it."""
    file_name, source, command = language.hello()
    path = f"{WORKSPACE}/{file_name}"
    look = _opening_look(conversation, rng)
    conversation.files[path] = source
    work = [
        *look,
        steps.write(path, source),
        steps.run(f"cd /workspace && {command}", "Hello, world!", seconds=0.7),
    ]
    message = (
        f"Here's hello world in {language.name}, saved as `{path}`:\n\n"
        f"{fenced(source, language.fence)}\n\n"
        f"`{command}` prints `Hello, world!` ✓"
    )
    return Plan(
        work=work,
        closing=[steps.say(message), steps.finish(f"Wrote and ran {file_name}.")],
        ending="finished",
        memory={
            "language": language.key,
            "path": path,
            "summary": f"hello world in {language.name}",
        },
    )


def run_again_plan(conversation: Conversation, language: Language, topic: Topic) -> Plan:
    """Run the program an earlier turn wrote, once more."""
    path = language.path(topic)
    output = language.demo_output(topic)
    work = [steps.run(f"cd /workspace && {language.run_command(topic)}", output, seconds=0.8)]
    message = f"Ran `{path}` again — same output as before:\n\n{fenced(output, 'text')}"
    return Plan(work=work, closing=[steps.say(message)], memory={})


def sketch_plan(intent: Intent, language: Language) -> Plan:
    """A task without a known algorithm: propose a signature and ask for examples."""
    subject = intent.subject
    name = function_name(subject or "")
    if language.naming == "camel":
        head, *rest = name.split("_")
        name = head + "".join(part.title() for part in rest)
    sketch = language.sketch(name, subject or "what you describe")
    if subject:
        ask = (
            f"I can write `{name}` in {language.name}: a function that {subject}. To get it "
            "right I need one detail — what should it take, and what should it return? An "
            "example input with the output you expect would be perfect."
        )
    else:
        ask = (
            f"Happy to write it in {language.name} — what should the function do? Tell me "
            "what it takes and what it returns; an example input with the output you "
            "expect is the quickest way. (For instance: *a function in "
            f"{language.name} that reverses a string*.)"
        )
    message = f"{ask}\n\nHere's the shape I have in mind:\n\n{fenced(sketch, language.fence)}"
    return Plan(
        closing=[steps.say(message)],
        memory={"language": language.key, "subject": subject},
    )


def huge_log() -> str:
    """About 1 MB of build log, the same every time (the `huge` fault's payload)."""
    lines = []
    for number in range(1, 12_001):
        module = f"pkg/module_{number % 97:02d}/unit_{number:05d}.py"
        status = "ok ✓" if number % 1000 else "warning: slow — 240 ms"
        lines.append(
            f"2024-12-10T14:03:{number % 60:02d}.{number % 1000:03d}Z INFO  [build] "
            f"step {number:05d}/12000 compiling {module} … {status}"
        )
    return "\n".join(lines) + "\n"


def huge_log_steps() -> list[Step]:
    """Read a 1 MB build log, then print its checksum (a client can verify it)."""
    text = huge_log()
    digest = hashlib.sha256(text.encode()).hexdigest()
    return [
        steps.think("Before anything else, let me read the full build log."),
        steps.run(f"cat {HUGE_LOG_PATH}", text, seconds=1.0),
        steps.run(f"sha256sum {HUGE_LOG_PATH}", f"{digest}  {HUGE_LOG_PATH}"),
    ]

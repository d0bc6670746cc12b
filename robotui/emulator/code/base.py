"""What every language the agents write shares: names, files, demo output.

Each language (in `code/*.py`) supplies its functions for every topic, how a
program and a test file are put together, how values print, and the commands
and output of running them. Outputs come from the topic's Python reference,
formatted the way that language prints them, so they are never made up.
"""

from __future__ import annotations

from typing import Any, ClassVar

from robotui.emulator.code.topics import Topic

__all__ = ["Language", "camel", "pascal", "pytest_rule"]

WORKSPACE = "/workspace"


def camel(snake: str) -> str:
    """`reverse_string` -> `reverseString`."""
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


def pascal(snake: str) -> str:
    """`reverse_string` -> `ReverseString`."""
    return "".join(part.title() for part in snake.split("_"))


def pytest_rule(message: str, fill: str = "=", width: int = 80) -> str:
    """A pytest separator line: `message` centred in `fill` characters."""
    if not message:
        return fill * width
    side = (width - len(message) - 2) // 2
    line = f"{fill * side} {message} {fill * side}"
    return line + fill * (width - len(line))


class Language:
    """A programming language the scripted agents can write, run and test."""

    key: ClassVar[str]
    name: ClassVar[str]
    fence: ClassVar[str]  # the info string of a fenced code block
    ext: ClassVar[str]
    naming: ClassVar[str] = "snake"  # or "camel"
    unicode: ClassVar[bool] = True  # strings are text, not bytes
    functions: ClassVar[dict[str, str]]  # topic key -> source with {name}
    imports: ClassVar[dict[str, tuple[str, ...]]] = {}
    comment: ClassVar[str] = "//"

    # ------------------------------------------------------------- naming

    def function_name(self, topic: Topic) -> str:
        """The topic's function, named the way this language names functions."""
        return camel(topic.stem) if self.naming == "camel" else topic.stem

    def file_name(self, topic: Topic) -> str:
        """The file the program is written to."""
        return f"{topic.file_stem}.{self.ext}"

    def path(self, topic: Topic) -> str:
        """The program's path in the agent's workspace."""
        return f"{WORKSPACE}/{self.file_name(topic)}"

    def function_source(self, topic: Topic) -> str:
        """The function alone, as shown in an answer."""
        return self.functions[topic.key].replace("{name}", self.function_name(topic))

    def topic_imports(self, topic: Topic) -> tuple[str, ...]:
        """Imports the topic's function needs beyond the program's own."""
        return self.imports.get(topic.key, ())

    # --------------------------------------------------- demo and output

    def call(self, topic: Topic, value: Any) -> str:
        """`name(literal)`: the function applied to one demo input."""
        return f"{self.function_name(topic)}({self.literal(value, topic.param)})"

    def literal(self, value: Any, kind: str) -> str:
        """`value` written as a literal of this language."""
        if kind == "str":
            return _double_quoted(value)
        if kind == "bool":
            return "true" if value else "false"
        if kind == "list":
            return "[" + ", ".join(str(item) for item in value) + "]"
        return str(value)

    def show(self, value: Any, kind: str) -> str:
        """`value` as this language's program prints it."""
        if kind == "bool":
            return "true" if value else "false"
        if kind == "list":
            return "[" + ", ".join(str(item) for item in value) + "]"
        return str(value)

    def demo_output(self, topic: Topic) -> str:
        """What the program prints, computed by the topic's Python reference."""
        values = topic.words(self.unicode)
        return "\n".join(self.show(topic.reference(value), topic.returns) for value in values)

    def loops(self, topic: Topic) -> bool:
        """Demo inputs 1..n are printed by a loop rather than call by call."""
        demo = topic.demo
        return len(demo) > 3 and list(demo) == list(range(demo[0], demo[-1] + 1))

    # ------------------------------------------------ to be implemented

    def program(self, topic: Topic) -> str:
        """A complete file: the function and a `main` that prints the demo."""
        raise NotImplementedError

    def run_command(self, topic: Topic) -> str:
        """The shell command that builds (if need be) and runs the program."""
        raise NotImplementedError

    def hello(self) -> tuple[str, str, str]:
        """(file name, source, command) of a hello-world program."""
        raise NotImplementedError

    def sketch(self, name: str, summary: str) -> str:
        """A signature to fill in when the agent does not know the algorithm."""
        raise NotImplementedError

    def test_file_name(self, topic: Topic) -> str:
        """The file the tests are written to."""
        raise NotImplementedError

    def test_source(self, topic: Topic) -> str:
        """The tests of the topic's function, one check per case."""
        raise NotImplementedError

    def test_setup(self, topic: Topic) -> list[tuple[str, str]]:
        """(command, output) pairs to run before the tests can run (tools, manifests)."""
        return []

    def test_command(self, topic: Topic) -> str:
        """The shell command that runs the tests."""
        raise NotImplementedError

    def test_output(self, topic: Topic) -> str:
        """What the test command prints when every case passes."""
        raise NotImplementedError

    def prepare_for_tests(self, topic: Topic, source: str) -> str:
        """The program file as it must be for tests to import it (often unchanged)."""
        return source


def _double_quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'

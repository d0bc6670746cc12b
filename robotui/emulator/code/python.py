"""Python."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from robotui.emulator.code.base import Language, pytest_rule
from robotui.emulator.code.topics import Topic

__all__ = ["Python"]


class Python(Language):
    """Python 3: type hints, docstrings, pytest."""

    key = "python"
    name = "Python"
    fence = "python"
    ext = "py"
    comment = "#"
    functions: ClassVar[dict[str, str]] = {
        "reverse": '''def {name}(text: str) -> str:
    """Return `text` reversed, character by character."""
    return text[::-1]
''',
        "palindrome": '''def {name}(text: str) -> bool:
    """True if `text` reads the same both ways, ignoring case and punctuation."""
    kept = [char.lower() for char in text if char.isalnum()]
    return kept == kept[::-1]
''',
        "fibonacci": '''def {name}(n: int) -> int:
    """Return the n-th Fibonacci number, with {name}(0) == 0."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
''',
        "factorial": '''def {name}(n: int) -> int:
    """Return n! for n >= 0."""
    if n < 0:
        raise ValueError("factorial is not defined for negative numbers")
    result = 1
    for k in range(2, n + 1):
        result *= k
    return result
''',
        "prime": '''def {name}(n: int) -> bool:
    """True if `n` is a prime number."""
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    divisor = 3
    while divisor * divisor <= n:
        if n % divisor == 0:
            return False
        divisor += 2
    return True
''',
        "fizzbuzz": '''def {name}(n: int) -> str:
    """Return Fizz, Buzz, FizzBuzz, or the number itself as text."""
    word = ("Fizz" if n % 3 == 0 else "") + ("Buzz" if n % 5 == 0 else "")
    return word or str(n)
''',
        "sort": '''def {name}(numbers: list[int]) -> list[int]:
    """Return a sorted copy of `numbers`; the input is left unchanged."""
    return sorted(numbers)
''',
        "sum": '''def {name}(numbers: list[int]) -> int:
    """Return the sum of `numbers` (0 for an empty list)."""
    total = 0
    for number in numbers:
        total += number
    return total
''',
    }

    def literal(self, value: Any, kind: str) -> str:
        if kind == "bool":
            return "True" if value else "False"
        if kind == "str":
            return json.dumps(value, ensure_ascii=False)
        return super().literal(value, kind)

    def show(self, value: Any, kind: str) -> str:
        if kind == "bool":
            return "True" if value else "False"
        return super().show(value, kind)

    def program(self, topic: Topic) -> str:
        name = self.function_name(topic)
        if self.loops(topic):
            body = f"    for n in range({topic.demo[0]}, {topic.demo[-1] + 1}):\n"
            body += f"        print({name}(n))\n"
        else:
            body = "".join(f"    print({self.call(topic, value)})\n" for value in topic.words(True))
        return (
            f'"""A function that {topic.summary}, with a small demo."""\n\n\n'
            f"{self.function_source(topic)}\n\n"
            f'if __name__ == "__main__":\n{body}'
        )

    def run_command(self, topic: Topic) -> str:
        return f"python3 {self.file_name(topic)}"

    def hello(self) -> tuple[str, str, str]:
        return "hello.py", 'print("Hello, world!")\n', "python3 hello.py"

    def sketch(self, name: str, summary: str) -> str:
        return (
            f"def {name}(data):\n"
            f'    """{summary[0].upper() + summary[1:]}."""\n'
            "    # Tell me the input and the expected output, and I'll fill this in.\n"
            "    raise NotImplementedError\n"
        )

    def test_file_name(self, topic: Topic) -> str:
        return f"test_{topic.file_stem}.py"

    def test_source(self, topic: Topic) -> str:
        name = self.function_name(topic)
        rows = "".join(
            f"        ({self.literal(given, topic.param)}, "
            f"{self.literal(expected, topic.returns)}),\n"
            for given, expected in topic.test_cases(True)
        )
        return (
            "import pytest\n\n"
            f"from {topic.file_stem} import {name}\n\n\n"
            "@pytest.mark.parametrize(\n"
            '    ("given", "expected"),\n'
            "    [\n"
            f"{rows}"
            "    ],\n"
            ")\n"
            f"def test_{name}(given, expected):\n"
            f"    assert {name}(given) == expected\n"
        )

    def test_command(self, topic: Topic) -> str:
        return f"python3 -m pytest {self.test_file_name(topic)}"

    def test_output(self, topic: Topic) -> str:
        count = len(topic.test_cases(True))
        dots = "." * count
        left = f"{self.test_file_name(topic)} {dots}"
        return (
            f"{pytest_rule('test session starts')}\n"
            "platform linux -- Python 3.12.7, pytest-8.3.4, pluggy-1.5.0\n"
            "rootdir: /workspace\n"
            f"collected {count} items\n\n"
            f"{left}{'[100%]':>{80 - len(left)}}\n\n"
            f"{pytest_rule(f'{count} passed in 0.02s')}"
        )

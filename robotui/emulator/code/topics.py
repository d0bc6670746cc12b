"""The small programs the scripted agents know how to write, language-neutral.

A topic is one function (reverse a string, the n-th Fibonacci number, …): its
name, its types, the inputs a demo runs, the cases a test checks, and a Python
reference that computes every output an agent shows, so no output is made up.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["TOPICS", "Topic"]


@dataclass(frozen=True, slots=True)
class Topic:
    """One function an agent can write in any language."""

    key: str
    stem: str  # the function's name in snake_case
    file_stem: str
    summary: str  # completes "a function that …"
    param: str  # "str" | "int" | "list"
    returns: str  # "str" | "int" | "bool" | "list"
    demo: tuple[Any, ...]
    cases: tuple[tuple[Any, Any], ...]
    reference: Callable[[Any], Any]
    approach: str  # one markdown paragraph: how it works and why
    complexity: str

    def words(self, language_unicode: bool) -> tuple[Any, ...]:
        """The demo inputs; ASCII-only for languages whose strings are bytes."""
        if language_unicode:
            return self.demo
        return tuple(value for value in self.demo if not _non_ascii(value))

    def test_cases(self, language_unicode: bool) -> tuple[tuple[Any, Any], ...]:
        """The test cases; ASCII-only for languages whose strings are bytes."""
        if language_unicode:
            return self.cases
        return tuple(case for case in self.cases if not _non_ascii(case[0]))


def _non_ascii(value: Any) -> bool:
    return isinstance(value, str) and not value.isascii()


def _is_palindrome(text: str) -> bool:
    kept = [char.lower() for char in text if char.isalnum()]
    return kept == kept[::-1]


def _fibonacci(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def _is_prime(n: int) -> bool:
    if n < 2:
        return False
    return all(n % d for d in range(2, math.isqrt(n) + 1))


def _fizzbuzz(n: int) -> str:
    return "Fizz" * (n % 3 == 0) + "Buzz" * (n % 5 == 0) or str(n)


TOPICS: dict[str, Topic] = {
    topic.key: topic
    for topic in (
        Topic(
            key="reverse",
            stem="reverse_string",
            file_stem="reverse",
            summary="reverses a string",
            param="str",
            returns="str",
            demo=("Hello, world!", "Привет, мир — ✓ 🚀"),
            cases=(
                ("", ""),
                ("a", "a"),
                ("abc", "cba"),
                ("Hello, world!", "!dlrow ,olleH"),
                ("héllo, мир", "рим ,olléh"),
            ),
            reference=lambda text: text[::-1],
            approach="It reverses by **characters** (Unicode code points), not bytes, so "
            "multi-byte text such as `Привет` or an emoji stays intact.",
            complexity="O(n) time and O(n) extra space",
        ),
        Topic(
            key="palindrome",
            stem="is_palindrome",
            file_stem="palindrome",
            summary="checks whether a string is a palindrome",
            param="str",
            returns="bool",
            demo=("A man, a plan, a canal: Panama", "robotui"),
            cases=(("", True), ("racecar", True), ("Never odd or even", True), ("robot", False)),
            reference=_is_palindrome,
            approach="Only letters and digits count, compared case-insensitively, so "
            "punctuation and spaces do not break a palindrome like *Never odd or even*.",
            complexity="O(n) time",
        ),
        Topic(
            key="fibonacci",
            stem="fibonacci",
            file_stem="fibonacci",
            summary="returns the n-th Fibonacci number",
            param="int",
            returns="int",
            demo=(10, 50),
            cases=((0, 0), (1, 1), (2, 1), (10, 55), (50, 12586269025)),
            reference=_fibonacci,
            approach="It iterates with two running values instead of recursing, so "
            "`fibonacci(50)` is instant and the stack never grows.",
            complexity="O(n) time, O(1) space",
        ),
        Topic(
            key="factorial",
            stem="factorial",
            file_stem="factorial",
            summary="computes the factorial of n",
            param="int",
            returns="int",
            demo=(5, 20),
            cases=((0, 1), (1, 1), (5, 120), (10, 3628800), (20, 2432902008176640000)),
            reference=math.factorial,
            approach="A simple loop; `20!` is the largest factorial that fits in a signed "
            "64-bit integer, which is why the demo stops there.",
            complexity="O(n) time",
        ),
        Topic(
            key="prime",
            stem="is_prime",
            file_stem="prime",
            summary="checks whether a number is prime",
            param="int",
            returns="bool",
            demo=(97, 100),
            cases=((0, False), (1, False), (2, True), (17, True), (21, False), (7919, True)),
            reference=_is_prime,
            approach="Trial division by 2 and then odd numbers up to √n: any factor above "
            "√n pairs with one below it.",
            complexity="O(√n) time",
        ),
        Topic(
            key="fizzbuzz",
            stem="fizzbuzz",
            file_stem="fizzbuzz",
            summary="returns the FizzBuzz word for n",
            param="int",
            returns="str",
            demo=tuple(range(1, 16)),
            cases=((1, "1"), (3, "Fizz"), (5, "Buzz"), (15, "FizzBuzz"), (98, "98")),
            reference=_fizzbuzz,
            approach="`Fizz` for multiples of 3, `Buzz` for multiples of 5, both for "
            "multiples of 15, otherwise the number itself.",
            complexity="O(1) per number",
        ),
        Topic(
            key="sort",
            stem="sort_numbers",
            file_stem="sort",
            summary="sorts a list of numbers",
            param="list",
            returns="list",
            demo=([5, 3, 9, 1, 4], [42, -7, 0, 42]),
            cases=(([], []), ([1], [1]), ([3, 1, 2], [1, 2, 3]), ([5, -2, 5, 0], [-2, 0, 5, 5])),
            reference=sorted,
            approach="It returns a sorted **copy** using the standard library's sort, and "
            "leaves the caller's list untouched.",
            complexity="O(n log n) time",
        ),
        Topic(
            key="sum",
            stem="sum_numbers",
            file_stem="sum",
            summary="adds up a list of numbers",
            param="list",
            returns="int",
            demo=([1, 2, 3, 4, 5], [-4, 4, 10]),
            cases=(([], 0), ([7], 7), ([1, 2, 3], 6), ([-4, 4, 10], 10)),
            reference=sum,
            approach="A single pass with an accumulator; the empty list sums to 0.",
            complexity="O(n) time",
        ),
    )
}

_TOPIC_PATTERNS: tuple[tuple[str, str], ...] = (
    ("palindrome", r"palindrom|палиндром"),
    ("reverse", r"revers|backwards|перевор|разворач|задом наперёд"),
    ("fibonacci", r"fibonacci|\bfib\b|фибоначч"),
    ("factorial", r"factorial|факториал"),
    ("prime", r"\bprimes?\b|primality|просто[ей]\s+числ|простых"),
    ("fizzbuzz", r"fizz\s*buzz"),
    ("sort", r"\bsort|сортир"),
    ("sum", r"\bsums?\b|\badds? up\b|\btotal of\b|сумм"),
)


def detect_topic(text: str) -> str | None:
    """The topic a prompt asks for, if it is one the agents know."""
    lowered = text.lower()
    for key, pattern in _TOPIC_PATTERNS:
        if re.search(pattern, lowered):
            return key
    return None

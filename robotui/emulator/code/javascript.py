"""JavaScript and TypeScript."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from robotui.emulator.code.base import Language
from robotui.emulator.code.topics import Topic

__all__ = ["JavaScript", "TypeScript"]


class JavaScript(Language):
    """JavaScript for Node (CommonJS), tested with `node --test`."""

    key = "javascript"
    name = "JavaScript"
    fence = "javascript"
    ext = "js"
    naming = "camel"
    functions: ClassVar[dict[str, str]] = {
        "reverse": """/**
 * Reverses a string by characters (code points), not by UTF-16 units.
 * @param {string} text
 * @returns {string}
 */
function {name}(text) {
  return Array.from(text).reverse().join("");
}
""",
        "palindrome": """/**
 * True if the text reads the same both ways, ignoring case and punctuation.
 * @param {string} text
 * @returns {boolean}
 */
function {name}(text) {
  const kept = Array.from(text.toLowerCase()).filter((c) => /[\\p{L}\\p{N}]/u.test(c));
  return kept.join("") === kept.reverse().join("");
}
""",
        "fibonacci": """/**
 * The n-th Fibonacci number, with {name}(0) === 0.
 * @param {number} n
 * @returns {number}
 */
function {name}(n) {
  let [a, b] = [0, 1];
  for (let i = 0; i < n; i++) {
    [a, b] = [b, a + b];
  }
  return a;
}
""",
        "factorial": """/**
 * n! for n >= 0.
 * @param {number} n
 * @returns {number}
 */
function {name}(n) {
  let result = 1;
  for (let k = 2; k <= n; k++) {
    result *= k;
  }
  return result;
}
""",
        "prime": """/**
 * True if n is a prime number.
 * @param {number} n
 * @returns {boolean}
 */
function {name}(n) {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) {
    if (n % d === 0) return false;
  }
  return true;
}
""",
        "fizzbuzz": """/**
 * "Fizz", "Buzz", "FizzBuzz", or the number itself as a string.
 * @param {number} n
 * @returns {string}
 */
function {name}(n) {
  const word = (n % 3 === 0 ? "Fizz" : "") + (n % 5 === 0 ? "Buzz" : "");
  return word || String(n);
}
""",
        "sort": """/**
 * A sorted copy of the numbers; the input array is left unchanged.
 * @param {number[]} numbers
 * @returns {number[]}
 */
function {name}(numbers) {
  return [...numbers].sort((a, b) => a - b);
}
""",
        "sum": """/**
 * The sum of the numbers (0 for an empty array).
 * @param {number[]} numbers
 * @returns {number}
 */
function {name}(numbers) {
  return numbers.reduce((total, n) => total + n, 0);
}
""",
    }

    def literal(self, value: Any, kind: str) -> str:
        if kind == "str":
            return json.dumps(value, ensure_ascii=False)
        return super().literal(value, kind)

    def show(self, value: Any, kind: str) -> str:
        if kind == "list":
            return "[ " + ", ".join(str(item) for item in value) + " ]" if value else "[]"
        return super().show(value, kind)

    def _demo_lines(self, topic: Topic, indent: str) -> str:
        name = self.function_name(topic)
        if self.loops(topic):
            return (
                f"{indent}for (let n = {topic.demo[0]}; n <= {topic.demo[-1]}; n++) {{\n"
                f"{indent}  console.log({name}(n));\n{indent}}}\n"
            )
        return "".join(
            f"{indent}console.log({self.call(topic, value)});\n" for value in topic.words(True)
        )

    def program(self, topic: Topic) -> str:
        name = self.function_name(topic)
        return (
            f"{self.function_source(topic)}\n"
            f"module.exports = {{ {name} }};\n\n"
            "if (require.main === module) {\n"
            f"{self._demo_lines(topic, '  ')}"
            "}\n"
        )

    def run_command(self, topic: Topic) -> str:
        return f"node {self.file_name(topic)}"

    def hello(self) -> tuple[str, str, str]:
        return "hello.js", 'console.log("Hello, world!");\n', "node hello.js"

    def sketch(self, name: str, summary: str) -> str:
        return (
            f"/** {summary[0].upper() + summary[1:]}. */\n"
            f"function {name}(input) {{\n"
            "  // Tell me the input and the expected output, and I'll fill this in.\n"
            f'  throw new Error("{name} is not implemented yet");\n'
            "}\n"
        )

    def test_file_name(self, topic: Topic) -> str:
        return f"{topic.file_stem}.test.{self.ext}"

    def _test_cases(self, topic: Topic) -> str:
        return "".join(
            f"  [{self.literal(given, topic.param)}, {self.literal(expected, topic.returns)}],\n"
            for given, expected in topic.test_cases(True)
        )

    def test_source(self, topic: Topic) -> str:
        name = self.function_name(topic)
        return (
            'const test = require("node:test");\n'
            'const assert = require("node:assert/strict");\n'
            f'const {{ {name} }} = require("./{topic.file_stem}");\n\n'
            f"const cases = [\n{self._test_cases(topic)}];\n\n"
            "for (const [given, expected] of cases) {\n"
            f"  test(`{name}(${{JSON.stringify(given)}})`, () => {{\n"
            f"    assert.deepEqual({name}(given), expected);\n"
            "  });\n"
            "}\n"
        )

    def test_command(self, topic: Topic) -> str:
        return f"node --test {self.test_file_name(topic)}"

    def test_output(self, topic: Topic) -> str:
        name = self.function_name(topic)
        cases = topic.test_cases(True)
        lines = [
            f"✔ {name}({json.dumps(given, ensure_ascii=False, separators=(',', ':'))})"
            f" ({(1.140612 if index == 0 else 0.081479 + 0.004 * index):.6f}ms)"
            for index, (given, _) in enumerate(cases)
        ]
        summary = (
            f"ℹ tests {len(cases)}\nℹ suites 0\nℹ pass {len(cases)}\nℹ fail 0\n"
            "ℹ cancelled 0\nℹ skipped 0\nℹ todo 0\nℹ duration_ms 85.851705"
        )
        return "\n".join(lines) + "\n" + summary


class TypeScript(JavaScript):
    """TypeScript run by `tsx`, ES modules, tested with `node --test`."""

    key = "typescript"
    name = "TypeScript"
    fence = "typescript"
    ext = "ts"
    functions: ClassVar[dict[str, str]] = {
        "reverse": """/** Reverses a string by characters (code points), not by UTF-16 units. */
export function {name}(text: string): string {
  return Array.from(text).reverse().join("");
}
""",
        "palindrome": """\
/** True if the text reads the same both ways (case and punctuation ignored). */
export function {name}(text: string): boolean {
  const kept = Array.from(text.toLowerCase()).filter((c) => /[\\p{L}\\p{N}]/u.test(c));
  return kept.join("") === [...kept].reverse().join("");
}
""",
        "fibonacci": """/** The n-th Fibonacci number, with {name}(0) === 0. */
export function {name}(n: number): number {
  let [a, b] = [0, 1];
  for (let i = 0; i < n; i++) {
    [a, b] = [b, a + b];
  }
  return a;
}
""",
        "factorial": """/** n! for n >= 0. */
export function {name}(n: number): number {
  let result = 1;
  for (let k = 2; k <= n; k++) {
    result *= k;
  }
  return result;
}
""",
        "prime": """/** True if n is a prime number. */
export function {name}(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) {
    if (n % d === 0) return false;
  }
  return true;
}
""",
        "fizzbuzz": """/** "Fizz", "Buzz", "FizzBuzz", or the number itself as a string. */
export function {name}(n: number): string {
  const word = (n % 3 === 0 ? "Fizz" : "") + (n % 5 === 0 ? "Buzz" : "");
  return word || String(n);
}
""",
        "sort": """/** A sorted copy of the numbers; the input array is left unchanged. */
export function {name}(numbers: readonly number[]): number[] {
  return [...numbers].sort((a, b) => a - b);
}
""",
        "sum": """/** The sum of the numbers (0 for an empty array). */
export function {name}(numbers: readonly number[]): number {
  return numbers.reduce((total, n) => total + n, 0);
}
""",
    }

    def program(self, topic: Topic) -> str:
        return (
            f"{self.function_source(topic)}\n"
            "if (import.meta.url === `file://${process.argv[1]}`) {\n"
            f"{self._demo_lines(topic, '  ')}"
            "}\n"
        )

    def run_command(self, topic: Topic) -> str:
        return f"npx tsx {self.file_name(topic)}"

    def hello(self) -> tuple[str, str, str]:
        source = 'const greeting: string = "Hello, world!";\nconsole.log(greeting);\n'
        return "hello.ts", source, "npx tsx hello.ts"

    def sketch(self, name: str, summary: str) -> str:
        return (
            f"/** {summary[0].upper() + summary[1:]}. */\n"
            f"export function {name}(input: unknown): unknown {{\n"
            "  // Tell me the input and the expected output, and I'll fill this in.\n"
            f'  throw new Error("{name} is not implemented yet");\n'
            "}\n"
        )

    def test_source(self, topic: Topic) -> str:
        name = self.function_name(topic)
        return (
            'import assert from "node:assert/strict";\n'
            'import test from "node:test";\n\n'
            f'import {{ {name} }} from "./{topic.file_stem}.ts";\n\n'
            f"const cases: Array<[{_ts_type(topic.param)}, {_ts_type(topic.returns)}]> = [\n"
            f"{self._test_cases(topic)}];\n\n"
            "for (const [given, expected] of cases) {\n"
            f"  test(`{name}(${{JSON.stringify(given)}})`, () => {{\n"
            f"    assert.deepEqual({name}(given), expected);\n"
            "  });\n"
            "}\n"
        )

    def test_command(self, topic: Topic) -> str:
        return f"npx tsx --test {self.test_file_name(topic)}"


def _ts_type(kind: str) -> str:
    return {"str": "string", "int": "number", "bool": "boolean", "list": "number[]"}[kind]

"""The scripted agents: answers that depend on the prompt, memory across turns,
each agent's character, and sensible replies to anything unforeseen."""

from __future__ import annotations

import pytest
from conftest import waits


def actions(events: list[dict], name: str) -> list[dict]:
    return [event for event in events if event.get("action") == name]


def outputs(events: list[dict]) -> list[dict]:
    return [event for event in events if event.get("observation") == "run"]


def final_message(events: list[dict]) -> str:
    said = [e for e in actions(events, "message") if e["source"] == "agent"]
    return said[-1]["args"]["content"]


def everything(turns: list[list[dict]]) -> list[dict]:
    return [event for turn in turns for event in turn]


@pytest.mark.parametrize(
    ("prompt", "path", "code", "command", "output"),
    [
        (
            "Write a function in Go that reverses a string",
            "/workspace/reverse.go",
            "runes := []rune(s)",
            "go run reverse.go",
            "🚀 ✓ — рим ,тевирП",
        ),
        (
            "a Python function that returns the n-th Fibonacci number",
            "/workspace/fibonacci.py",
            "def fibonacci(n: int) -> int:",
            "python3 fibonacci.py",
            "12586269025",
        ),
        (
            "Rust: check whether a number is prime",
            "/workspace/prime.rs",
            "fn is_prime(n: u64) -> bool",
            "rustc -O prime.rs && ./prime",
            "true\nfalse",
        ),
        (
            "FizzBuzz in JavaScript",
            "/workspace/fizzbuzz.js",
            "function fizzbuzz(n)",
            "node fizzbuzz.js",
            "13\n14\nFizzBuzz",
        ),
        (
            "Sort a list of numbers in TypeScript",
            "/workspace/sort.ts",
            "export function sortNumbers(numbers: readonly number[]): number[]",
            "npx tsx sort.ts",
            "[ -7, 0, 42, 42 ]",
        ),
        (
            "factorial in Java",
            "/workspace/Factorial.java",
            "static long factorial(int n)",
            "javac Factorial.java && java Factorial",
            "2432902008176640000",
        ),
        (
            "Write a C function that checks for palindromes",
            "/workspace/palindrome.c",
            "bool is_palindrome(const char *text)",
            "gcc -Wall -Wextra -O2 -o palindrome palindrome.c && ./palindrome",
            "true\nfalse",
        ),
        (
            "sum a vector of numbers in C++",
            "/workspace/sum.cpp",
            "long long sum_numbers(const std::vector<int>& numbers)",
            "./sum",
            "15\n10",
        ),
        (
            "reverse a string in Ruby",
            "/workspace/reverse.rb",
            "text.reverse",
            "ruby reverse.rb",
            "!dlrow ,olleH",
        ),
        (
            "a bash script that prints fizzbuzz",
            "/workspace/fizzbuzz.sh",
            "fizzbuzz() {",
            "bash fizzbuzz.sh",
            "Fizz\nBuzz",
        ),
    ],
)
def test_the_code_follows_the_language_and_the_task(
    emulator_api, prompt, path, code, command, output
):
    events = everything(emulator_api.chat_to_the_end(prompt))
    writes = actions(events, "write")
    assert [write["args"]["path"] for write in writes] == [path]
    assert code in writes[0]["args"]["content"]
    run = next(o for o in outputs(events) if command in o["extras"]["command"])
    assert output in run["content"].replace("\r\n", "\n")
    assert run["extras"]["exit_code"] == 0
    fence = final_message(events).split("```", 2)[1].split("\n", 1)[0]
    assert fence in {"go", "python", "rust", "javascript", "typescript", "java", "c", "cpp"} | {
        "ruby",
        "bash",
    }


def test_a_second_turn_builds_on_the_first(emulator_api):
    emulator_api.chat("Write a function in Go that reverses a string")
    tests = everything(emulator_api.chat_to_the_end("now add tests for it"))
    assert [w["args"]["path"] for w in actions(tests, "write")] == ["/workspace/reverse_test.go"]
    assert any(o["extras"]["command"].endswith("go test -v ./...") for o in outputs(tests))
    ported = everything(emulator_api.chat_to_the_end("rewrite that in Rust"))
    read = actions(ported, "read")[0]
    assert read["args"]["path"] == "/workspace/reverse.go"
    assert [w["args"]["path"] for w in actions(ported, "write")] == ["/workspace/reverse.rs"]
    assert "| Go | Rust |" in final_message(ported)
    recalled = emulator_api.chat("what did I ask first?")
    answer = final_message(recalled)
    assert "> Write a function in Go that reverses a string" in answer
    assert "rewrote `reverseString` in Rust" in answer


def test_refactoring_edits_the_earlier_file_with_a_real_diff(emulator_api):
    emulator_api.chat("Write a Python function that checks whether a number is prime")
    events = everything(emulator_api.chat_to_the_end("refactor it"))
    (edit,) = [e for e in events if e.get("observation") == "edit"]
    assert edit["extras"]["path"] == "/workspace/prime.py"
    assert "+def main() -> None:" in edit["content"]
    rerun = outputs(events)[-1]
    assert rerun["content"].endswith("True\r\nFalse")


def test_explain_walks_through_the_earlier_code_without_tools_that_change_it(emulator_api):
    emulator_api.chat("Write a function in Go that checks whether a string is a palindrome")
    events = emulator_api.chat("explain how it works")
    assert not actions(events, "write") and not actions(events, "edit")
    answer = final_message(events)
    assert answer.startswith("## How `isPalindrome` works")
    assert "| Input | Result |" in answer and "```go" in answer
    assert events[-1]["extras"]["agent_state"] == "awaiting_user_input"


def test_pasted_code_is_explained_from_the_prompt(emulator_api):
    events = emulator_api.chat("Explain this code:\ndef f(x):\n    return x * 2  # double\n")
    assert not actions(events, "run") and not actions(events, "write")
    answer = final_message(events)
    assert answer.startswith("## What this code does")
    assert "2 lines of Python" in answer
    assert "one function, `f`: it takes `x` and returns `x * 2`." in answer
    assert "```python\ndef f(x):\n    return x * 2  # double\n```" in answer
    assert events[-1]["extras"]["agent_state"] == "awaiting_user_input"


def test_pasted_code_for_other_tasks_is_acknowledged(emulator_api):
    prompt = "Add tests for this:\n```rust\nfn add(a: i32, b: i32) -> i32 { a + b }\n```"
    answer = final_message(emulator_api.chat(prompt))
    assert answer.startswith("I can see the 1 line of Rust you pasted (`add(a: i32, b: i32)`)")
    assert "only test code I wrote in this session" in answer


def test_an_unknown_task_gets_a_sketch_and_a_question(emulator_api):
    events = emulator_api.chat("Write a function in Go that parses a CSV file")
    answer = final_message(events)
    assert "`parseCsvFile`" in answer and "```go" in answer and "?" in answer
    assert not actions(events, "write")


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("hello", "GeneralCodingAgent"),
        ("what's the weather like in Paris?", "weather"),
        ("Привет, как дела?", "Привет"),
        ("Как приготовить борщ?", "Опишите задачу"),
        ("", "empty"),
        ("asdf qwerty", "Could you describe the task?"),
        ("thanks!", "welcome"),
    ],
)
def test_anything_unforeseen_gets_a_sensible_reply(emulator_api, prompt, expected):
    events = emulator_api.chat(prompt)
    assert expected in final_message(events)
    assert not actions(events, "run") and not actions(events, "write")
    assert events[-1]["extras"]["agent_state"] == "awaiting_user_input"
    assert not waits(events)


def test_repo_agent_fails_fixes_and_passes(emulator_api):
    events = everything(
        emulator_api.chat_to_the_end("The tests are failing — please fix the bug", "RepoAgent")
    )
    commands = [o["extras"]["command"] for o in outputs(events)]
    assert commands[0].endswith("git status")
    runs = [o for o in outputs(events) if o["extras"]["command"].endswith("python -m pytest")]
    assert [run["extras"]["exit_code"] for run in runs] == [1, 0]
    assert "AssertionError: assert 'hello---world' == 'hello-world'" in runs[0]["content"]
    assert "9 passed" in runs[1]["content"]
    (edit,) = [e for e in events if e.get("observation") == "edit"]
    assert (
        '+    slug = re.sub(r"[^a-z0-9]+", separator, ascii_text).strip(separator)'
        in edit["content"]
    )
    assert "```diff" in final_message(events)


def test_repo_agent_adds_a_function_to_the_repository_with_diffs(emulator_api):
    events = everything(
        emulator_api.chat_to_the_end(
            "Add a function in Python that checks for palindromes", "RepoAgent"
        )
    )
    edited = [e["extras"]["path"] for e in events if e.get("observation") == "edit"]
    assert edited == [
        "/workspace/textkit/textkit/strings.py",
        "/workspace/textkit/textkit/__init__.py",
        "/workspace/textkit/tests/test_strings.py",
    ]
    assert "13 passed" in outputs(events)[-2]["content"]


def test_front_end_agent_builds_serves_and_has_the_page_checked(emulator_api):
    events = everything(
        emulator_api.chat_to_the_end("Make a signup form with validation", "FrontEndAgent")
    )
    paths = [w["args"]["path"] for w in actions(events, "write")]
    assert paths == [
        "/workspace/site/index.html",
        "/workspace/site/styles.css",
        "/workspace/site/app.js",
    ]
    interactive = actions(events, "browse_interactive")[0]
    assert 'fill("email", "not-an-email")' in interactive["args"]["browser_actions"]
    result = next(e for e in events if e.get("observation") == "delegate")
    assert "Please enter a valid email address." in result["extras"]["outputs"]["content"]


def test_front_end_agent_restyles_the_page_it_built(emulator_api):
    emulator_api.chat_to_the_end("Build a landing page for a coffee shop", "FrontEndAgent")
    events = everything(emulator_api.chat_to_the_end("make it purple", "FrontEndAgent"))
    (edit,) = [e for e in events if e.get("observation") == "edit"]
    assert "+  --accent: #8250df;" in edit["content"]
    assert "purple" in final_message(events)


def test_react_is_built_with_vite_and_the_dev_server_times_out_once(emulator_api):
    events = everything(
        emulator_api.chat_to_the_end("A todo list component in React", "FrontEndAgent")
    )
    assert "/workspace/app/src/App.jsx" in [w["args"]["path"] for w in actions(events, "write")]
    (error,) = [e for e in events if e.get("observation") == "error"]
    assert "npm run dev" in next(e for e in events if e["id"] == error["cause"])["args"]["command"]

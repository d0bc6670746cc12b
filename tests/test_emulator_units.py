"""The emulator's parts on their own: fault names, stream framing, prompt reading."""

from __future__ import annotations

import json
import random

import pytest

from robotui.emulator import FAULTS, EmulatorConfig
from robotui.emulator.faults import UnknownFaultError, parse_fault_names, split_fault_prefix
from robotui.emulator.intent import function_name, pasted_code, understand
from robotui.emulator.openhands import Beat
from robotui.emulator.streaming import encode_event, plan_stream

EVENTS = [
    {"id": 0, "message": "", "observation": "agent_state_changed", "content": ""},
    {"id": 1, "message": "Привет, мир — ✓ 🚀", "action": "message"},
    {"id": 2, "message": "naïve café", "action": "message"},
    {"id": 3, "message": "plain ascii", "action": "message"},
    {"id": 4, "message": "日本語のテキスト", "action": "message"},
    {"id": 5, "message": "done ✓", "action": "finish"},
]


def beats() -> list[Beat]:
    return [Beat(dict(event), 0.1) for event in EVENTS]


def lines_of(data: bytes) -> list[bytes]:
    return [line for line in data.split(b"\n") if line.strip()]


def test_fault_names_are_exactly_the_issues():
    assert FAULTS == (
        "401", "422", "429", "500", "503", "drop", "malformed", "bad-utf8", "split",
        "keepalive", "slow", "huge", "always-wait",
    )  # fmt: skip


def test_fault_prefix_is_taken_off_the_prompt():
    request = split_fault_prefix("/fault drop, split\nWrite hello world\nin Go")
    assert request.faults == {"drop", "split"}
    assert request.prompt == "Write hello world\nin Go"
    assert split_fault_prefix("/fault 500").prompt == ""
    plain = split_fault_prefix("please /fault 500\nhi")
    assert (plain.faults, plain.prompt) == (frozenset(), "please /fault 500\nhi")


@pytest.mark.parametrize("prompt", ["/fault teapot\nhi", "/fault\nhi", "/fault 500,nope"])
def test_unknown_or_missing_fault_names_are_refused(prompt):
    with pytest.raises(UnknownFaultError):
        split_fault_prefix(prompt)


def test_config_validates_and_normalises_faults():
    assert EmulatorConfig(faults="DROP, split").faults == {"drop", "split"}
    with pytest.raises(UnknownFaultError, match="unknown fault 'x'"):
        EmulatorConfig(faults=frozenset({"x"}))
    with pytest.raises(ValueError):
        EmulatorConfig(token_ttl=0)
    with pytest.raises(ValueError):
        EmulatorConfig(speed=-1)
    with pytest.raises(UnknownFaultError):
        parse_fault_names("drop,,teapot")


def test_a_plain_stream_is_one_write_per_event():
    plan = plan_stream(beats(), frozenset(), random.Random(1))
    assert [piece.data for piece in plan.pieces] == [encode_event(e) for e in EVENTS]
    assert not plan.cut


def test_split_cuts_inside_utf8_characters_but_keeps_every_byte():
    plan = plan_stream(beats(), frozenset({"split"}), random.Random(1))
    whole = b"".join(piece.data for piece in plan.pieces)
    assert whole == b"".join(encode_event(e) for e in EVENTS)
    assert len(plan.pieces) > 2 * len(EVENTS)
    undecodable = 0
    for piece in plan.pieces:
        try:
            piece.data.decode("utf-8")
        except UnicodeDecodeError:
            undecodable += 1
    assert undecodable >= 4  # pieces that end or start inside a character
    # Some writes carry the end of one line and the start of the next.
    assert any(b"\n" in piece.data[:-1] for piece in plan.pieces)


def test_keepalive_puts_blank_lines_between_events():
    plan = plan_stream(beats(), frozenset({"keepalive"}), random.Random(1))
    data = [piece.data for piece in plan.pieces]
    blanks = [chunk for chunk in data if not chunk.strip()]
    assert len(blanks) == len(EVENTS) - 1
    assert {b"\r\n", b"\n"} <= set(blanks)
    assert [json.loads(line) for line in lines_of(b"".join(data))] == EVENTS


@pytest.mark.parametrize("fault", ["malformed", "bad-utf8"])
def test_one_broken_line_among_the_events(fault):
    plan = plan_stream(beats(), frozenset({fault}), random.Random(1))
    lines = lines_of(b"".join(piece.data for piece in plan.pieces))
    good, bad = [], []
    for line in lines:
        try:
            good.append(json.loads(line))
        except ValueError:
            bad.append(line)
    assert good == EVENTS
    assert len(bad) == 1


def test_drop_stops_mid_line_and_cuts():
    plan = plan_stream(beats(), frozenset({"drop"}), random.Random(1))
    assert plan.cut
    data = b"".join(piece.data for piece in plan.pieces)
    assert not data.endswith(b"\n")  # half a line, then nothing
    assert len(lines_of(data)) < len(EVENTS) + 1


def test_slow_drips_in_small_writes_over_a_few_seconds():
    plan = plan_stream(beats(), frozenset({"slow"}), random.Random(1))
    assert max(len(piece.data) for piece in plan.pieces) <= 24
    assert 2.5 <= sum(piece.delay for piece in plan.pieces) <= 3.5


@pytest.mark.parametrize(
    ("prompt", "task", "language", "topic"),
    [
        ("Write a function in Go that reverses a string", "function", "go", "reverse"),
        ("a rust fn for the n-th fibonacci number", "function", "rust", "fibonacci"),
        ("FizzBuzz in C++ please", "function", "cpp", "fizzbuzz"),
        ("Write a C function that sums a list", "function", "c", "sum"),
        ("sort numbers in TypeScript", "function", "typescript", "sort"),
        ("check if a string is a palindrome in Java", "function", "java", "palindrome"),
        ("Напиши функцию на Python, которая считает факториал", "function", "python", "factorial"),
        ("hello world in ruby", "hello", "ruby", None),
        ("now add tests for it", "tests", None, None),
        ("rewrite that in Rust", "port", "rust", None),
        ("what did I ask first?", "recall", None, None),
        ("explain it", "explain", None, None),
        ("The tests are failing, please fix the bug", "fix", None, None),
        ("Build a landing page for a coffee shop", "web", None, None),
        ("write a SQL query for the top customers", "sql", None, None),
        ("Build a CLI todo app with tests", "project", None, None),
        ("hello", "greeting", None, None),
        ("Привет, как дела?", "greeting", None, None),
        ("what's the weather in Paris?", "question", None, None),
        ("continue", "continue", None, None),
        ("   ", "empty", None, None),
        ("let's go", "chat", None, None),
    ],
)
def test_prompts_are_understood(prompt, task, language, topic):
    intent = understand(prompt)
    assert intent.task == task
    assert (intent.language.key if intent.language else None) == language
    assert (intent.topic.key if intent.topic else None) == topic


@pytest.mark.parametrize(
    ("prompt", "code"),
    [
        ("Explain this:\ndef f(x):\n    return x\n", "def f(x):\n    return x"),
        ("what does this do?\n```go\nfunc main() {}\n```\nthanks", "func main() {}"),
        ("explain ```\nx = 1\n", "x = 1"),  # a fence never closed
        ("Dear agent,\nplease write me a poem\nabout the sea", ""),
        ("explain how it works", ""),
    ],
)
def test_code_pasted_into_a_prompt_is_found(prompt, code):
    assert pasted_code(prompt) == code
    assert understand(prompt).code == code


def test_names_for_functions_nobody_scripted():
    assert function_name("parses a CSV file") == "parse_csv_file"
    assert function_name("the") == "solve"


async def test_a_client_that_hangs_up_stops_the_stream():
    import asyncio

    from robotui.emulator.app import EventStreamResponse

    plan = plan_stream(beats(), frozenset(), random.Random(1))
    sent: list[dict] = []
    hung_up = asyncio.Event()

    async def send(message: dict) -> None:
        sent.append(message)
        if len(sent) == 2:  # the response head and the first event
            hung_up.set()

    async def receive() -> dict:
        await hung_up.wait()
        return {"type": "http.disconnect"}

    # At speed 1 the next event is 0.1 s away: the hang-up must cancel that wait.
    response = EventStreamResponse(plan, speed=1.0)
    await asyncio.wait_for(response({"type": "http"}, receive, send), timeout=5)
    assert len(sent) == 2
    assert sent[0]["type"] == "http.response.start"

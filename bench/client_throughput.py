"""Client throughput: events per second through `RobocodersClient.chat`, against the limit.

    .venv/bin/python bench/client_throughput.py              # measure, update docs
    .venv/bin/python bench/client_throughput.py --runs 3 --no-docs

A loopback HTTP/1.1 server, in its own process so that it never shares the
client's event loop or GIL, answers `GET /auth`, `GET /create-session` and
`POST /chat`; the chat answer is one pre-generated NDJSON body of 100,000
OpenHands events (the kinds and shapes of `openhands-0.15-events.ndjson`,
~300 bytes on average, a few of 8-64 KiB), sent with chunked transfer encoding
in 64 KiB chunks, as fast as the socket takes it.

Two consumers read the same bytes from the same server, interleaved (A, B, A,
B, ...) so that noise on the shared cores hits both alike:

- baseline (the practical limit): `httpx.AsyncClient.stream("POST", "/chat")`
  and `json.loads` on every line of `aiter_lines()`;
- client: `RobocodersClient(...).chat(prompt, auto_continue=0)`, counting the
  typed events it yields (it also opens a session first, as it always does).

Each run counts events from just before the request until the last event. The
script also times `parse_line` alone on the same lines, in memory, to show where
the client's time goes. It prints a table and replaces the section between
`<!-- bench:client -->` and `<!-- /bench:client -->` in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from report import update_section

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
TARGET_RATIO = 0.8
CHUNK = 64 * 1024
COMMAND = ".venv/bin/python bench/client_throughput.py"

# Written by hand: what this script measured before the client was optimized.
BEFORE = """\
Before: the same script, same machine, run just before the figures above on commit
5b01515's `robotui/` (`PYTHONPATH=<git archive of it> .venv/bin/python
bench/client_throughput.py --no-docs`): baseline 277,157 events/s, client 123,290
events/s, **ratio 0.44** (rounds 0.44-0.48); `parse_line` in memory 154,313 lines/s,
0.51 of `json.loads` alone.

What changed, all in `robotui/client/events.py`; public behaviour unchanged (besides
the tests, checked against the old parser: type, every field, `text`, `to_json()`,
`repr` and hash for 30,000 generated lines in four spellings, 12,600 mutated sample
events and ~50 odd lines, errors included). Each known kind is built by a function
compiled once, on first use, from a table of its fields, instead of a lambda calling
the frozen dataclass `__init__` with `**base` (a dict merge, keyword arguments, one
`object.__setattr__` per field). That function fills a blank instance of a private twin
class with the same slots and then assigns `__class__` to the real frozen class: one
slot store per field. Common JSON types are checked inline, helpers called only for the
rest. `parse_line` calls `json`'s own C scanner directly and falls back to `json.loads`
for anything unusual, so results and errors are exactly those of `json.loads`.
`client/api.py` is unchanged: handing events over in one list per network chunk was
tried and was slower (0.76 against 0.79 in an interleaved A/B run; the batch's events
and dicts go cold before they are used)."""


# ------------------------------------------------------------------ the events

WORDS = ["the", "to", "and", "of", "a", "in", "file", "test", "function", "error", "run",
         "add", "fix", "python", "code", "config", "update", "return", "value", "import",
         "check", "build", "data", "user", "server", "request", "module", "class", "line",
         "path", "workspace", "project", "install", "dependency", "refactor", "pytest",
         "docker", "migration", "database", "endpoint", "handler", "parser", "timeout",
         "retry", "cache", "logging", "token", "session", "branch", "commit"]  # fmt: skip
COMMANDS = ["ls -la /workspace", "python3 main.py", "pytest -q tests/", "git status",
            "npm install", "go build ./...", "cat README.md", "pip install -r requirements.txt",
            "make test", "grep -rn TODO src"]  # fmt: skip
STATES = ["running", "running", "running", "awaiting_user_input", "finished", "init"]
INTERPRETER = (
    "[Python Interpreter: /openhands/poetry/openhands-ai-5O4_aCHf-py3.12/bin/python]\n"
    "openhands@openhands-workspace:/workspace $ "
)


class EventMaker:
    """OpenHands 0.15 events, shaped like the protocol's sample file, with varied sizes."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.number = 0
        self.moment = 1_733_839_390.0

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(low, high)))

    def lines(self, low: int, high: int, width: tuple[int, int] = (3, 12)) -> str:
        return "\n".join(self.words(*width) for _ in range(self.rng.randint(low, high)))

    def path(self) -> str:
        return f"/workspace/src/{self.rng.choice(WORDS)}_{self.rng.choice(WORDS)}.py"

    def _event(self, source: str, message: str, **fields: Any) -> dict[str, Any]:
        self.number += 1
        self.moment += self.rng.uniform(0.01, 3)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(self.moment))
        micro = int(self.moment % 1 * 1e6)
        event = {"id": self.number, "timestamp": f"{stamp}.{micro:06d}", "source": source}
        event["message"] = message
        if "observation" in fields:
            event["cause"] = self.number - 1
        event.update(fields)
        return event

    def big(self) -> dict[str, Any]:
        """One of the few large events: long command output, a whole file, a page."""
        size = self.rng.randint(8 * 1024, 64 * 1024)
        text = self.lines(size // 60, size // 60, (6, 12))
        roll = self.rng.random()
        if roll < 0.5:
            extras = {"command_id": -1, "command": "pytest -v", "exit_code": 1,
                      "hidden": False, "interpreter_details": INTERPRETER}  # fmt: skip
            return self._event(
                "agent", "Command `pytest -v` executed with exit code 1.",
                observation="run", content=text, extras=extras,
            )  # fmt: skip
        if roll < 0.8:
            return self._event(
                "agent", f"I read the file {self.path()}.",
                observation="read", content=text, extras={"path": self.path()},
            )  # fmt: skip
        extras = {"url": "https://example.com/", "trigger_by_action": "browse",
                  "screenshot": "data:image/png;base64," + "iVBORw0KGgo" * (size // 33),
                  "error": False, "open_pages_urls": ["https://example.com/"]}  # fmt: skip
        return self._event(
            "agent", "Visited https://example.com/",
            observation="browse", content=text[:2000], extras=extras,
        )  # fmt: skip

    def event(self) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.001:
            return self.big()
        roll = rng.random()
        if roll < 0.14:
            state = rng.choice(STATES)
            return self._event(
                "environment", "", observation="agent_state_changed", content="",
                extras={"agent_state": state},
            )  # fmt: skip
        if roll < 0.26:
            text = self.words(6, 30)
            args = {"content": text, "image_urls": None, "wait_for_response": False}
            source = "user" if rng.random() < 0.1 else "agent"
            return self._event(source, text, action="message", args=args)
        if roll < 0.40:
            command = rng.choice(COMMANDS)
            args = {"command": command, "thought": self.words(0, 14), "blocking": False,
                    "keep_prompt": True, "hidden": False,
                    "confirmation_state": "confirmed"}  # fmt: skip
            return self._event("agent", f"Running command: {command}", action="run", args=args)
        if roll < 0.54:
            command = rng.choice(COMMANDS)
            code = rng.choice([0, 0, 0, 1])
            extras = {"command_id": -1, "command": command, "exit_code": code,
                      "hidden": False, "interpreter_details": INTERPRETER}  # fmt: skip
            return self._event(
                "agent", f"Command `{command}` executed with exit code {code}.",
                observation="run", content=self.lines(0, 3), extras=extras,
            )  # fmt: skip
        if roll < 0.59:
            code = self.lines(1, 4, (2, 6))
            args = {"code": code, "thought": self.words(0, 8), "include_extra": True,
                    "confirmation_state": "confirmed", "kernel_init_code": ""}  # fmt: skip
            return self._event(
                "agent", "Running Python code interactively", action="run_ipython", args=args
            )
        if roll < 0.64:
            return self._event(
                "agent", "Code executed in IPython cell.", observation="run_ipython",
                content=self.lines(1, 3), extras={"code": self.words(2, 6)},
            )  # fmt: skip
        if roll < 0.69:
            path = self.path()
            args = {"path": path, "start": 0, "end": -1, "thought": self.words(0, 6)}
            return self._event("agent", f"Reading file: {path}", action="read", args=args)
        if roll < 0.74:
            path = self.path()
            return self._event(
                "agent", f"I read the file {path}.", observation="read",
                content=self.lines(1, 4), extras={"path": path},
            )  # fmt: skip
        if roll < 0.78:
            path = self.path()
            args = {"path": path, "content": self.lines(1, 4), "start": 0, "end": -1,
                    "thought": ""}  # fmt: skip
            return self._event("agent", f"Writing file: {path}", action="write", args=args)
        if roll < 0.81:
            path = self.path()
            return self._event(
                "agent", f"I wrote to the file {path}.", observation="write", content="",
                extras={"path": path},
            )  # fmt: skip
        if roll < 0.84:
            args = {"path": self.path(), "content": self.words(3, 12), "start": 1, "end": -1,
                    "thought": self.words(0, 5)}  # fmt: skip
            return self._event("agent", "", action="edit", args=args)
        if roll < 0.87:
            path = self.path()
            old, new = self.words(3, 8), self.words(3, 8)
            diff = f"--- {path}\n+++ {path}\n@@ -1 +1 @@\n-{old}\n+{new}"
            extras = {"path": path, "prev_exist": True, "old_content": old, "new_content": new}
            return self._event(
                "agent", f"I edited the file {path}.", observation="edit", content=diff,
                extras=extras,
            )  # fmt: skip
        if roll < 0.91:
            return self._event("agent", "", action="think", args={"thought": self.words(5, 25)})
        if roll < 0.93:
            actions = f'click("a{rng.randint(1, 99)}")'
            args = {"browser_actions": actions, "thought": self.words(0, 6),
                    "browsergym_send_msg_to_user": ""}  # fmt: skip
            return self._event(
                "agent", f"I am interacting with the browser:\n```\n{actions}\n```",
                action="browse_interactive", args=args,
            )  # fmt: skip
        if roll < 0.95:
            state = rng.choice(STATES)
            return self._event(
                "environment", f"Agent state changed to {state}", action="change_agent_state",
                args={"agent_state": state, "thought": ""},
            )  # fmt: skip
        if roll < 0.96:
            return self._event(
                "agent", "All done! What's next on the agenda?", action="finish",
                args={"outputs": {"content": self.words(2, 8)}, "thought": ""},
            )  # fmt: skip
        if roll < 0.97:
            text = self.words(3, 10)
            return self._event(
                "agent", text, observation="error", content=text, extras={"error_id": ""}
            )
        if roll < 0.98:
            return self._event(
                "agent", "Added task: " + self.words(2, 6), action="add_task",
                args={"parent": "0", "goal": self.words(2, 6), "subtasks": [], "thought": ""},
            )  # fmt: skip
        if roll < 0.99:
            return {"status_update": True, "type": "info", "id": "STATUS$STARTING_RUNTIME",
                    "message": "Starting runtime..."}  # fmt: skip
        if roll < 0.995:
            return self._event("agent", "No action", action="null", args={})
        return self._event("agent", "", action="recall", args={"query": self.words(2, 6)})


def generate_body(count: int, seed: int) -> bytes:
    """`count` events as NDJSON, one per line, as the server sends them."""
    maker = EventMaker(seed)
    return "".join(json.dumps(maker.event()) + "\n" for _ in range(count)).encode()


# ------------------------------------------------------------------ the server


def _chunked(body: bytes) -> bytes:
    framed = bytearray()
    for start in range(0, len(body), CHUNK):
        piece = body[start : start + CHUNK]
        framed += b"%x\r\n" % len(piece) + piece + b"\r\n"
    framed += b"0\r\n\r\n"
    return bytes(framed)


def _response(status: str, content_type: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _serve(body_path: Path) -> None:
    stream = _chunked(body_path.read_bytes())
    auth = _response(
        "200 OK",
        "text/html",
        b'<html><body><h1>Token</h1><pre id="token">t</pre></body></html>',
    )
    session = _response("200 OK", "application/json", b'{"sid": "s"}')
    missing = _response("404 Not Found", "application/json", b'{"detail": "Not Found"}')
    chat_head = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/x-ndjson\r\n"
        b"transfer-encoding: chunked\r\n\r\n"
    )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                method, target, _ = request_line.split(" ", 2)
                length = 0
                for header in header_lines:
                    name, _, value = header.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
                path = target.split("?", 1)[0]
                if (method, path) == ("POST", "/chat"):
                    writer.write(chat_head)
                    writer.write(stream)
                elif (method, path) == ("GET", "/auth"):
                    writer.write(auth)
                elif (method, path) == ("GET", "/create-session"):
                    writer.write(session)
                else:
                    writer.write(missing)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    async with server:
        await server.serve_forever()


class Server:
    """The loopback server in a child process (this script with `--serve`)."""

    def __init__(self, body_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(body_path)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        port = self.process.stdout.readline().strip()
        if not port:
            raise RuntimeError("the loopback server did not start")
        self.base_url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# ------------------------------------------------------------------ consumers

CHAT = {"sid": "s", "prompt": "bench", "agent": "GeneralCodingAgent"}


async def run_baseline(base_url: str) -> tuple[int, float]:
    """The practical limit: httpx's line iterator and `json.loads`, nothing else."""
    import httpx

    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        count = 0
        started = time.perf_counter()
        headers = {"Authorization": "Bearer t"}
        async with http.stream("POST", "/chat", json=CHAT, headers=headers) as response:
            async for line in response.aiter_lines():
                if line:
                    json.loads(line)
                    count += 1
        return count, time.perf_counter() - started


async def run_client(base_url: str) -> tuple[int, float]:
    """What the app and `robotui ask` do: typed events from `RobocodersClient.chat`."""
    from robotui.client import MemoryCredentials, RobocodersClient

    async with RobocodersClient(base_url, credentials=MemoryCredentials(), token="t") as client:
        count = 0
        started = time.perf_counter()
        async for _event in client.chat("bench", auto_continue=0):
            count += 1
        return count, time.perf_counter() - started


def parse_only(lines: list[bytes]) -> float:
    """Seconds for `parse_line` on every line, in memory (no network, no loop)."""
    from robotui.client.events import parse_line

    started = time.perf_counter()
    for line in lines:
        parse_line(line)
    return time.perf_counter() - started


def json_only(lines: list[bytes]) -> float:
    started = time.perf_counter()
    for line in lines:
        json.loads(line)
    return time.perf_counter() - started


# ------------------------------------------------------------------ report


def measure(base_url: str, events: int, runs: int, lines: list[bytes]) -> dict[str, list[float]]:
    rates: dict[str, list[float]] = {"baseline": [], "client": [], "ratio": []}
    parse: dict[str, list[float]] = {"json": [], "parse": []}
    variants = (("baseline", run_baseline), ("client", run_client))
    for run in range(runs + 1):  # the first round warms up and is not counted
        round_rates = {}
        for name, consumer in variants if run % 2 else variants[::-1]:
            gc.collect()
            count, seconds = asyncio.run(consumer(base_url))
            if count != events:
                raise RuntimeError(f"{name}: {count} events, expected {events}")
            round_rates[name] = count / seconds
        gc.collect()
        parse["json"].append(len(lines) / json_only(lines))
        parse["parse"].append(len(lines) / parse_only(lines))
        label = "warm-up" if run == 0 else f"run {run}/{runs}"
        print(
            f"  {label}: baseline {round_rates['baseline']:,.0f}/s, "
            f"client {round_rates['client']:,.0f}/s "
            f"({round_rates['client'] / round_rates['baseline']:.2f})",
            file=sys.stderr,
        )
        if run:
            for name, rate in round_rates.items():
                rates[name].append(rate)
            rates["ratio"].append(round_rates["client"] / round_rates["baseline"])
    return {**rates, **parse}


def report(
    args: argparse.Namespace, results: dict[str, list[float]], body: bytes, events: int
) -> str:
    baseline = statistics.median(results["baseline"])
    client = statistics.median(results["client"])
    ratio = client / baseline
    ratio_of_runs = statistics.median(results["ratio"])
    passed = ratio >= TARGET_RATIO
    json_rate = statistics.median(results["json"])
    parse_rate = statistics.median(results["parse"])
    sizes = sorted(len(line) for line in body.split(b"\n") if line)
    big = sum(1 for size in sizes if size >= 8 * 1024)
    command = COMMAND + (f" --events {args.events}" if args.events != 100_000 else "")
    command += f" --runs {args.runs}" if args.runs != 9 else ""
    lines = [
        "## Client throughput",
        "",
        "What: events per second through `RobocodersClient.chat(prompt, auto_continue=0)` "
        "(typed, frozen events out of `client/events.py`), against the practical limit: "
        "a bare `httpx.AsyncClient.stream()` + `aiter_lines()` + `json.loads` loop over "
        "the same stream.",
        "",
        f"How: a loopback HTTP/1.1 server in a separate process (asyncio, in the script) "
        f"answers `/auth`, `/create-session` and `POST /chat`; the chat body is "
        f"{events:,} generated OpenHands events ({len(body) / 2**20:.1f} MiB, "
        f"{len(body) / events:.0f} bytes per event on average, median "
        f"{sizes[len(sizes) // 2]} bytes, {big} events of 8-64 KiB), sent chunked in "
        f"64 KiB chunks as fast as the socket takes them. Both consumers read the same "
        f"bytes from the same server; runs are interleaved (A, B, B, A, ...) after one "
        f"warm-up round, each in a fresh event loop and client; timing runs from just "
        f"before the request to the last event.",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: 2 shared, noisy cores ({platform.machine()}, {os.cpu_count()} CPUs "
        f"visible), Python {platform.python_version()}, {platform.system()}.",
        "",
        f"Target: client at least {TARGET_RATIO} of the baseline.",
        "",
        "| figure | median | runs |",
        "| --- | ---: | --- |",
        f"| baseline: httpx `aiter_lines` + `json.loads` | {baseline:,.0f} events/s | "
        + ", ".join(f"{rate:,.0f}" for rate in results["baseline"])
        + " |",
        f"| client: `RobocodersClient.chat` | {client:,.0f} events/s | "
        + ", ".join(f"{rate:,.0f}" for rate in results["client"])
        + " |",
        f"| **ratio client / baseline** | **{ratio:.2f}** "
        f"({'pass' if passed else 'FAIL'}, target ≥ {TARGET_RATIO}) | "
        f"per round: {', '.join(f'{value:.2f}' for value in results['ratio'])}; "
        f"median of rounds {ratio_of_runs:.2f} |",
        f"| in memory, `json.loads` per line (no network) | {json_rate:,.0f} lines/s | |",
        f"| in memory, `events.parse_line` per line (no network) | {parse_rate:,.0f} "
        f"lines/s | {parse_rate / json_rate:.2f} of `json.loads` alone |",
    ]
    lines += ["", BEFORE]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each consumer")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--docs", type=Path, default=DOCS, help="benchmarks.md to update")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve))
        return 0

    body = generate_body(args.events, args.seed)
    lines = body.splitlines()
    with tempfile.TemporaryDirectory(prefix="robotui-bench-") as scratch:
        body_path = Path(scratch) / "chat.ndjson"
        body_path.write_bytes(body)
        server = Server(body_path)
        try:
            results = measure(server.base_url, args.events, args.runs, lines)
        finally:
            server.stop()
    section = report(args, results, body, args.events)
    print(section)
    if not args.no_docs:
        update_section("client", section, args.docs)
        print(f"\nupdated {args.docs}", file=sys.stderr)
    ratio = statistics.median(results["client"]) / statistics.median(results["baseline"])
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())

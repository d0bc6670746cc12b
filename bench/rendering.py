"""Rendering benchmarks: the headless app under a firehose and a paced stream,
against Textual's own markdown widgets fed the same text; and reopening a long
conversation. Writes its section of docs/benchmarks.md.

    .venv/bin/python bench/rendering.py [--runs 3] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from frames import Frames, wait_for
from loopback import serve_body
from report import median, percentile, update_section
from workload import make_turn, markdown_text, ndjson

EVENTS_1MB = 2000
EVENTS_200KB = 400
SIZE = (120, 40)


def isolate() -> tempfile.TemporaryDirectory:
    """Fresh XDG directories, so every run starts with an empty history."""
    folder = tempfile.TemporaryDirectory(prefix="robotui-bench-")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = Path(folder.name) / name.lower()
        path.mkdir()
        os.environ[name] = str(path)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    os.environ["ROBOTUI_NO_OS_CLIPBOARD"] = "1"
    return folder


def make_app(base_url: str):
    from robotui.config import Settings
    from robotui.tui.app import RobotuiApp

    return RobotuiApp(base_url=base_url, settings=Settings(auto_continue=0))


async def run_turn(app, pilot, prompt: str = "go") -> None:
    from robotui.tui.widgets.prompt import PromptArea

    await app.wait_for_store()
    text_area = app.screen.query_one(PromptArea)
    text_area.load_text(prompt)
    await pilot.press("enter")


def turn_finished(app, count: int) -> bool:
    from robotui.tui.widgets.status import StatusLine

    screen = app.screen
    return not screen.turn_running and screen.query_one(StatusLine).events >= count


# --------------------------------------------------------------- firehose


async def firehose(count: int) -> float:
    """Seconds from sending the prompt until every event is on screen."""
    events = make_turn(count)
    folder = isolate()
    with folder, serve_body(ndjson(events)) as base_url:
        app = make_app(base_url)
        async with app.run_test(size=SIZE) as pilot:
            frames = Frames(app)
            started = time.perf_counter()
            await run_turn(app, pilot)
            view = app.screen.query_one("#conversation")
            await wait_for(lambda: turn_finished(app, count) and view.laid_out)
            return await frames.next_after(time.perf_counter()) - started


async def markdown_stream(text_chunks: list[str]) -> float:
    """The baseline: one MarkdownStream fed the same text, chunk by chunk."""
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.widgets import Markdown

    class Host(App):
        def compose(self):
            with VerticalScroll():
                yield Markdown()

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        frames = Frames(app)
        widget = app.query_one(Markdown)
        started = time.perf_counter()
        stream = Markdown.get_stream(widget)
        for chunk in text_chunks:
            await stream.write(chunk)
        await stream.stop()
        # stop() returns once the last append has mounted its blocks; the next
        # frame lays them out and paints them.
        del pilot
        return await frames.next_after(time.perf_counter()) - started


async def markdown_update(text_chunks: list[str], timeout: float) -> float | None:
    """The naive baseline: `Markdown.update` with the whole text at every chunk."""
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.widgets import Markdown

    class Host(App):
        def compose(self):
            with VerticalScroll():
                yield Markdown()

    app = Host()
    async with app.run_test(size=SIZE):
        widget = app.query_one(Markdown)
        started = time.perf_counter()
        document = ""
        for chunk in text_chunks:
            document += chunk
            await widget.update(document)
            if time.perf_counter() - started > timeout:
                return None
        return time.perf_counter() - started


def chunks_of(events: list[dict]) -> list[str]:
    from robotui.client.events import parse_event
    from robotui.store.markdown import render_event

    pieces = []
    for raw in events:
        text = render_event(parse_event(raw))
        if text:
            pieces.append(text + "\n\n")
    return pieces


def first_chunks(chunks: list[str], kilobytes: int) -> list[str]:
    taken, size = [], 0
    for chunk in chunks:
        if size >= kilobytes * 1024:
            break
        taken.append(chunk)
        size += len(chunk.encode())
    return taken


# ------------------------------------------------------------------ paced


async def paced(count: int, pace: float, key_every: float = 0.1) -> dict[str, float]:
    """An event every `pace` s while a key is pressed every `key_every` s.

    A key's latency runs from the moment another thread posts it to the first
    frame drawn after the prompt handled it (the keystroke is then on screen).
    """
    from textual import events

    from robotui.tui.widgets.conversation import ConversationView
    from robotui.tui.widgets.prompt import PromptArea

    handled: list[float] = []
    added: list[float] = []
    original_key = PromptArea._on_key
    original_add = ConversationView.add_event

    async def on_key(self, event):
        await original_key(self, event)
        if event.key == "x":
            handled.append(time.perf_counter())

    def add_event(self, event):
        original_add(self, event)
        added.append(time.perf_counter())

    PromptArea._on_key = on_key
    ConversationView.add_event = add_event
    folder = isolate()
    posted: list[float] = []
    try:
        with folder, serve_body(ndjson(make_turn(count)), pace=pace) as base_url:
            app = make_app(base_url)
            async with app.run_test(size=SIZE) as pilot:
                frames = Frames(app)
                loop = asyncio.get_running_loop()
                await run_turn(app, pilot)
                stop = threading.Event()

                def press_keys() -> None:
                    while not stop.wait(key_every):
                        posted.append(time.perf_counter())
                        loop.call_soon_threadsafe(app.post_message, events.Key("x", "x"))

                presser = threading.Thread(target=press_keys, daemon=True)
                presser.start()
                await wait_for(lambda: turn_finished(app, count))
                stop.set()
                presser.join()
                last_event = added[-1]
                await wait_for(lambda: len(handled) >= len(posted))
                await wait_for(lambda: frames.first_after(max([*handled, last_event])))
                latencies = [
                    frames.first_after(done) - sent
                    for sent, done in zip(posted, handled, strict=False)
                ]
                return {
                    "keys": len(latencies),
                    "p50": percentile(latencies, 0.50),
                    "p95": percentile(latencies, 0.95),
                    "max": max(latencies),
                    "end": frames.first_after(last_event) - last_event,
                }
    finally:
        PromptArea._on_key = original_key
        ConversationView.add_event = original_add


# ----------------------------------------------------------------- reopen


async def reopen(count: int) -> float:
    """Seconds from choosing a stored `count`-event conversation to its first frame."""
    from robotui.client.events import parse_event
    from robotui.store import HistoryStore
    from robotui.tui.widgets.conversation import ConversationView

    folder = isolate()
    with folder:
        with HistoryStore.open() as store:
            conversation = store.create_conversation("long", "GeneralCodingAgent", "x")
            turn = store.begin_turn(conversation.id, "go", "GeneralCodingAgent")
            for raw in make_turn(count):
                store.append_event(turn.id, parse_event(raw))
            store.end_turn(turn.id, "complete")
        app = make_app("http://127.0.0.1:9")
        async with app.run_test(size=SIZE) as pilot:
            await app.wait_for_store()
            await pilot.pause()
            frames = Frames(app)
            view = app.screen.query_one(ConversationView)
            started = time.perf_counter()
            app.screen.open_conversation(conversation.id)
            await wait_for(lambda: len(view.blocks) > 0 and view.laid_out)
            return await frames.next_after(time.perf_counter()) - started


# ------------------------------------------------------------------- main


def kb(count: int) -> float:
    return len(markdown_text(make_turn(count)).encode()) / 1024


async def measure(runs: int, quick: bool) -> dict:
    results: dict = {
        "firehose_1mb": [],
        "firehose_200kb": [],
        "stream_200kb": [],
        "paced": [],
        "reopen": [],
    }
    events_200 = make_turn(EVENTS_200KB)
    chunks_200 = chunks_of(events_200)
    for run in range(runs):
        print(f"run {run + 1}/{runs}", flush=True)
        # Interleaved, so the machine's mood touches every variant alike.
        results["firehose_200kb"].append(await firehose(EVENTS_200KB))
        results["stream_200kb"].append(await markdown_stream(chunks_200))
        results["firehose_1mb"].append(await firehose(EVENTS_1MB))
        results["reopen"].append(await reopen(EVENTS_1MB))
        if not quick:
            results["paced"].append(await paced(EVENTS_1MB, 0.02))
    chunks_all = chunks_of(make_turn(EVENTS_1MB))
    results["naive"] = {}
    for size in (5, 10, 25):
        results["naive"][size] = await markdown_update(first_chunks(chunks_all, size), 120)
    results["stream_by_size"] = {
        size: await markdown_stream(first_chunks(chunks_all, size)) for size in (25, 100)
    }
    return results


def report(results: dict, runs: int, command: str) -> str:
    kb_1mb, kb_200 = kb(EVENTS_1MB), kb(EVENTS_200KB)
    fh_1mb, fh_200 = median(results["firehose_1mb"]), median(results["firehose_200kb"])
    stream = median(results["stream_200kb"])
    ours_rate, base_rate = kb_200 / fh_200, kb_200 / stream
    ours_rate_1mb = kb_1mb / fh_1mb
    linear = fh_1mb / fh_200
    reopen_ms = median(results["reopen"]) * 1000

    def verdict(ok: bool) -> str:
        return "**pass**" if ok else "**FAIL**"

    lines = [
        "## Rendering (headless app)",
        "",
        f"Command: `{command}` — {runs} interleaved runs, medians. Machine: 2 shared cores.",
        "",
        f"Workload: one agent turn of {EVENTS_1MB:,} OpenHands events of mixed kinds "
        f"(messages with fenced code, commands with output, reads, writes, edits with diffs, "
        f"IPython cells, state changes): {kb_1mb:,.0f} KB of text as markdown "
        f"({len(ndjson(make_turn(EVENTS_1MB))) / 1024:,.0f} KB of NDJSON); the 200 KB case is "
        f"its first {EVENTS_200KB} events ({kb_200:,.0f} KB). `bench/workload.py` makes it; "
        "`bench/loopback.py` serves it on a loopback port. The app is `RobotuiApp` under "
        "`run_test(size=(120, 40))` with its history store on; a firehose time ends at "
        "the first frame painted after the last event was handled and laid out (for "
        "the baseline: after `MarkdownStream.stop()` returned, its blocks mounted). The "
        "baseline's writes come one event's markdown at a time; `MarkdownStream` "
        "batches whatever is pending while an append runs.",
        "",
        "### a. Firehose (events as fast as loopback delivers them)",
        "",
        "| what | time | throughput | target | |",
        "| --- | ---: | ---: | --- | --- |",
        f"| robotui, 200 KB | {fh_200:.2f} s | {ours_rate:,.0f} KB/s | | |",
        f"| robotui, 1 MB | {fh_1mb:.2f} s | {ours_rate_1mb:,.0f} KB/s | | |",
        f"| baseline: one Textual `MarkdownStream`, same 200 KB | {stream:.2f} s | "
        f"{base_rate:,.1f} KB/s | | |",
        f"| **ratio** robotui / baseline throughput (200 KB) | | "
        f"**{ours_rate / base_rate:,.1f}×** | ≥ 5× | {verdict(ours_rate / base_rate >= 5)} |",
        f"| **linearity** robotui 1 MB time / 200 KB time | | **{linear:.2f}×** "
        f"| ≤ 5.5× | {verdict(linear <= 5.5)} |",
        "",
        "The baseline grows worse than linearly: "
        + ", ".join(
            f"{size} KB in {seconds:.2f} s" for size, seconds in results["stream_by_size"].items()
        )
        + f", 200 KB in {stream:.2f} s.",
        "",
        "Naive baseline, `Markdown.update(whole text so far)` at every event (quadratic):",
        "",
        "| size | time |",
        "| ---: | ---: |",
    ]
    for size, seconds in results["naive"].items():
        shown = f"{seconds:.2f} s" if seconds is not None else "did not finish in 120 s"
        lines.append(f"| {size} KB | {shown} |")
    if results["paced"]:
        p95 = median([run["p95"] for run in results["paced"]])
        p50 = median([run["p50"] for run in results["paced"]])
        worst = max(run["max"] for run in results["paced"])
        end = median([run["end"] for run in results["paced"]]) * 1000
        keys = sum(run["keys"] for run in results["paced"])
        lines += [
            "",
            "### b. Paced (an event every 20 ms, 2,000 events, 40 s)",
            "",
            "Another thread presses a key every 100 ms throughout; a key's latency runs from "
            "the moment it is posted to the first frame drawn after the prompt handled it.",
            "",
            "| what | median of runs | target | |",
            "| --- | ---: | --- | --- |",
            f"| key latency p95 ({keys} keys) | {p95 * 1000:.0f} ms | ≤ 50 ms | "
            f"{verdict(p95 <= 0.050)} |",
            f"| key latency p50 | {p50 * 1000:.0f} ms | | |",
            f"| key latency, worst single key | {worst * 1000:.0f} ms | | |",
            f"| last event → on screen | {end:.0f} ms | ≤ 250 ms | {verdict(end <= 250)} |",
        ]
    lines += [
        "",
        "### Reopening a 2,000-event conversation",
        "",
        "| what | median | target | |",
        "| --- | ---: | --- | --- |",
        f"| choose it → first frame showing it | {reopen_ms:.0f} ms | ≤ 300 ms | "
        f"{verdict(reopen_ms <= 300)} |",
        "",
        "How: events are loaded and turned into blocks in a thread; only the blocks that "
        "fill two screens from the end are laid out, earlier ones when scrolled to.",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the 40 s paced runs")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args()
    results = asyncio.run(measure(args.runs, args.quick))
    command = "python bench/rendering.py" + (f" --runs {args.runs}" if args.runs != 3 else "")
    section = report(results, args.runs, command + (" --quick" if args.quick else ""))
    print(section)
    if not args.no_docs:
        update_section("rendering", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())

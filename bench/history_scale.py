"""History at scale: 10,000 conversations, 1,000,000 events, and how fast the store answers.

    .venv/bin/python bench/history_scale.py            # generate, measure, update docs
    .venv/bin/python bench/history_scale.py --db /tmp/h.db --keep   # reuse a generated DB

Generates a database with the store's own schema and row-building code
(`writer.event_rows`: the same raw JSON and search text as a real stream), with
realistic sizes and a Zipf-like vocabulary so full-text search has common and
rare words. Then measures, through the public `HistoryStore` API, the median of
several warm runs of: opening the store, listing the 50 most recent
conversations, searching (a common word, a rare word, a phrase, a prefix), and
loading the first page of a 2,000-event conversation. Prints a table with
`EXPLAIN QUERY PLAN` of the main queries, and replaces the section between
`<!-- bench:history -->` and `<!-- /bench:history -->` in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from report import update_section

from robotui.client.events import parse_event
from robotui.store import HistoryStore
from robotui.store.models import format_time
from robotui.store.schema import connect
from robotui.store.search import fts_query
from robotui.store.writer import INSERT_EVENT, INSERT_SEARCH, event_rows

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
TARGET_MS = 50.0

RARE_WORD = "zeppelin"
RARE_COUNT = 25
PHRASE = "unit tests"
COMMON = ["the", "to", "and", "file", "test", "function", "error", "run", "add", "fix",
          "python", "code", "config", "update", "return", "value", "import", "check",
          "build", "data", "user", "server", "request", "module", "class", "line",
          "path"]  # fmt: skip
TECH = ["configure", "configuration", "configured", "dependency", "refactor", "pytest",
        "docker", "kubernetes", "migration", "database", "endpoint", "handler", "parser",
        "timeout", "retry", "cache", "logging", "token", "session", "workspace", "branch",
        "commit", "deploy", "frontend", "backend", "component", "render", "router"]  # fmt: skip
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "ve", "za", "qu", "dor",
             "lin", "mar", "tek", "bo", "sen", "fa", "gri", "hul", "jo", "wex", "yt",
             "ux"]  # fmt: skip
COMMANDS = ["ls -la", "python3 main.py", "pytest -q tests/", "git status", "npm install",
            "go build ./...", "cat README.md", "pip install -r requirements.txt",
            "make test", "grep -rn TODO src", "docker build -t app .", "cargo test"]  # fmt: skip
EXTENSIONS = [".py", ".go", ".ts", ".js", ".rs", ".md", ".yaml", ".toml", ".html", ".css"]


class Words:
    """A Zipf-like vocabulary: a few words everywhere, a long tail of rare ones."""

    def __init__(self, rng: random.Random, size: int = 30_000) -> None:
        tail = {
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            for _ in range(size * 2)
        }
        tail -= {RARE_WORD, *PHRASE.split()}
        self.words = COMMON + TECH + sorted(tail)[: size - len(COMMON) - len(TECH)]
        weights = [1 / (rank + 1) ** 1.07 for rank in range(len(self.words))]
        total, self.cumulative = 0.0, []
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.rng = rng

    def take(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def sentence(self, low: int, high: int) -> str:
        return " ".join(self.take(self.rng.randint(low, high)))


class Generator:
    """Raw OpenHands-shaped events with a realistic mix of kinds and sizes."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = Words(self.rng)
        self.number = 0

    def _raw(self, moment: datetime, **fields: Any) -> dict[str, Any]:
        self.number += 1
        stamp = moment.replace(tzinfo=None).isoformat()
        return {"id": self.number, "timestamp": stamp, "source": "agent", "message": "", **fields}

    def _path(self) -> str:
        name = "_".join(self.words.take(2))
        return f"/workspace/src/{name}{self.rng.choice(EXTENSIONS)}"

    def _code(self, low: int, high: int) -> str:
        lines = []
        for _ in range(self.rng.randint(low, high)):
            a, b, c = self.words.take(3)
            lines.append(f"    {a}_{b} = {c}({self.rng.randint(0, 99)})")
        return "\n".join(lines)

    def prompt(self) -> str:
        text = self.words.sentence(6, 30)
        return f"Please {text}" + (f" and add {PHRASE}" if self.rng.random() < 0.1 else "")

    def event(self, moment: datetime) -> dict[str, Any]:
        rng, words = self.rng, self.words
        roll = rng.random()
        if roll < 0.25:
            text = words.sentence(15, 80)
            if rng.random() < 0.03:
                text += f" then run the {PHRASE} again"
            args = {"content": text, "image_urls": None, "wait_for_response": False}
            return self._raw(moment, message=text[:80], action="message", args=args)
        if roll < 0.40:
            command = f"{rng.choice(COMMANDS)} {words.sentence(0, 2)}".strip()
            args = {"command": command, "thought": words.sentence(0, 12), "blocking": False}
            return self._raw(moment, message=f"Running command: {command}", action="run", args=args)
        if roll < 0.55:
            output = "\n".join(words.sentence(3, 12) for _ in range(rng.randint(2, 25)))
            extras = {"command": rng.choice(COMMANDS), "exit_code": rng.choice([0, 0, 0, 1])}
            return self._raw(moment, observation="run", content=output, extras=extras)
        if roll < 0.60:
            args = {"code": self._code(2, 12), "thought": ""}
            return self._raw(moment, action="run_ipython", args=args)
        if roll < 0.65:
            args = {"path": self._path(), "content": self._code(5, 40)}
            return self._raw(moment, action="write", args=args)
        if roll < 0.72:
            path = self._path()
            old, new = self._code(1, 4), self._code(1, 4)
            diff = f"--- {path}\n+++ {path}\n@@ -1 +1 @@\n" + "\n".join(
                [
                    *("-" + line for line in old.splitlines()),
                    *("+" + line for line in new.splitlines()),
                ]
            )
            extras = {"path": path, "old_content": old, "new_content": new}
            return self._raw(moment, observation="edit", content=diff, extras=extras)
        if roll < 0.77:
            return self._raw(moment, action="read", args={"path": self._path()})
        if roll < 0.82:
            return self._raw(
                moment, observation="read", content=self._code(5, 30), extras={"path": self._path()}
            )
        if roll < 0.87:
            return self._raw(moment, action="think", args={"thought": words.sentence(8, 40)})
        state = rng.choice(["running", "running", "awaiting_user_input", "finished"])
        return self._raw(
            moment,
            source="environment",
            observation="agent_state_changed",
            content="",
            extras={"agent_state": state},
        )


def _event_counts(rng: random.Random, conversations: int, events: int) -> list[int]:
    # A handful of long conversations (the 2,000-event case), the rest spread around the mean.
    long_ones = max(1, conversations // 1000)
    counts = [2000] * long_ones
    rest = events - sum(counts)
    mean = rest / (conversations - long_ones)
    counts += [max(2, int(rng.gauss(mean, mean / 2))) for _ in range(conversations - long_ones)]
    # Nudge to the exact total.
    difference = events - sum(counts)
    index = long_ones
    while difference:
        step = 1 if difference > 0 else -1
        if counts[index] + step >= 2:
            counts[index] += step
            difference -= step
        index = long_ones + (index - long_ones + 1) % (conversations - long_ones)
    rng.shuffle(counts)
    return counts


def generate(path: Path, conversations: int, events: int, seed: int) -> float:
    """Fill a new database at `path`; returns the seconds it took."""
    started = time.perf_counter()
    HistoryStore.open(path).close()  # the schema, exactly as the app creates it
    db = connect(path)
    db.execute("PRAGMA synchronous = OFF")  # generation only; the store never does this
    generator = Generator(seed)
    rng = generator.rng
    counts = _event_counts(rng, conversations, events)
    rare = set(rng.sample(range(events), RARE_COUNT))
    base = datetime.now(UTC) - timedelta(days=365)
    event_number = 0
    db.execute("BEGIN")
    for index, count in enumerate(counts):
        moment = base + timedelta(seconds=index * 365 * 86400 / conversations)
        turns = max(1, min(count // 15, rng.randint(1, 12)))
        created = format_time(moment)
        cursor = db.execute(
            "INSERT INTO conversations (title, agent, server, session_id, created_at, "
            "updated_at, turn_count, event_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ("", "GeneralCodingAgent", "https://api.robocoders.ai", f"sid-{index}", created,
             created, turns, count),
        )  # fmt: skip
        conversation_id = cursor.lastrowid
        event_rows_: list[tuple[object, ...]] = []
        search_rows: list[tuple[object, ...]] = []
        seq = 0
        title = ""
        for turn_number in range(turns):
            prompt = generator.prompt()
            title = title or prompt[:60]
            started_at = format_time(moment)
            turn_id = db.execute(
                "INSERT INTO turns (conversation_id, seq, prompt, agent, status, started_at, "
                "ended_at) VALUES (?, ?, ?, 'GeneralCodingAgent', 'complete', ?, ?)",
                (conversation_id, turn_number + 1, prompt, started_at, started_at),
            ).lastrowid
            search_rows.append((conversation_id, turn_id, None, "prompt", prompt))
            in_turn = count // turns + (1 if turn_number < count % turns else 0)
            for _ in range(in_turn):
                seq += 1
                moment += timedelta(seconds=rng.uniform(0.5, 20))
                raw = generator.event(moment)
                if event_number in rare:
                    raw = generator._raw(
                        moment,
                        action="message",
                        args={"content": f"The {RARE_WORD} config is done", "image_urls": None},
                    )
                event_number += 1
                row, search = event_rows(
                    conversation_id, turn_id, seq, parse_event(raw), format_time(moment)
                )
                event_rows_.append(row)
                if search is not None:
                    search_rows.append(search)
        db.executemany(INSERT_EVENT, event_rows_)
        db.executemany(INSERT_SEARCH, search_rows)
        db.execute(
            "UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?",
            (title, format_time(moment), conversation_id),
        )
        if index % 500 == 499:
            db.execute("COMMIT")
            db.execute("BEGIN")
            done = (index + 1) / conversations
            print(f"\r  generating: {done:4.0%}", end="", file=sys.stderr, flush=True)
    db.execute("COMMIT")
    db.execute("PRAGMA optimize")
    db.close()
    print(file=sys.stderr)
    return time.perf_counter() - started


def median_ms(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median, first) wall time in milliseconds; the first run is also the cold one."""
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:]), times[0]


def query_plans(path: Path, long_conversation: int) -> dict[str, list[str]]:
    """`EXPLAIN QUERY PLAN` of the queries behind list, search and events (as in queries.py)."""
    db = sqlite3.connect(path)
    plans = {
        "list 50 most recent": (
            "SELECT * FROM conversations AS c WHERE c.archived = 0 "
            "ORDER BY c.pinned DESC, c.updated_at DESC, c.id DESC LIMIT 50 OFFSET 0",
            (),
        ),
        "search (newest matches first)": (
            "SELECT s.id, s.conversation_id, c.archived FROM search_fts "
            "JOIN search_text AS s ON s.id = search_fts.rowid "
            "JOIN conversations AS c ON c.id = s.conversation_id "
            "WHERE search_fts MATCH ? ORDER BY search_fts.rowid DESC",
            (fts_query("error"),),
        ),
        "events page": (
            "SELECT * FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT 100",
            (long_conversation, 0),
        ),
        "latest conversation": (
            "SELECT * FROM conversations AS c WHERE c.archived = 0 "
            "ORDER BY c.updated_at DESC, c.id DESC LIMIT 1",
            (),
        ),
    }
    result = {}
    for name, (sql, values) in plans.items():
        rows = db.execute(f"EXPLAIN QUERY PLAN {sql}", values).fetchall()
        result[name] = [row[-1] for row in rows]
    db.close()
    return result


def measure(path: Path, runs: int) -> tuple[list[tuple[str, float, float, str]], int]:
    rows: list[tuple[str, float, float, str]] = []

    def add(name: str, action: Callable[[], object], note: Callable[[], str] = lambda: "") -> None:
        median, first = median_ms(action, runs)
        rows.append((name, median, first, note()))

    add("open the store (and close it)", lambda: HistoryStore.open(path).close())
    with HistoryStore.open(path) as store:
        long_conversation = next(
            item.id for item in _all_conversations(store) if item.event_count == 2000
        )
        add("list the 50 most recent", lambda: store.list_conversations(50))
        add("latest conversation (`ask -c`)", store.latest_conversation)
        for label, text in (
            ("common word", "error"),
            ("rare word", RARE_WORD),
            ("phrase", f'"{PHRASE}"'),
            ("prefix", "config*"),
            ("two-letter prefix", "te*"),
            ("two words", "database timeout"),
        ):
            add(
                f"search conversations, {label}: `{text}`",
                lambda text=text: store.list_conversations(50, search=text),
                lambda text=text: f"{len(store.list_conversations(50, search=text))} found",
            )
        add(
            "search hits (first 50), common word",
            lambda: store.search("error", 50),
        )
        add(
            "first page (100) of a 2,000-event conversation",
            lambda: store.events(long_conversation, limit=100),
        )
        add(
            "all 2,000 events of that conversation",
            lambda: store.events(long_conversation),
        )
        add("its turns", lambda: store.turns(long_conversation))
    return rows, long_conversation


SCREEN_TARGETS_MS = {"first paint": 100.0, "search": 50.0}


def measure_screen(path: Path, runs: int) -> list[tuple[str, float, float, str]]:
    """The history screen in a headless app over this database: from pushing it to
    the first painted frame with rows, and from a search to its results painted."""
    return asyncio.run(_measure_screen(path, runs))


async def _measure_screen(path: Path, runs: int) -> list[tuple[str, float, float, str]]:
    from frames import Frames, wait_for
    from textual.app import App

    from robotui.tui.screens.history import HistoryScreen
    from robotui.tui.widgets.history_table import HistoryTable

    class Host(App):
        pass

    # When rows went into the table: the frame that shows them is the first one
    # after this. (Polling for the screen's state can wake up only after that frame
    # was drawn, and would then wait for the next one.)
    shown: list[float] = []
    original_show = HistoryTable.show

    def show(self, *args, **kwargs):
        original_show(self, *args, **kwargs)
        shown.append(time.perf_counter())

    HistoryTable.show = show

    paints: list[float] = []
    searches: dict[str, list[float]] = {"error": [], "config*": [], "database timeout": []}
    with HistoryStore.open(path) as store:
        app = Host()
        async with app.run_test(size=(120, 40)) as pilot:
            frames = Frames(app)
            for _ in range(runs):
                started = time.perf_counter()
                screen = HistoryScreen(store)
                app.push_screen(screen)
                await wait_for(lambda screen=screen: screen.loaded)
                painted = await frames.next_after(shown[-1])
                paints.append((painted - started) * 1000)
                await pilot.pause()
                for text, times in searches.items():
                    started = time.perf_counter()
                    screen.load(text)  # what typing does once the debounce has passed
                    await wait_for(lambda text=text, screen=screen: screen.query_text == text)
                    painted = await frames.next_after(shown[-1])
                    times.append((painted - started) * 1000)
                    screen.load("")
                    await wait_for(lambda screen=screen: screen.query_text == "")
                    await pilot.pause()
                app.pop_screen()
                await pilot.pause()
    HistoryTable.show = original_show
    rows = [
        (
            "history screen: push → first frame with rows (10,000 conversations)",
            statistics.median(paints),
            paints[0],
            f"target ≤ {SCREEN_TARGETS_MS['first paint']:.0f} ms",
        )
    ]
    for text, times in searches.items():
        rows.append(
            (
                f"history screen: search `{text}` → results painted",
                statistics.median(times),
                times[0],
                f"target ≤ {SCREEN_TARGETS_MS['search']:.0f} ms",
            )
        )
    return rows


def _all_conversations(store: HistoryStore) -> Iterator[Any]:
    offset = 0
    while page := store.list_conversations(500, offset, include_archived=True):
        yield from page
        offset += len(page)


def report(
    args: argparse.Namespace,
    rows: list[tuple[str, float, float, str]],
    plans: dict[str, list[str]],
    generation: float | None,
    size: int,
) -> str:
    lines = [
        "## History at scale",
        "",
        f"Command: `.venv/bin/python bench/history_scale.py --conversations {args.conversations}"
        f" --events {args.events} --runs {args.runs}`",
        "",
        f"Machine: 2 shared cores ({platform.machine()}, {os.cpu_count()} CPUs visible), "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}. "
        f"Database: {args.conversations:,} conversations, {args.events:,} events, "
        f"{size / 2**20:,.0f} MiB"
        + (f", generated in {generation:.0f} s" if generation is not None else "")
        + f". Times are medians of {args.runs} warm runs through the `HistoryStore` API "
        '(Python objects included); "first" is the first run after opening.',
        "",
        f"Targets: list and search each well under {TARGET_MS:.0f} ms; the history screen "
        "painted with its first rows within 100 ms, a search's results within 50 ms "
        "(headless app, 120×40; a time ends at the first frame painted after the rows "
        "were in the table).",
        "",
        "| operation | median | first | |",
        "| --- | ---: | ---: | --- |",
    ]
    for name, median, first, note in rows:
        lines.append(f"| {name} | {median:.2f} ms | {first:.2f} ms | {note} |")
    lines += ["", "Query plans (`EXPLAIN QUERY PLAN`):", ""]
    for name, steps in plans.items():
        lines.append(f"- {name}: " + "; ".join(f"`{step}`" for step in steps))
    lines += [
        "",
        "Search walks FTS5 matches newest first (`ORDER BY rowid DESC`, read straight "
        "off the index) and stops once it has 50 conversations, so a common word costs "
        "no more than a rare one. A prefix of three or more letters is expanded to the "
        "words it stands for (`search_vocab`, at most 64) so the walk still streams; "
        "one- and two-letter prefixes have their own FTS5 prefix index. Snippets are "
        "cut in Python from the 50 rows shown.",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per operation")
    parser.add_argument("--db", type=Path, help="database to use (generated if missing)")
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--docs", type=Path, default=DOCS, help="benchmarks.md to update")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="robotui-bench-"))
    path = args.db or scratch / "history.db"
    try:
        generation = None
        if not path.exists():
            print(f"generating {path} ...", file=sys.stderr)
            generation = generate(path, args.conversations, args.events, args.seed)
        size = sum(
            candidate.stat().st_size
            for candidate in path.parent.glob(path.name + "*")
            if candidate.is_file()
        )
        rows, long_conversation = measure(path, args.runs)
        rows += measure_screen(path, min(args.runs, 7))
        plans = query_plans(path, long_conversation)
        section = report(args, rows, plans, generation, size)
        print(section)
        if not args.no_docs:
            update_section("history", section, args.docs)
            print(f"\nupdated {args.docs}", file=sys.stderr)
        slow = [
            name
            for name, median, _, note in rows[1:]
            if median >= (100.0 if "first frame" in name else TARGET_MS)
        ]
        return 1 if slow else 0
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
        elif args.db is None:
            print(f"kept {path}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

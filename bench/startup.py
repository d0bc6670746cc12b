"""Start-up: process start to first frame of `robotui --demo`, against a minimal Textual app.

    .venv/bin/python bench/startup.py              # measure, update docs
    .venv/bin/python bench/startup.py --runs 4 --no-docs

Both programs run in a real pseudo-terminal of 120×40 (`pty.fork`, the size set
in the child before `exec`), with TERM=xterm-256color, fresh XDG_* directories
and HOME in one temporary directory (so no user settings or history are read),
and `PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring`. The parent reads the
terminal all along, as a terminal would.

"First frame" is the same for both and is seen from the terminal's side: the
clock starts just before `fork` and stops when the terminal has received text
that only the app's first screen shows (the minimal app's one `Static`; robotui's
agent list, prompt and status line all name the default agent). Then ctrl+q.
Textual's own `Ready` event is not used: it is sent after the first layout of
*any* screen, and robotui's default screen is laid out before the chat screen it
pushes is drawn; an app quitting on `Ready` never sends its chat screen at all.

Runs are interleaved (A, B, C, C, B, A, ...) after one warm-up round; the warm-up also
creates robotui's (empty) history database, so the figures are for a warm start
with an existing, empty history.

Peak memory at idle: `robotui --demo` left alone for 3 s after its first frame
(the demo server starts in a thread when the app starts), then `VmHWM` from
`/proc/<pid>/status`; then ctrl+q, and the exit is timed.

Replaces the section between `<!-- bench:startup -->` and `<!-- /bench:startup -->`
in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import platform
import pty
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from report import update_section

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
COLUMNS, ROWS = 120, 40
TARGET_RATIO = 1.3
TARGET_SECONDS = 0.5
TARGET_MIB = 80.0
IDLE_SECONDS = 3.0
COMMAND = ".venv/bin/python bench/startup.py"

# Written by hand from a one-off analysis (instrumented and patched copies of the app
# in the same harness); printed under the figures. Update it when start-up changes.
ANALYSIS = """\
Before and after. At commit 5b01515 `robotui --demo` took 401 ms (minimal app 180 ms,
ratio 2.22; same harness, 12 interleaved rounds): the two start-up workers imported
the history store (~35 ms) and the emulator with uvicorn and Starlette (~60 ms) on the
main thread before the chat screen was laid out, and the chat screen's first drawing,
pushed from `on_mount` inside the batch update Textual holds while the app mounts, was
thrown away. Then: the chat screen became the app's default screen; the store and the
demo server start from `on_ready`, after the first frame, with their imports inside
their threads; the command line registers only the parser of the command it is given
(opening the app imports none of the commands' modules) and checks a URL without
httpx; the agent picker is imported when first opened. At commit ef61221 that gave
243 ms against 168 ms (ratio 1.44, 6 rounds), still over the target.

The last step was the garbage collector. Start-up allocates what lives as long as the
app, yet until the first frame the collector ran about 130 times, once over the whole
heap, for ~28 ms in all (timed with `gc.callbacks`). `robotui` now turns it off before
it imports Textual, and the app turns it back on in `on_ready`, after the first frame,
with the start-up heap frozen (`gc.freeze`, which it already did for streaming). That
took 243 ms to the figures above (~210 ms, ratio ~1.27, within 0.01-0.02 over several
runs); peak memory is unchanged. The same trick saves the minimal app 0-2 ms (the
"for comparison" rows, over several runs): its heap is small and no full collection ran
before its first frame.

What is left over the minimal app (~45 ms, from timing Textual's steps in one run):
robotui's modules (~17 ms: the command line with argparse, platformdirs and tomllib;
the TUI, with the prompt's TextArea ~7 ms); parsing and applying the CSS of 14 widgets
instead of 4 (~13 ms); painting a full screen (~10 ms); layout and the rest (~7 ms)."""

MINIMAL_APP = '''\
"""A minimal Textual app: one Static. The yardstick for robotui's start-up."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Minimal(App):
    def compose(self) -> ComposeResult:
        yield Static("Hello from a minimal Textual app.")


if __name__ == "__main__":
    Minimal().run()
'''

# The same app with the collector off until its first frame, as `robotui` starts: not
# the yardstick of the target, shown beside it so the trick's share is plain.
MINIMAL_APP_GC_OFF = '''\
"""The minimal app, its collector off from the first line until its first frame."""

import gc

gc.disable()

from textual.app import App, ComposeResult
from textual.widgets import Static


class Minimal(App):
    def compose(self) -> ComposeResult:
        yield Static("Hello from a minimal Textual app.")

    def on_ready(self) -> None:
        gc.enable()


if __name__ == "__main__":
    Minimal().run()
'''

# Text that is on the terminal once the first screen has been drawn.
MINIMAL_MARK = "Hello from a minimal Textual app."
ROBOTUI_MARK = "GeneralCodingAgent"


class Terminal:
    """One program in a pseudo-terminal of COLUMNS×ROWS; the parent keeps reading it."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.output = bytearray()
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, become the program
            try:
                size = struct.pack("HHHH", ROWS, COLUMNS, 0, 0)
                fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, size)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.status: int | None = None

    def read_until_text(self, text: str, seconds: float) -> float | None:
        """Read until `text` is on the screen; the moment it arrived, or None."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.5))
            if not ready:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: the child side is closed
                return None
            arrived = time.perf_counter()
            if not data:
                return None
            self.output += data
            if text in self.screen_text():
                return arrived
        return None

    def read(self, seconds: float, until_exit: bool = True) -> bool:
        """Drain the output for up to `seconds`; True if the program has exited."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:  # EIO: the child side is closed
                    data = b""
                if not data and until_exit:
                    return self.wait(5)
                self.output += data
            elif until_exit and self.wait(0):
                return True
        return self.wait(0)

    def wait(self, seconds: float) -> bool:
        """Reap the program if it exits within `seconds`."""
        if self.status is not None:
            return True
        deadline = time.monotonic() + seconds
        while True:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)

    def send(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def close(self) -> None:
        """Make sure the program is gone and the terminal closed."""
        if not self.wait(0):
            os.kill(self.pid, signal.SIGTERM)
            if not self.wait(3):
                os.kill(self.pid, signal.SIGKILL)
                self.wait(5)
        os.close(self.fd)

    def screen_text(self) -> str:
        """The output without escape sequences (good enough to look for a word)."""
        text = self.output.decode("utf-8", "replace")
        return re.sub(r"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|.)", "", text)


def proc_status(pid: int) -> dict[str, str]:
    status = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        status[key] = value.strip()
    return status


def kib(value: str) -> float:
    return float(value.split()[0])


def first_frame(argv: list[str], env: dict[str, str], mark: str) -> float:
    """Seconds from just before `fork` until `mark` is on the terminal; then ctrl+q."""
    terminal = Terminal(argv, env)
    try:
        arrived = terminal.read_until_text(mark, 30)
        if arrived is None:
            tail = terminal.screen_text()[-800:]
            raise RuntimeError(f"{' '.join(argv)}: {mark!r} never appeared; output: {tail}")
        terminal.send(b"\x11")  # ctrl+q
        terminal.read(10)
    finally:
        terminal.close()
    return arrived - terminal.started


def idle_memory(argv: list[str], mark: str, env: dict[str, str]) -> dict[str, float | str]:
    """Wait for the first frame, leave the app idle for IDLE_SECONDS, read its memory, ctrl+q."""
    terminal = Terminal(argv, env)
    try:
        if terminal.read_until_text(mark, 30) is None:
            raise RuntimeError(f"{' '.join(argv)}: no first frame: {terminal.screen_text()[-800:]}")
        if terminal.read(IDLE_SECONDS):
            raise RuntimeError(f"{' '.join(argv)} exited early: {terminal.screen_text()[-800:]}")
        status = proc_status(terminal.pid)
        text = terminal.screen_text()
        pressed = time.monotonic()
        terminal.send(b"\x11")  # ctrl+q
        quit_cleanly = terminal.read(10)
        quit_seconds = time.monotonic() - pressed
    finally:
        terminal.close()
    return {
        "hwm": kib(status["VmHWM"]) / 1024,
        "rss": kib(status["VmRSS"]) / 1024,
        "threads": status.get("Threads", "?"),
        "demo_server_up": "yes" if "demo server 127.0.0.1" in text else "no",
        "quit": f"{quit_seconds:.2f} s" if quit_cleanly else "did not exit",
    }


def environment(scratch: Path) -> dict[str, str]:
    env = {
        "PATH": f"{VENV_BIN}:/usr/bin:/bin",
        "HOME": str(scratch / "home"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "ROBOTUI_NO_OS_CLIPBOARD": "1",
    }
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(scratch / name.lower())
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        Path(env[name]).mkdir(parents=True, exist_ok=True)
    return env


def measure(args: argparse.Namespace, scratch: Path) -> dict[str, object]:
    env = environment(scratch)
    minimal_path = scratch / "minimal_app.py"
    minimal_path.write_text(MINIMAL_APP, encoding="utf-8")
    gc_off_path = scratch / "minimal_app_gc_off.py"
    gc_off_path.write_text(MINIMAL_APP_GC_OFF, encoding="utf-8")
    python = str(VENV_BIN / "python")
    programs = {
        "minimal": ([python, str(minimal_path)], MINIMAL_MARK),
        "robotui": ([str(VENV_BIN / "robotui"), "--demo"], ROBOTUI_MARK),
        "minimal_gc_off": ([python, str(gc_off_path)], MINIMAL_MARK),
    }
    times: dict[str, list[float]] = {name: [] for name in programs}
    ratios: list[float] = []
    order = list(programs)
    for run in range(args.runs + 1):  # round 0 warms the caches and creates the history
        this_round = {}
        for name in order if run % 2 else order[::-1]:
            argv, mark = programs[name]
            this_round[name] = first_frame(argv, env, mark)
            if run:
                times[name].append(this_round[name])
        label = "warm-up" if run == 0 else f"run {run}/{args.runs}"
        print(
            f"  {label}: minimal {this_round['minimal'] * 1000:.0f} ms, "
            f"robotui --demo {this_round['robotui'] * 1000:.0f} ms, "
            f"minimal with the collector off {this_round['minimal_gc_off'] * 1000:.0f} ms",
            file=sys.stderr,
        )
        if run:
            ratios.append(this_round["robotui"] / this_round["minimal"])
    memory = [idle_memory(*programs["robotui"], env) for _ in range(args.memory_runs)]
    minimal_memory = idle_memory(*programs["minimal"], env)
    return {"times": times, "ratios": ratios, "memory": memory, "minimal_memory": minimal_memory}


def report(args: argparse.Namespace, results: dict) -> tuple[str, bool]:
    times, ratios = results["times"], results["ratios"]
    minimal = statistics.median(times["minimal"])
    robotui = statistics.median(times["robotui"])
    gc_off = statistics.median(times["minimal_gc_off"])
    ratio = robotui / minimal
    memory = results["memory"]
    hwm = statistics.median(item["hwm"] for item in memory)
    ratio_ok, time_ok, memory_ok = (
        ratio <= TARGET_RATIO,
        robotui < TARGET_SECONDS,
        hwm <= TARGET_MIB,
    )
    verdict = {True: "pass", False: "FAIL"}
    command = COMMAND + (f" --runs {args.runs}" if args.runs != 12 else "")

    def ms(values: list[float]) -> str:
        return ", ".join(f"{value * 1000:.0f}" for value in values)

    lines = [
        "## Start-up",
        "",
        "What: wall time from process start to the first frame of `robotui --demo`, "
        "against a minimal Textual app (one `Static`) on the same machine; and the "
        "peak memory of `robotui --demo` once idle.",
        "",
        f"How: each program runs in a real pseudo-terminal of {COLUMNS}×{ROWS} "
        "(`pty.fork`; TERM=xterm-256color) with fresh XDG_* directories and HOME in a "
        "temporary directory and the null keyring; the parent reads the terminal "
        "throughout. The clock starts just before `fork` (fork, exec, interpreter, "
        "imports and set-up all count) and stops when the terminal has received text "
        f"only the first screen shows (minimal: its `Static`; robotui: "
        f"`{ROBOTUI_MARK}`, named by the agent list, the prompt and the status line); "
        "then ctrl+q. Textual's `Ready` event is not used as the mark: it follows the "
        "first layout of any screen, and robotui's default screen is laid out before "
        "the chat screen it pushes is drawn (an app quitting on `Ready` never sends its "
        "chat screen at all). Rounds are interleaved (A, B, C, C, B, A, ...) after a "
        "round, which also creates robotui's empty history: a warm start with an "
        f"existing, empty history. Memory: `robotui --demo` idle for {IDLE_SECONDS:.0f} s "
        "after its first frame (its demo server is up by then), then `VmHWM` from "
        "`/proc/<pid>/status`; then ctrl+q. MiB = 2^20 bytes.",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: 2 shared, noisy cores ({platform.machine()}, {os.cpu_count()} CPUs "
        f"visible), Python {platform.python_version()}, {platform.system()}.",
        "",
        f"Targets: robotui at most {TARGET_RATIO}× the minimal app and under "
        f"{TARGET_SECONDS} s median; peak RSS at idle at most {TARGET_MIB:.0f} MiB.",
        "",
        "| figure | median | runs (ms) |",
        "| --- | ---: | --- |",
        f"| minimal Textual app, start → first frame | {minimal * 1000:.0f} ms | "
        f"{ms(times['minimal'])} |",
        f"| `robotui --demo`, start → first frame | **{robotui * 1000:.0f} ms** "
        f"({verdict[time_ok]}, target < {TARGET_SECONDS * 1000:.0f} ms) | "
        f"{ms(times['robotui'])} |",
        f"| **ratio robotui / minimal** | **{ratio:.2f}** ({verdict[ratio_ok]}, target ≤ "
        f"{TARGET_RATIO}) | per round: {', '.join(f'{value:.2f}' for value in ratios)}; "
        f"median of rounds {statistics.median(ratios):.2f} |",
        f"| for comparison: the minimal app with the collector off until its first "
        f"frame, as robotui starts | {gc_off * 1000:.0f} ms | {ms(times['minimal_gc_off'])} |",
        f"| for comparison: robotui / that | {robotui / gc_off:.2f} | no target |",
        f"| `robotui --demo`, peak RSS (`VmHWM`) at idle | **{hwm:.1f} MiB** "
        f"({verdict[memory_ok]}, target ≤ {TARGET_MIB:.0f} MiB) | "
        + ", ".join(f"{item['hwm']:.1f}" for item in memory)
        + " MiB; RSS now "
        + ", ".join(f"{item['rss']:.1f}" for item in memory)
        + f" MiB; threads {', '.join(str(item['threads']) for item in memory)}; "
        f"demo server up: {', '.join(str(item['demo_server_up']) for item in memory)} |",
        f"| minimal app, peak RSS (`VmHWM`) at idle | "
        f"{results['minimal_memory']['hwm']:.1f} MiB | for comparison |",
        f"| `robotui --demo`, ctrl+q at idle → process gone | "
        f"{', '.join(str(item['quit']) for item in memory)} | |",
    ]
    lines += ["", ANALYSIS]
    return "\n".join(lines), ratio_ok and time_ok and memory_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=12, help="timed runs of each program")
    parser.add_argument("--memory-runs", type=int, default=3, help="idle-memory runs")
    parser.add_argument("--docs", type=Path, default=None, help="benchmarks.md to update")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="robotui-bench-startup-") as scratch:
        results = measure(args, Path(scratch))
    section, passed = report(args, results)
    print(section)
    if not args.no_docs:
        if args.docs:
            update_section("startup", section, args.docs)
        else:
            update_section("startup", section)
        print("\nupdated docs/benchmarks.md", file=sys.stderr)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

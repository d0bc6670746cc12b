"""Run every benchmark script in bench/ (what `just bench` does).

    .venv/bin/python bench/run_all.py              # all of them, full size; update docs
    .venv/bin/python bench/run_all.py --quick      # smaller and shorter; docs untouched
    .venv/bin/python bench/run_all.py startup client_throughput   # only these

A benchmark script is a `bench/*.py` with a `__main__` block that writes a section
of docs/benchmarks.md; the helpers beside them (report.py, workload.py,
loopback.py) are not run. Each script writes its
own section of docs/benchmarks.md. They run one after the other, never at the
same time, since they time things on the same two cores; the longest last.

`--quick` is for checking that the scripts work: it passes each one its quick
options and `--no-docs`, so figures in docs/benchmarks.md only ever come from
full runs. Exit status 1 if any script failed or missed its target.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

# Known scripts in the order they run (quick ones first); others follow by name.
ORDER = ["client_throughput", "startup", "rendering", "history_scale"]
QUICK = {
    "client_throughput": ["--runs", "3"],
    "startup": ["--runs", "4", "--memory-runs", "1"],
    "rendering": ["--quick", "--runs", "1"],
    "history_scale": ["--conversations", "1000", "--events", "100000", "--runs", "5"],
}


def scripts() -> list[Path]:
    """The benchmark scripts present, in running order."""
    found = []
    for path in BENCH.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        runnable = 'if __name__ == "__main__":' in text
        writes_docs = "update_section(" in text or "<!-- bench:" in text
        if runnable and writes_docs and path != Path(__file__).resolve():
            found.append(path)
    rank = {name: index for index, name in enumerate(ORDER)}
    return sorted(found, key=lambda path: (rank.get(path.stem, len(ORDER)), path.stem))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only these scripts (file stems)")
    parser.add_argument("--quick", action="store_true", help="small sizes, docs untouched")
    parser.add_argument("--list", action="store_true", help="list the scripts and exit")
    args = parser.parse_args()

    chosen = scripts()
    if args.names:
        unknown = set(args.names) - {path.stem for path in chosen}
        if unknown:
            parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
        chosen = [path for path in chosen if path.stem in args.names]
    if args.list:
        print("\n".join(path.stem for path in chosen))
        return 0

    results: list[tuple[str, int, float]] = []
    for path in chosen:
        command = [sys.executable, str(path)]
        if args.quick:
            command += [*QUICK.get(path.stem, ["--quick"]), "--no-docs"]
        print(f"\n=== {path.stem}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
        started = time.monotonic()
        code = subprocess.call(command, cwd=ROOT)
        results.append((path.stem, code, time.monotonic() - started))

    print("\n=== summary", file=sys.stderr)
    for name, code, seconds in results:
        verdict = "ok" if code == 0 else f"exit {code} (failed or missed its target)"
        print(f"  {name:20s} {seconds:6.0f} s  {verdict}", file=sys.stderr)
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())

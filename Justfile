# robotui tasks. `just` is a convenience: every recipe is a plain command.

venv := ".venv/bin"

# Install robotui and its development tools into .venv
install:
    python3 -m venv .venv
    {{venv}}/pip install -q -e '.[dev]'

# Open the app (pass e.g. --base-url URL)
run *ARGS:
    {{venv}}/robotui {{ARGS}}

# Ask the built-in demo server (no account, no network)
demo PROMPT="Write a function in Go that reverses a string":
    {{venv}}/robotui ask --demo "{{PROMPT}}"

# The local Robocoders emulator on port 8765
emulator *ARGS:
    {{venv}}/robotui emulator {{ARGS}}

# The test suite, as CI runs it
test *ARGS:
    {{venv}}/python -m pytest -q {{ARGS}}

# Lint and format check
lint:
    {{venv}}/ruff check robotui tests bench
    {{venv}}/ruff format --check robotui tests bench

# Regenerate the SVG screenshots in screenshots/ from the built-in emulator
screenshots:
    {{venv}}/python screenshots/make.py

# Benchmarks: each script rewrites its own section of docs/benchmarks.md (--quick: smoke run, docs untouched)
bench *ARGS:
    {{venv}}/python bench/run_all.py {{ARGS}}

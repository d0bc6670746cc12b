"""`python -m robotui`."""

from robotui.cli import run

run()

"""`robotui ask`, `login`, `logout` (in progress)."""

from __future__ import annotations

import argparse


def add_parsers(subcommands: argparse._SubParsersAction) -> None:
    """Register `ask`, `login` and `logout`."""

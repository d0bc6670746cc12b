"""`robotui emulator` — placeholder until the emulator lands."""

from __future__ import annotations

import argparse


def add_parser(subcommands: argparse._SubParsersAction) -> None:
    """Register `emulator` on the top-level parser."""

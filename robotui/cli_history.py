"""`robotui history ...` — placeholder until the history store lands."""

from __future__ import annotations

import argparse


def add_parser(subcommands: argparse._SubParsersAction) -> None:
    """Register `history` and its subcommands on the top-level parser."""

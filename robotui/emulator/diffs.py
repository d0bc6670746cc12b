"""Diffs as OpenHands shows them: the `edit` observation's unified diff, and the
line range an `edit` action replaces."""

from __future__ import annotations

import difflib

__all__ = ["changed_region", "unified_diff"]


def unified_diff(path: str, old: str, new: str) -> str:
    """The diff OpenHands puts in an `edit` observation: no dates, no final newline."""
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), fromfile=path, tofile=path, lineterm=""
    )
    return "\n".join(lines)


def changed_region(old: str, new: str) -> tuple[int, int, str]:
    """1-based `start`..`end` lines of `old` that the edit replaces, and their new text."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    opcodes = [
        code
        for code in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes()
        if code[0] != "equal"
    ]
    if not opcodes:
        return 1, -1, new
    first, last = opcodes[0], opcodes[-1]
    old_start, old_end = first[1], last[2]
    new_start, new_end = first[3], last[4]
    if old_start == old_end and old_start > 0:
        # A pure insertion replaces the line before it with that line plus the new ones.
        old_start -= 1
        new_start -= 1
    replacement = "\n".join(new_lines[new_start:new_end])
    if replacement:
        replacement += "\n"
    return old_start + 1, old_end, replacement

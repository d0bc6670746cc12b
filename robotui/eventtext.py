"""Text derived from events, the same wherever they are shown: the app, `robotui
ask` and Markdown exports."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping


def strip_echo(output: str, command: str) -> str:
    """A command's terminal output without the command it echoes on its first line
    (OpenHands' shell does that; the command is shown already)."""
    output = output.replace("\r\n", "\n")
    first, _, rest = output.partition("\n")
    return rest if command and first.strip() == command.strip() else output


def outputs_text(outputs: object) -> str:
    """What a finish or a delegation returned: its `content`, else its JSON, else ""."""
    if isinstance(outputs, Mapping):
        content = outputs.get("content")
        if isinstance(content, str):
            return content
        if outputs:
            return json.dumps(dict(outputs), ensure_ascii=False)
    return ""


def unified_diff(path: str, old: str | None, new: str) -> str:
    """A unified diff of a file's change (`old` None: a new file)."""
    before = [] if old is None else old.splitlines(keepends=True)
    lines = difflib.unified_diff(
        before, new.splitlines(keepends=True), "/dev/null" if old is None else path, path
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines).rstrip("\n")

"""Copying: the terminal's clipboard (OSC 52, which works over SSH and in tmux)
and, where one exists, the desktop's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# Desktop clipboard commands, tried in order; each needs its display to be there.
_COMMANDS: list[tuple[list[str], str | None]] = [
    (["pbcopy"], None),
    (["wl-copy"], "WAYLAND_DISPLAY"),
    (["xclip", "-selection", "clipboard"], "DISPLAY"),
    (["xsel", "--clipboard", "--input"], "DISPLAY"),
    (["clip.exe"], None),
]


def desktop_clipboard_command() -> list[str] | None:
    """The command that puts text on the desktop clipboard here, if any."""
    if os.environ.get("ROBOTUI_NO_OS_CLIPBOARD"):
        return None
    for command, needs in _COMMANDS:
        if command[0] == "pbcopy" and sys.platform != "darwin":
            continue
        if needs and not os.environ.get(needs):
            continue
        if shutil.which(command[0]):
            return command
    return None


def copy_to_desktop(text: str) -> str | None:
    """Put `text` on the desktop clipboard; returns the command used, or None.

    Blocking (it runs a program): call it from a thread.
    """
    command = desktop_clipboard_command()
    if command is None:
        return None
    try:
        subprocess.run(
            command,
            input=text.encode(),
            timeout=2,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return command[0]

"""Who is writing a turn, and whether that writer is still alive.

A turn records its writer's pid, host name and a mark (`boot id:start time` on
Linux). At open, a 'running' turn whose writer is gone is marked 'interrupted'.
The mark guards against pid reuse: a different process that happens to have the
same pid after a reboot or a wrap-around has a different boot id or start time.
"""

from __future__ import annotations

import functools
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class WriterMark:
    """Identifies one process on one machine over its lifetime."""

    pid: int
    host: str
    mark: str


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name, or None if unavailable."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may itself contain spaces or ')'.
    return text[text.rfind(")") + 2 :].split()


def _start_time(pid: int) -> str:
    fields = _stat_fields(pid)
    # Field 22 of stat (starttime); fields[0] here is field 3 (state).
    return fields[19] if fields is not None and len(fields) > 19 else ""


@functools.cache
def current_writer() -> WriterMark:
    """This process's mark (computed once: it never changes for a process)."""
    pid = os.getpid()
    boot_id = _boot_id()
    start = _start_time(pid)
    return WriterMark(pid=pid, host=socket.gethostname(), mark=f"{boot_id}:{start}")


def writer_alive(pid: int | None, host: str | None, mark: str | None) -> bool:
    """Whether the process that began a turn may still be writing it.

    Unsure means alive: a turn is only marked interrupted when its writer is
    certainly gone. A writer on another host cannot be checked, so it counts as alive.
    """
    if pid is None:
        return False
    me = current_writer()
    if host != me.host:
        return True
    boot_id, _, start = (mark or "").partition(":")
    my_boot_id = me.mark.partition(":")[0]
    if boot_id and my_boot_id and boot_id != my_boot_id:
        return False  # the machine has rebooted since
    if pid == me.pid:
        return not start or start == me.mark.partition(":")[2]
    if sys.platform == "win32":
        return True  # os.kill(pid, 0) would terminate the process there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else: decided by the start time below
    except OSError:
        return True
    fields = _stat_fields(pid)
    if fields is None:
        return True
    if fields[0] in ("Z", "X"):
        return False  # a zombie writes nothing
    return not start or len(fields) <= 19 or fields[19] == start

"""The faults the emulator can inject, and the `/fault NAME` prompt prefix.

Standard library only: `robotui.emulator` imports this at startup to validate
`--faults`, long before the server itself is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "FAULTS",
    "STATUS_FAULTS",
    "FaultRequest",
    "parse_fault_names",
    "split_fault_prefix",
]

FAULTS: tuple[str, ...] = (
    "401",
    "422",
    "429",
    "500",
    "503",
    "drop",
    "malformed",
    "bad-utf8",
    "split",
    "keepalive",
    "slow",
    "huge",
    "always-wait",
)

# Faults answered with an error status before any event is streamed.
STATUS_FAULTS = frozenset({"401", "422", "429", "500", "503"})

# How long a client is asked to wait after a 429 or a 503, in seconds.
RETRY_AFTER_SECONDS = 2

_PREFIX = re.compile(r"\A[ \t]*/fault(?:[ \t]+(?P<names>[^\n]*))?[ \t]*(?:\r?\n|\Z)")


class UnknownFaultError(ValueError):
    """A fault name that is not in `FAULTS`; `name` is the first unknown one."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown fault {name!r} (known: {', '.join(FAULTS)})")


def parse_fault_names(text: str) -> frozenset[str]:
    """`"drop, split"` -> `{"drop", "split"}`; raises `UnknownFaultError` on a bad name."""
    names = frozenset(part for part in re.split(r"[,\s]+", text.strip().lower()) if part)
    for name in sorted(names):
        if name not in FAULTS:
            raise UnknownFaultError(name)
    return names


@dataclass(frozen=True, slots=True)
class FaultRequest:
    """A prompt with its `/fault` first line taken off."""

    faults: frozenset[str]
    prompt: str


def split_fault_prefix(prompt: str) -> FaultRequest:
    """Take a first line `/fault NAME[,NAME...]` off `prompt`.

    The rest of the prompt is answered as usual. Raises `UnknownFaultError` for a
    name that is not a fault, and for a bare `/fault` with no name at all.
    """
    match = _PREFIX.match(prompt)
    if match is None:
        return FaultRequest(frozenset(), prompt)
    names = parse_fault_names(match.group("names") or "")
    if not names:
        raise UnknownFaultError("")
    return FaultRequest(names, prompt[match.end() :].strip())

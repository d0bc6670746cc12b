"""`EmulatorConfig`: everything that shapes one emulator instance."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from robotui.emulator.faults import FAULTS, UnknownFaultError

__all__ = ["EmulatorConfig"]


@dataclass(frozen=True)
class EmulatorConfig:
    """How an emulator behaves.

    `faults` apply to every request (see `FAULTS`); `token_ttl` is in seconds;
    `speed` 1 paces a typical turn over 1–3 s, 0 sends without delays, larger is
    faster; `seed` makes tokens, session ids and the agents' work reproducible.
    `clock` (seconds since the epoch) decides token expiry and event timestamps:
    tests pass a clock they can move instead of sleeping.
    """

    faults: frozenset[str] = frozenset()
    token_ttl: float = 3600.0
    speed: float = 1.0
    seed: int = 0
    clock: Callable[[], float] = field(default=time.time, compare=False, repr=False)

    def __post_init__(self) -> None:
        faults: Iterable[str] = self.faults
        if isinstance(faults, str):
            faults = faults.split(",")
        names = frozenset(name.strip().lower() for name in faults if name.strip())
        for name in sorted(names):
            if name not in FAULTS:
                raise UnknownFaultError(name)
        object.__setattr__(self, "faults", names)
        if self.token_ttl <= 0:
            raise ValueError("token_ttl must be > 0 seconds")
        if self.speed < 0:
            raise ValueError("speed must be >= 0")

"""When does the headless app put a frame on screen? For first-paint timings.

`pilot.pause()` waits until the process looks idle by comparing CPU and wall time,
which adds tens of milliseconds of its own; a benchmark instead waits for its
condition and then for the first frame the app hands to its driver after it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class Frames:
    """Records when the app hands a frame to its (headless) driver."""

    def __init__(self, app) -> None:
        self.times: list[float] = []
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            self.times.append(time.perf_counter())

        app._display = display

    def first_after(self, moment: float) -> float | None:
        for frame in self.times:
            if frame >= moment:
                return frame
        return None

    async def next_after(self, moment: float, timeout: float = 30.0) -> float:
        """The first frame at or after `moment`, waiting for it if need be."""
        await wait_for(lambda: self.first_after(moment) is not None, timeout)
        frame = self.first_after(moment)
        assert frame is not None
        return frame


async def wait_for(predicate: Callable[[], object], timeout: float = 600.0) -> None:
    """Poll `predicate` every millisecond (yielding to the app) until it holds."""
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark step timed out")
        await asyncio.sleep(0.001)

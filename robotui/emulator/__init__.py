"""The local Robocoders server: the protocol, scripted agents, fault injection.

    from robotui.emulator import EmulatorConfig, start_in_thread

    with start_in_thread(EmulatorConfig(speed=0, seed=7)) as emulator:
        ...  # talk to emulator.base_url

Importing this package stays cheap: Starlette and uvicorn are loaded only when
an app is created or a server started (`create_app`, `start_in_thread`, `serve`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from robotui.emulator.config import EmulatorConfig
from robotui.emulator.faults import FAULTS

if TYPE_CHECKING:
    from robotui.emulator.app import create_app
    from robotui.emulator.server import RunningEmulator, serve, start_in_thread

__all__ = [
    "FAULTS",
    "EmulatorConfig",
    "RunningEmulator",
    "create_app",
    "serve",
    "start_in_thread",
]

_LAZY = {
    "create_app": "robotui.emulator.app",
    "RunningEmulator": "robotui.emulator.server",
    "serve": "robotui.emulator.server",
    "start_in_thread": "robotui.emulator.server",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value

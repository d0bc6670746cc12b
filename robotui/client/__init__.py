"""The Robocoders client: pure asyncio + httpx, no Textual.

    from robotui.client import RobocodersClient

Names are loaded on first use, so importing `robotui.client.errors` or
`robotui.client.events` does not pull in httpx and keyring (app start-up time).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from robotui.client.api import AGENTS, DEFAULT_AGENT, TOKEN_ENV, ChatStream, RobocodersClient
    from robotui.client.credentials import Credentials, CredentialStore, MemoryCredentials
    from robotui.client.errors import (
        AuthenticationError,
        NetworkError,
        ProtocolError,
        RateLimitError,
        RobocodersError,
        ServerError,
        ValidationError,
    )
    from robotui.client.events import Event, parse_event, parse_line

_WHERE = {
    "AGENTS": "api",
    "DEFAULT_AGENT": "api",
    "TOKEN_ENV": "api",
    "ChatStream": "api",
    "RobocodersClient": "api",
    "CredentialStore": "credentials",
    "Credentials": "credentials",
    "MemoryCredentials": "credentials",
    "AuthenticationError": "errors",
    "NetworkError": "errors",
    "ProtocolError": "errors",
    "RateLimitError": "errors",
    "RobocodersError": "errors",
    "ServerError": "errors",
    "ValidationError": "errors",
    "Event": "events",
    "parse_event": "events",
    "parse_line": "events",
}

__all__ = [
    "AGENTS",
    "DEFAULT_AGENT",
    "TOKEN_ENV",
    "AuthenticationError",
    "ChatStream",
    "CredentialStore",
    "Credentials",
    "Event",
    "MemoryCredentials",
    "NetworkError",
    "ProtocolError",
    "RateLimitError",
    "RobocodersClient",
    "RobocodersError",
    "ServerError",
    "ValidationError",
    "parse_event",
    "parse_line",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"robotui.client.{module}"), name)
    globals()[name] = value
    return value

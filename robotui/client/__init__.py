"""The Robocoders client: pure asyncio + httpx, no Textual.

from robotui.client import RobocodersClient
"""

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

"""`RobocodersClient`: tokens, sessions, the chat stream and auto-continue.

All retries and re-authentication live here. A caller asks for `chat(...)` and
gets typed events; an expired token, a forgotten session and the service's
per-request resource limit are handled on the way, and show up only as notices
(`SessionRenewed`, `AutoContinued`) in the stream.
"""

from __future__ import annotations

import asyncio
import os
from types import TracebackType
from typing import Any

import httpx

from robotui import __version__
from robotui.client.credentials import Credentials, CredentialStore
from robotui.client.errors import (
    AuthenticationError,
    NetworkError,
)
from robotui.client.http import (
    Unauthorized,
    auth_failed,
    bearer,
    detail_text,
    json_field,
    network_error,
    raise_for_status,
)
from robotui.client.stream import ChatStream
from robotui.config import AGENTS, DEFAULT_BASE_URL, normalize_base_url

__all__ = [
    "AGENTS",
    "DEFAULT_AGENT",
    "DEFAULT_TIMEOUT",
    "TOKEN_ENV",
    "ChatStream",
    "RobocodersClient",
]

DEFAULT_AGENT = AGENTS[0]
TOKEN_ENV = "ROBOCODERS_API_TOKEN"

# An agent may think for minutes between events: the read timeout is the longest
# silence tolerated inside a stream, not the length of a turn.
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=300.0, write=30.0, pool=10.0)


class RobocodersClient:
    """An async client for one Robocoders server, holding one `httpx.AsyncClient`.

    Use it as an async context manager::

        async with RobocodersClient("http://127.0.0.1:8765") as client:
            async for event in client.chat("Write hello world in Go"):
                print(event.kind, event.text)

    The token comes from, in order: `token=`, `ROBOCODERS_API_TOKEN`, the
    credential store, and finally `GET /auth` (then saved in the store). Tokens
    from `token=` or the environment are never stored; `environment_token=False`
    ignores the environment (as `robotui login` does).
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        proxy: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        token: str | None = None,
        credentials: CredentialStore | None = None,
        retries: int = 2,
        backoff: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
        environment_token: bool = True,
    ) -> None:
        self.base_url = normalize_base_url(base_url)
        parsed = httpx.URL(self.base_url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.credentials: CredentialStore = (
            credentials if credentials is not None else Credentials()
        )
        self.retries = retries
        self.backoff = backoff
        if token:
            self._token: str | None = token
            self.token_source = "argument"
        elif environment_token and os.environ.get(TOKEN_ENV, "").strip():
            self._token = os.environ[TOKEN_ENV].strip()
            self.token_source = "environment"
        else:
            self._token = None
            self.token_source = "none"
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            proxy=proxy,
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": f"robotui/{__version__}"},
            trust_env=True,
        )

    async def __aenter__(self) -> RobocodersClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    @property
    def http(self) -> httpx.AsyncClient:
        """The underlying `httpx.AsyncClient` (for inspection and tests)."""
        return self._http

    @property
    def token_is_fixed(self) -> bool:
        """True when the token came from `token=` or the environment: never refreshed."""
        return self.token_source in ("argument", "environment")

    # ------------------------------------------------------------- tokens

    async def fetch_token(self) -> str:
        """GET /auth and return the text of its `<pre id="token">` (not stored)."""
        response = await self._request_with_retries("GET", "/auth", what="GET /auth")
        if response.status_code != 200:
            raise AuthenticationError(
                f"no token: GET /auth answered {response.status_code}",
                "the service may be down; try again later, or set ROBOCODERS_API_TOKEN",
            )
        # Imported here: BeautifulSoup costs ~100 ms and most runs reuse a stored token.
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(response.text, "html.parser")
        element = soup.find("pre", id="token")
        token = element.get_text().strip() if element is not None else ""
        if not token:
            raise AuthenticationError(
                'no token: the page from GET /auth has no <pre id="token">',
                "is the base URL a Robocoders server? or set ROBOCODERS_API_TOKEN",
            )
        return token

    async def access_token(self) -> str:
        """The token to use now: cached, stored, or fetched from /auth and stored."""
        if self._token:
            return self._token
        stored = self.credentials.get_token(self.base_url)
        if stored:
            self._token, self.token_source = stored, "stored"
            return stored
        token = await self.fetch_token()
        self.credentials.save_token(self.base_url, token)
        self._token, self.token_source = token, "fetched"
        return token

    async def login(self, token: str | None = None) -> str:
        """Store `token`, or one fetched from /auth, for this server; returns it."""
        token = token.strip() if token else await self.fetch_token()
        self.credentials.drop_sessions(self.base_url)
        self.credentials.save_token(self.base_url, token)
        self._token, self.token_source = token, "stored"
        return token

    def logout(self) -> None:
        """Forget this server's stored token and every session cached for it."""
        self.credentials.delete_token(self.base_url)
        self.credentials.drop_sessions(self.base_url)
        if not self.token_is_fixed:
            self._token, self.token_source = None, "none"

    async def _replace_rejected_token(self, rejected: str, detail: str) -> str:
        """After a 401: forget `rejected` and its sessions, and get a new token."""
        if self.token_is_fixed:
            where = "ROBOCODERS_API_TOKEN" if self.token_source == "environment" else "token="
            raise AuthenticationError(
                f"the server rejected the token from {where} ({detail})",
                f"set a valid token in {where}, or unset it to get one automatically",
            )
        self.credentials.delete_token(self.base_url)
        self.credentials.drop_sessions(self.base_url, rejected)
        self._token = None
        return await self.access_token()

    # ----------------------------------------------------------- sessions

    async def create_session(self, token: str | None = None) -> str:
        """GET /create-session and return the new session id (`sid`).

        Without `token`, uses `access_token()` and, on a 401, replaces the token
        once, transparently.
        """
        if token is not None:
            try:
                return await self._create_session_with(token)
            except Unauthorized as rejected:
                raise auth_failed(rejected.detail) from None
        token = await self.access_token()
        try:
            return await self._create_session_with(token)
        except Unauthorized as rejected:
            token = await self._replace_rejected_token(token, rejected.detail)
        try:
            return await self._create_session_with(token)
        except Unauthorized as rejected:
            raise auth_failed(rejected.detail) from None

    async def _create_session_with(self, token: str) -> str:
        response = await self._request_with_retries(
            "GET", "/create-session", what="GET /create-session", headers=bearer(token)
        )
        if response.status_code == 401:
            raise Unauthorized(detail_text(response))
        raise_for_status(response)
        session_id = json_field(response, "sid")
        return session_id

    async def get_session_code(self, session_id: str, github_username: str) -> str:
        """POST /get-session-code: the URL of a repository holding the session's code."""
        token = await self.access_token()
        response = await self._request(
            "POST",
            "/get-session-code",
            what="POST /get-session-code",
            headers=bearer(token),
            json={"sid": session_id, "github_username": github_username},
        )
        if response.status_code == 401:
            # The session belonged to this token; a new token cannot reach it.
            detail = detail_text(response)
            if not self.token_is_fixed:
                self.credentials.delete_token(self.base_url)
                self.credentials.drop_sessions(self.base_url, token)
                self._token = None
            raise auth_failed(detail)
        raise_for_status(response)
        return json_field(response, "repo_url")

    # --------------------------------------------------------------- chat

    def chat(
        self,
        prompt: str,
        *,
        agent: str = DEFAULT_AGENT,
        session_id: str | None = None,
        conversation_id: str | None = None,
        auto_continue: int = 3,
    ) -> ChatStream:
        """Send `prompt` and stream the agent's work as typed events.

        The session is, in order: `session_id`; the one cached for
        `conversation_id`; a new one (cached for `conversation_id` if given).
        After the turn, `stream.session_id` is the session actually used.
        `auto_continue` bounds the automatic `continue` prompts (0: none).
        """
        if auto_continue < 0:
            raise ValueError("auto_continue must be >= 0")
        return ChatStream(
            self,
            prompt,
            agent=agent,
            session_id=session_id,
            conversation_id=conversation_id,
            auto_continue=auto_continue,
        )

    # ------------------------------------------------------------ HTTP

    async def _request(self, method: str, path: str, *, what: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise network_error(error, self.base_url, what) from None

    async def _request_with_retries(
        self, method: str, path: str, *, what: str, **kwargs: Any
    ) -> httpx.Response:
        """For idempotent requests: retry 5xx and network errors with backoff."""
        attempt = 0
        while True:
            try:
                response = await self._request(method, path, what=what, **kwargs)
            except NetworkError:
                if attempt >= self.retries:
                    raise
            else:
                if response.status_code < 500 or attempt >= self.retries:
                    return response
            await asyncio.sleep(self.backoff * 2**attempt)
            attempt += 1

"""`RobocodersClient`: tokens, sessions, the chat stream and auto-continue.

All retries and re-authentication live here. A caller asks for `chat(...)` and
gets typed events; an expired token, a forgotten session and the service's
per-request resource limit are handled on the way, and show up only as notices
(`SessionRenewed`, `AutoContinued`) in the stream.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import time
from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import Any

import httpx

from robotui import __version__
from robotui.client.credentials import Credentials, CredentialStore
from robotui.client.errors import (
    AuthenticationError,
    NetworkError,
    ProtocolError,
    RateLimitError,
    RobocodersError,
    ServerError,
    ValidationError,
)
from robotui.client.events import (
    AgentMessage,
    AutoContinued,
    Event,
    InvalidLine,
    SessionRenewed,
    parse_line,
)
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
CONTINUE_PROMPT = "continue"

# An agent may think for minutes between events: the read timeout is the longest
# silence tolerated inside a stream, not the length of a turn.
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=300.0, write=30.0, pool=10.0)

# A single line beyond this is not an event we could show; it is skipped, counted.
MAX_LINE_BYTES = 64 * 1024 * 1024


class _Unauthorized(Exception):
    """The server answered 401; the caller decides whether to refresh and retry."""

    def __init__(self, detail: str) -> None:
        self.detail = detail


class _SessionGone(Exception):
    """The server no longer knows the session id it was given."""

    def __init__(self, error: RobocodersError) -> None:
        self.error = error


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
            except _Unauthorized as rejected:
                raise _auth_failed(rejected.detail) from None
        token = await self.access_token()
        try:
            return await self._create_session_with(token)
        except _Unauthorized as rejected:
            token = await self._replace_rejected_token(token, rejected.detail)
        try:
            return await self._create_session_with(token)
        except _Unauthorized as rejected:
            raise _auth_failed(rejected.detail) from None

    async def _create_session_with(self, token: str) -> str:
        response = await self._request_with_retries(
            "GET", "/create-session", what="GET /create-session", headers=_bearer(token)
        )
        if response.status_code == 401:
            raise _Unauthorized(_detail_text(response))
        _raise_for_status(response)
        session_id = _json_field(response, "sid")
        return session_id

    async def get_session_code(self, session_id: str, github_username: str) -> str:
        """POST /get-session-code: the URL of a repository holding the session's code."""
        token = await self.access_token()
        response = await self._request(
            "POST",
            "/get-session-code",
            what="POST /get-session-code",
            headers=_bearer(token),
            json={"sid": session_id, "github_username": github_username},
        )
        if response.status_code == 401:
            # The session belonged to this token; a new token cannot reach it.
            detail = _detail_text(response)
            if not self.token_is_fixed:
                self.credentials.delete_token(self.base_url)
                self.credentials.drop_sessions(self.base_url, token)
                self._token = None
            raise _auth_failed(detail)
        _raise_for_status(response)
        return _json_field(response, "repo_url")

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
            raise _network_error(error, self.base_url, what) from None

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


class ChatStream:
    """The events of one prompt, including any automatic continues.

    Async-iterate it once. Afterwards (or during) it tells:
    `session_id`, `invalid_lines` (skipped, not JSON objects), `auto_continues`,
    and `waiting_for_user` (the turn ended with the agent asking for input).
    `aclose()` (or leaving `async with`) closes the network stream.
    """

    def __init__(
        self,
        client: RobocodersClient,
        prompt: str,
        *,
        agent: str,
        session_id: str | None,
        conversation_id: str | None,
        auto_continue: int,
    ) -> None:
        self.client = client
        self.prompt = prompt
        self.agent = agent
        self.session_id = session_id
        self.conversation_id = conversation_id
        self.auto_continue = auto_continue
        self.invalid_lines = 0
        self.auto_continues = 0
        self.waiting_for_user = False
        self.events_received = 0
        self._iterator: AsyncIterator[Event] | None = None

    def __aiter__(self) -> AsyncIterator[Event]:
        if self._iterator is None:
            self._iterator = self._run()
        return self._iterator

    async def __aenter__(self) -> ChatStream:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop streaming and close the connection; events received stay received."""
        if self._iterator is not None:
            await self._iterator.aclose()  # type: ignore[attr-defined]

    async def _run(self) -> AsyncIterator[Event]:
        client = self.client
        token = await client.access_token()
        token_replaced = session_replaced = False
        try:
            session_id, is_new = await self._session(token)
        except _Unauthorized as rejected:
            # A stored token can be stale before any chat: renew it here too, once.
            token_replaced = True
            token = await client._replace_rejected_token(token, rejected.detail)
            session_id, is_new = await self._fresh_session(token), True
        prompt = self.prompt
        while True:
            try:
                waiting = False
                async for event in self._stream_once(token, session_id, prompt):
                    if (
                        isinstance(event, AgentMessage)
                        and event.wait_for_response
                        and not event.from_user
                    ):
                        waiting = True
                    yield event
            except _Unauthorized as rejected:
                if token_replaced:
                    raise _auth_failed(rejected.detail) from None
                token_replaced = True
                token = await client._replace_rejected_token(token, rejected.detail)
                old_session_id = session_id
                session_id = await self._fresh_session(token)
                if not is_new:
                    yield SessionRenewed.create(
                        old_session_id, session_id, "the token expired and was renewed"
                    )
                is_new = True
                continue
            except _SessionGone as gone:
                if session_replaced or is_new:
                    raise gone.error from None
                session_replaced = True
                old_session_id = session_id
                session_id = await self._fresh_session(token)
                yield SessionRenewed.create(
                    old_session_id, session_id, "the server no longer knows this session"
                )
                is_new = True
                continue
            self.waiting_for_user = waiting
            if waiting and self.auto_continues < self.auto_continue:
                self.auto_continues += 1
                yield AutoContinued.create(self.auto_continues, self.auto_continue)
                prompt = CONTINUE_PROMPT
                continue
            return

    async def _session(self, token: str) -> tuple[str, bool]:
        """The session to use and whether it was made just now."""
        if self.session_id:
            return self.session_id, False
        if self.conversation_id:
            cached = self.client.credentials.get_session(
                self.client.base_url, self.conversation_id, token
            )
            if cached:
                self.session_id = cached
                return cached, False
        return await self._new_session(token), True

    async def _fresh_session(self, token: str) -> str:
        """A new session with a token just renewed: a 401 now is final."""
        try:
            return await self._new_session(token)
        except _Unauthorized as rejected:
            raise _auth_failed(rejected.detail) from None

    async def _new_session(self, token: str) -> str:
        """Create a session (raising `_Unauthorized` on a 401) and remember it."""
        client = self.client
        session_id = await client._create_session_with(token)
        if self.conversation_id:
            client.credentials.save_session(
                client.base_url, self.conversation_id, session_id, token
            )
        self.session_id = session_id
        return session_id

    async def _stream_once(self, token: str, session_id: str, prompt: str) -> AsyncIterator[Event]:
        client = self.client
        body = {"sid": session_id, "prompt": prompt, "agent": self.agent}
        request = client._http.build_request("POST", "/chat", json=body, headers=_bearer(token))
        try:
            response = await client._http.send(request, stream=True)
        except httpx.HTTPError as error:
            raise _network_error(error, client.base_url, "POST /chat") from None
        try:
            if response.status_code != 200:
                await response.aread()
                if response.status_code == 401:
                    raise _Unauthorized(_detail_text(response))
                try:
                    _raise_for_status(response)
                except ValidationError as error:
                    if _names_session(response):
                        raise _SessionGone(error) from None
                    raise
            pending: list[bytes] = []
            pending_size = 0
            discarding = False  # inside a line over MAX_LINE_BYTES: drop it to its end
            try:
                async for chunk in response.aiter_bytes():
                    parts = chunk.split(b"\n")
                    if len(parts) == 1:
                        if not discarding:
                            pending.append(chunk)
                            pending_size += len(chunk)
                            if pending_size > MAX_LINE_BYTES:
                                pending.clear()
                                pending_size = 0
                                discarding = True
                                self.invalid_lines += 1
                        continue
                    if discarding:
                        parts[0] = b""  # the end of the oversized line
                        discarding = False
                    elif pending:
                        pending.append(parts[0])
                        parts[0] = b"".join(pending)
                        pending.clear()
                        pending_size = 0
                    last = parts.pop()
                    for line in parts:
                        event = self._parse(line)
                        if event is not None:
                            yield event
                    if last:
                        pending.append(last)
                        pending_size = len(last)
            except httpx.HTTPError as error:
                raise _network_error(error, client.base_url, "the chat stream", cut=True) from None
            if pending:
                event = self._parse(b"".join(pending))
                if event is not None:
                    yield event
        finally:
            await response.aclose()

    def _parse(self, line: bytes) -> Event | None:
        if len(line) > MAX_LINE_BYTES:
            self.invalid_lines += 1
            return None
        if not line.strip():
            return None
        try:
            event = parse_line(line)
        except InvalidLine:
            self.invalid_lines += 1
            return None
        self.events_received += 1
        return event


# ------------------------------------------------------------------ helpers


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _auth_failed(detail: str) -> AuthenticationError:
    cause = "token rejected by the server"
    if detail:
        cause += f" ({detail})"
    return AuthenticationError(cause)


def _network_error(
    error: httpx.HTTPError, base_url: str, what: str, *, cut: bool = False
) -> NetworkError:
    if isinstance(error, httpx.TimeoutException):
        kind = {
            httpx.ConnectTimeout: "connecting took too long",
            httpx.ReadTimeout: "the server sent nothing for too long",
            httpx.WriteTimeout: "sending took too long",
            httpx.PoolTimeout: "no free connection",
        }.get(type(error), "timed out")
        return NetworkError(f"{what} to {base_url}: {kind}")
    if isinstance(error, httpx.ProxyError):
        return NetworkError(f"{what}: the proxy failed ({error})", "check --proxy / HTTPS_PROXY")
    if isinstance(error, httpx.ConnectError):
        reason = str(error) or type(error).__name__
        return NetworkError(f"cannot connect to {base_url} ({reason})")
    if cut:
        return NetworkError(
            f"the connection to {base_url} was cut mid-stream; what arrived is kept",
            "try again (the agent's session still has the earlier turns)",
        )
    reason = str(error) or type(error).__name__
    return NetworkError(f"{what} to {base_url} failed ({reason})")


def _detail(response: httpx.Response) -> Any:
    try:
        body = json.loads(response.content)
    except ValueError:
        return response.text.strip()[:200]
    if isinstance(body, Mapping) and "detail" in body:
        return body["detail"]
    return body


def _detail_text(response: httpx.Response) -> str:
    """FastAPI's `detail`, as one line: a string, or a list of located messages."""
    detail = _detail(response)
    if isinstance(detail, str):
        return " ".join(detail.split())
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, Mapping):
                location = ".".join(str(part) for part in item.get("loc", []) if part != "body")
                message = str(item.get("msg", "")).strip()
                parts.append(f"{location}: {message}" if location else message)
            else:
                parts.append(str(item))
        return "; ".join(parts)
    if detail in (None, {}, ""):
        return ""
    return json.dumps(detail, ensure_ascii=False)[:200]


def _names_session(response: httpx.Response) -> bool:
    detail = _detail(response)
    if isinstance(detail, list):
        for item in detail:
            if isinstance(item, Mapping) and "sid" in [str(part) for part in item.get("loc", [])]:
                return True
    return "session" in _detail_text(response).lower()


def _raise_for_status(response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    if status == 422:
        raise ValidationError(_detail_text(response) or "invalid request")
    if status == 429:
        raise RateLimitError(_retry_after(response.headers.get("Retry-After")))
    if status == 401:
        raise _auth_failed(_detail_text(response))
    if status == 404 and _names_session(response):
        raise ValidationError(_detail_text(response))
    raise ServerError(status, _detail_text(response))


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _json_field(response: httpx.Response, name: str) -> str:
    try:
        body = response.json()
    except ValueError:
        raise ProtocolError(
            f"{response.request.url.path} answered with something other than JSON"
        ) from None
    value = body.get(name) if isinstance(body, Mapping) else None
    if not isinstance(value, str) or not value:
        raise ProtocolError(f"{response.request.url.path} answered without a {name!r}")
    return value

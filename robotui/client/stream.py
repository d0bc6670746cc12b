"""`ChatStream`: the events of one prompt, continues and renewals included.

The NDJSON body is split into lines here, by bytes, not with httpx's
`aiter_lines()`: that splits on every Unicode line boundary (U+2028 inside a JSON
string too) and decodes before splitting, where bytes split first keep a
multi-byte character whole across network chunks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import httpx

from robotui.client.errors import ValidationError
from robotui.client.events import (
    AgentMessage,
    AutoContinued,
    Event,
    InvalidLine,
    SessionRenewed,
    parse_line,
)
from robotui.client.http import (
    SessionGone,
    Unauthorized,
    auth_failed,
    bearer,
    detail_text,
    names_session,
    network_error,
    raise_for_status,
)

if TYPE_CHECKING:
    from robotui.client.api import RobocodersClient

__all__ = ["CONTINUE_PROMPT", "MAX_LINE_BYTES", "ChatStream"]

CONTINUE_PROMPT = "continue"

# A single line beyond this is not an event we could show; it is skipped, counted.
MAX_LINE_BYTES = 64 * 1024 * 1024


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
        except Unauthorized as rejected:
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
            except Unauthorized as rejected:
                if token_replaced:
                    raise auth_failed(rejected.detail) from None
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
            except SessionGone as gone:
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
        except Unauthorized as rejected:
            raise auth_failed(rejected.detail) from None

    async def _new_session(self, token: str) -> str:
        """Create a session (raising `Unauthorized` on a 401) and remember it."""
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
        request = client._http.build_request("POST", "/chat", json=body, headers=bearer(token))
        try:
            response = await client._http.send(request, stream=True)
        except httpx.HTTPError as error:
            raise network_error(error, client.base_url, "POST /chat") from None
        try:
            if response.status_code != 200:
                await response.aread()
                if response.status_code == 401:
                    raise Unauthorized(detail_text(response))
                try:
                    raise_for_status(response)
                except ValidationError as error:
                    if names_session(response):
                        raise SessionGone(error) from None
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
                raise network_error(error, client.base_url, "the chat stream", cut=True) from None
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

"""The emulator's ASGI app: the four endpoints, `/docs`, `/openapi.json`.

Errors are shaped as FastAPI shapes them (`{"detail": ...}`); a 200 from `/chat`
streams NDJSON from an async generator, so a client that hangs up cancels it.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from robotui.emulator.config import EmulatorConfig
from robotui.emulator.faults import RETRY_AFTER_SECONDS, UnknownFaultError, split_fault_prefix
from robotui.emulator.pages import auth_page, docs_page, openapi_document
from robotui.emulator.state import AuthFailure, ServerState, Token
from robotui.emulator.streaming import StreamPlan, plan_stream
from robotui.emulator.validation import (
    CHAT_FIELDS,
    SESSION_CODE_FIELDS,
    RequestInvalid,
    parse_json_body,
    validate_fields,
)

__all__ = ["create_app"]

NDJSON = "application/x-ndjson"


def token_fingerprint(token: str) -> str:
    """What the request log shows of a token: never the token itself."""
    return "#" + hashlib.sha256(token.encode()).hexdigest()[:8]


class EventStreamResponse(Response):
    """A 200 whose body is a `StreamPlan`, paced by `speed`.

    With `plan.cut` the response ends without its final chunk: the server closes
    the connection mid-stream, which is what a dropped connection looks like.
    """

    media_type = NDJSON

    def __init__(self, plan: StreamPlan, speed: float) -> None:
        # No `super().__init__()`: with no body set, no Content-Length is added, and
        # the response goes out chunked, like StreamingResponse.
        self.status_code = 200
        self.background = None
        self.init_headers({"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        self.plan = plan
        self.speed = speed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Written out rather than inherited from StreamingResponse: a cut stream must
        # return without the final `more_body: False`, which StreamingResponse always sends.
        streaming = asyncio.ensure_future(self._stream(send))
        watching = asyncio.ensure_future(self._watch_disconnect(receive))
        try:
            await asyncio.wait({streaming, watching}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (streaming, watching):
                task.cancel()
            await asyncio.gather(streaming, watching, return_exceptions=True)
        if streaming.done() and not streaming.cancelled() and streaming.exception() is not None:
            exception = streaming.exception()
            if not isinstance(exception, OSError):
                raise exception  # type: ignore[misc]

    async def _stream(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        for piece in self.plan.pieces:
            if self.speed > 0 and piece.delay > 0:
                await asyncio.sleep(piece.delay / self.speed)
            await send({"type": "http.response.body", "body": piece.data, "more_body": True})
        if not self.plan.cut:
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _watch_disconnect(self, receive: Receive) -> None:
        """Returns when the client hangs up, which stops the stream."""
        while (await receive())["type"] != "http.disconnect":
            pass


def _detail(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _unauthorized(failure: AuthFailure) -> JSONResponse:
    return _detail(401, failure.detail, {"WWW-Authenticate": "Bearer"})


def _session_not_found(sid: str) -> JSONResponse:
    return _detail(404, f"Session not found: {sid}")


class Endpoints:
    """The request handlers, sharing one `ServerState`."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.config = state.config

    def _log(self, request: Request, **fields: Any) -> None:
        """Facts for the request log line (see `requestlog`)."""
        request.scope.setdefault("state", {}).setdefault("log", {}).update(fields)

    def _authenticate(self, request: Request) -> Token | AuthFailure:
        result = self.state.authenticate(request.headers.get("authorization"))
        if isinstance(result, Token):
            self._log(request, token=token_fingerprint(result.value))
        return result

    async def auth(self, request: Request) -> Response:
        """GET /auth: a new token on an HTML page."""
        token = self.state.issue_token()
        self._log(request, token=token_fingerprint(token.value))
        page = auth_page(token.value, expires_in=self.config.token_ttl)
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    async def create_session(self, request: Request) -> Response:
        """GET /create-session: a session owned by the bearer token."""
        token = self._authenticate(request)
        if isinstance(token, AuthFailure):
            return _unauthorized(token)
        session = self.state.create_session(token)
        self._log(request, sid=session.sid[:8])
        return JSONResponse({"sid": session.sid})

    async def chat(self, request: Request) -> Response:
        """POST /chat: validate, apply any status fault, then stream the turn."""
        token = self._authenticate(request)
        if isinstance(token, AuthFailure):
            return _unauthorized(token)
        body = parse_json_body(await request.body(), request.headers.get("content-type"))
        fields = validate_fields(body, CHAT_FIELDS)
        sid, agent, prompt = fields["sid"], fields["agent"], fields["prompt"]
        self._log(request, agent=agent, sid=sid[:8])
        try:
            asked = split_fault_prefix(prompt)
        except UnknownFaultError as error:
            raise RequestInvalid(
                [
                    {
                        "type": "value_error",
                        "loc": ["body", "prompt"],
                        "msg": f"Value error, {error}",
                        "input": prompt,
                        "ctx": {"error": str(error)},
                    }
                ]
            ) from None
        faults = self.config.faults | asked.faults
        if faults:
            self._log(request, faults=",".join(sorted(faults)))
        session = self.state.find_session(sid, token)
        if session is None:
            return _session_not_found(sid)
        failure = self._status_fault(asked.faults, faults, token, prompt)
        if failure is not None:
            return failure
        beats = session.conversation.take_turn(
            asked.prompt, agent, faults=faults, start=self.state.now()
        )
        rng = random.Random(f"{self.config.seed}|stream|{sid}|{session.conversation.requests}")
        plan = plan_stream(beats, faults, rng)
        self._log(request, events=plan.events)
        return EventStreamResponse(plan, self.config.speed)

    def _status_fault(
        self, asked: frozenset[str], faults: frozenset[str], token: Token, prompt: str
    ) -> Response | None:
        """The error response of a status fault, if one applies to this request."""
        if "401" in asked and self.state.expire_by_fault(token, prompt):
            return _unauthorized(AuthFailure("Token has expired"))
        if "422" in faults:
            return _detail(
                422,
                [
                    {
                        "type": "value_error",
                        "loc": ["body", "prompt"],
                        "msg": "Value error, the prompt was rejected by the content filter",
                        "input": prompt,
                        "ctx": {"error": "injected fault 422"},
                    }
                ],
            )
        if "429" in faults:
            return _detail(
                429,
                "Too many requests: limit of 20 prompts per minute exceeded",
                {"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        if "500" in faults:
            return _detail(500, "Internal Server Error: the agent runtime crashed")
        if "503" in faults:
            return _detail(
                503,
                "Service Unavailable: every agent runtime is busy",
                {"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return None

    async def get_session_code(self, request: Request) -> Response:
        """POST /get-session-code: the repository a session's files went to."""
        token = self._authenticate(request)
        if isinstance(token, AuthFailure):
            return _unauthorized(token)
        body = parse_json_body(await request.body(), request.headers.get("content-type"))
        fields = validate_fields(body, SESSION_CODE_FIELDS)
        sid, username = fields["sid"], fields["github_username"]
        self._log(request, sid=sid[:8])
        session = self.state.find_session(sid, token)
        if session is None:
            return _session_not_found(sid)
        conversation = session.conversation
        repository = f"robocoders-sessions/session-{sid[:8]}"
        files = sorted(conversation.files)
        turns = len(conversation.turns)
        message = (
            f"Invited @{username} to {repository}: {len(files)} file"
            f"{'s' if len(files) != 1 else ''} from {turns} turn{'s' if turns != 1 else ''}. "
            f"Accept the invitation at https://github.com/{repository}/invitations"
        )
        return JSONResponse(
            {"repo_url": f"https://github.com/{repository}", "message": message, "files": files}
        )

    async def docs(self, request: Request) -> Response:
        """GET /docs: the API documented on one page."""
        return HTMLResponse(docs_page())

    async def openapi(self, request: Request) -> Response:
        """GET /openapi.json: the OpenAPI 3.1 document."""
        return JSONResponse(openapi_document())

    async def root(self, request: Request) -> Response:
        """GET /: on to the docs."""
        return RedirectResponse("/docs")


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return _detail(error.status_code, error.detail, dict(error.headers or {}))


async def _request_invalid(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestInvalid)
    return _detail(422, error.errors)


async def _server_error(request: Request, error: Exception) -> Response:
    return _detail(500, "Internal Server Error")


def create_app(config: EmulatorConfig | None = None) -> Starlette:
    """A new emulator app with its own tokens and sessions.

    `app.state.emulator` is the `ServerState`, for tests that need to look inside.
    """
    state = ServerState(config or EmulatorConfig())
    endpoints = Endpoints(state)
    app = Starlette(
        routes=[
            Route("/", endpoints.root, methods=["GET"], include_in_schema=False),
            Route("/auth", endpoints.auth, methods=["GET"]),
            Route("/create-session", endpoints.create_session, methods=["GET"]),
            Route("/chat", endpoints.chat, methods=["POST"]),
            Route("/get-session-code", endpoints.get_session_code, methods=["POST"]),
            Route("/docs", endpoints.docs, methods=["GET"]),
            Route("/openapi.json", endpoints.openapi, methods=["GET"]),
        ],
        exception_handlers={
            HTTPException: _http_error,
            RequestInvalid: _request_invalid,
            Exception: _server_error,
        },
    )
    app.state.emulator = state
    return app

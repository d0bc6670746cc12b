"""Tokens: scraping /auth, the token's lifecycle, and 401 handling."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from robotui.client import (
    AuthenticationError,
    MemoryCredentials,
    RobocodersClient,
    ServerError,
)
from robotui.client.events import AgentMessage, SessionRenewed

BASE = "http://robocoders.test"

AUTH_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8"><title>Robocoders — access token</title>
  <script>
    // A regex would happily match this one.
    const template = '<pre id="token">not-the-token</pre>';
  </script>
</head>
<body>
  <pre>decoy without id</pre>
  <pre class="token">decoy with class</pre>
  <div id="tokens"><pre id="token-help">decoy with a similar id</pre></div>
  <p>Your token:</p>
  <pre id="token">
      eyJhbGciOiJIUzI1NiJ9.real-token.sig
  </pre>
  <pre>another decoy after it</pre>
</body>
</html>"""

EVENT = {
    "id": 1,
    "timestamp": "2024-12-10T14:03:37.164563",
    "source": "agent",
    "message": "Hi",
    "action": "message",
    "args": {"content": "Hello from the agent", "image_urls": None, "wait_for_response": False},
}


def ndjson(*events: dict) -> bytes:
    return b"".join(json.dumps(event).encode() + b"\n" for event in events)


def make_client(**kwargs) -> RobocodersClient:
    kwargs.setdefault("credentials", MemoryCredentials())
    return RobocodersClient(BASE, backoff=0, **kwargs)


@respx.mock(base_url=BASE)
async def test_token_is_scraped_from_pre_token_among_decoys(respx_mock: respx.Router) -> None:
    respx_mock.get("/auth").respond(200, html=AUTH_PAGE)
    async with make_client() as client:
        assert await client.fetch_token() == "eyJhbGciOiJIUzI1NiJ9.real-token.sig"


@respx.mock(base_url=BASE)
async def test_page_without_token_is_an_authentication_error(respx_mock: respx.Router) -> None:
    respx_mock.get("/auth").respond(200, html="<html><pre>no id here</pre></html>")
    async with make_client() as client:
        with pytest.raises(AuthenticationError, match='no <pre id="token">'):
            await client.fetch_token()


@respx.mock(base_url=BASE)
async def test_auth_non_200_is_an_authentication_error(respx_mock: respx.Router) -> None:
    respx_mock.get("/auth").respond(403, text="forbidden")
    async with make_client() as client:
        with pytest.raises(AuthenticationError, match="answered 403"):
            await client.fetch_token()


@respx.mock(base_url=BASE)
async def test_auth_retries_server_errors_then_succeeds(respx_mock: respx.Router) -> None:
    route = respx_mock.get("/auth")
    route.side_effect = [
        httpx.Response(503),
        httpx.ConnectError("refused"),
        httpx.Response(200, html=AUTH_PAGE),
    ]
    async with make_client(retries=2) as client:
        assert (await client.fetch_token()).endswith(".sig")
    assert route.call_count == 3


@respx.mock(base_url=BASE)
async def test_auth_retries_are_bounded(respx_mock: respx.Router) -> None:
    route = respx_mock.get("/auth").respond(500)
    async with make_client(retries=2) as client:
        with pytest.raises(AuthenticationError):
            await client.fetch_token()
    assert route.call_count == 3


@respx.mock(base_url=BASE)
async def test_fetched_token_is_stored_and_reused(respx_mock: respx.Router) -> None:
    auth = respx_mock.get("/auth").respond(200, html=AUTH_PAGE)
    credentials = MemoryCredentials()
    async with make_client(credentials=credentials) as client:
        first = await client.access_token()
        second = await client.access_token()
    assert first == second == credentials.tokens[BASE]
    assert auth.call_count == 1
    async with make_client(credentials=credentials) as client:
        assert await client.access_token() == first
        assert client.token_source == "stored"
    assert auth.call_count == 1


@respx.mock(base_url=BASE)
async def test_401_drops_token_and_its_sessions_then_retries_once(
    respx_mock: respx.Router,
) -> None:
    credentials = MemoryCredentials()
    credentials.save_token(BASE, "old-token")
    credentials.save_session(BASE, "conversation-1", "old-session", "old-token")
    credentials.save_session(BASE, "conversation-2", "other-old-session", "old-token")
    respx_mock.get("/auth").respond(200, html='<pre id="token">new-token</pre>')
    respx_mock.get("/create-session").respond(200, json={"sid": "new-session"})
    chat = respx_mock.post("/chat")
    chat.side_effect = [
        httpx.Response(401, json={"detail": "Token expired"}),
        httpx.Response(200, content=ndjson(EVENT)),
    ]
    async with make_client(credentials=credentials) as client:
        stream = client.chat("hi", conversation_id="conversation-1")
        events = [event async for event in stream]

    assert chat.call_count == 2
    first, second = (json.loads(call.request.content) for call in chat.calls)
    assert chat.calls[0].request.headers["Authorization"] == "Bearer old-token"
    assert first["sid"] == "old-session"
    assert chat.calls[1].request.headers["Authorization"] == "Bearer new-token"
    assert second == {"sid": "new-session", "prompt": "hi", "agent": "GeneralCodingAgent"}
    assert credentials.tokens[BASE] == "new-token"
    assert credentials.sessions == {(BASE, "conversation-1"): ("new-session", "new-token")}
    assert isinstance(events[0], SessionRenewed)
    assert isinstance(events[1], AgentMessage)
    assert events[1].content == "Hello from the agent"
    assert stream.session_id == "new-session"


@respx.mock(base_url=BASE)
async def test_second_401_is_an_authentication_error(respx_mock: respx.Router) -> None:
    respx_mock.get("/auth").respond(200, html='<pre id="token">fresh</pre>')
    respx_mock.get("/create-session").respond(200, json={"sid": "s"})
    chat = respx_mock.post("/chat").respond(401, json={"detail": "Invalid token"})
    async with make_client() as client:
        with pytest.raises(AuthenticationError) as caught:
            async for _ in client.chat("hi"):
                pass
    assert chat.call_count == 2
    assert "token rejected by the server (Invalid token)" in str(caught.value)
    assert "robotui login" in str(caught.value)


@respx.mock(base_url=BASE)
async def test_401_on_create_session_refreshes_once(respx_mock: respx.Router) -> None:
    credentials = MemoryCredentials()
    credentials.save_token(BASE, "stale")
    respx_mock.get("/auth").respond(200, html='<pre id="token">fresh</pre>')
    create = respx_mock.get("/create-session")
    create.side_effect = [
        httpx.Response(401, json={"detail": "expired"}),
        httpx.Response(200, json={"sid": "s-1"}),
    ]
    async with make_client(credentials=credentials) as client:
        assert await client.create_session() == "s-1"
    assert create.calls[1].request.headers["Authorization"] == "Bearer fresh"
    assert credentials.tokens[BASE] == "fresh"


@respx.mock(base_url=BASE, assert_all_called=False)
async def test_environment_token_is_used_and_never_stored(
    respx_mock: respx.Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROBOCODERS_API_TOKEN", "env-token")
    auth = respx_mock.get("/auth").respond(200, html='<pre id="token">other</pre>')
    create = respx_mock.get("/create-session").respond(200, json={"sid": "s"})
    respx_mock.post("/chat").respond(200, content=ndjson(EVENT))
    credentials = MemoryCredentials()
    async with make_client(credentials=credentials) as client:
        events = [event async for event in client.chat("hi")]
    assert len(events) == 1
    assert create.calls[0].request.headers["Authorization"] == "Bearer env-token"
    assert auth.call_count == 0
    assert credentials.tokens == {}


@respx.mock(base_url=BASE, assert_all_called=False)
async def test_rejected_environment_token_says_which_token(
    respx_mock: respx.Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROBOCODERS_API_TOKEN", "env-token")
    auth = respx_mock.get("/auth").respond(200, html='<pre id="token">other</pre>')
    respx_mock.get("/create-session").respond(200, json={"sid": "s"})
    respx_mock.post("/chat").respond(401, json={"detail": "bad"})
    async with make_client() as client:
        with pytest.raises(AuthenticationError, match="ROBOCODERS_API_TOKEN"):
            async for _ in client.chat("hi"):
                pass
    assert auth.call_count == 0


@respx.mock(base_url=BASE)
async def test_create_session_server_error_is_retried(respx_mock: respx.Router) -> None:
    create = respx_mock.get("/create-session")
    create.side_effect = [httpx.Response(502), httpx.Response(200, json={"sid": "s-2"})]
    async with make_client(token="t") as client:
        assert await client.create_session() == "s-2"


@respx.mock(base_url=BASE)
async def test_create_session_without_sid_is_a_protocol_error(respx_mock: respx.Router) -> None:
    from robotui.client import ProtocolError

    respx_mock.get("/create-session").respond(200, json={"session": "x"})
    async with make_client(token="t") as client:
        with pytest.raises(ProtocolError, match="without a 'sid'"):
            await client.create_session()


@respx.mock(base_url=BASE)
async def test_get_session_code(respx_mock: respx.Router) -> None:
    route = respx_mock.post("/get-session-code").respond(
        200, json={"repo_url": "https://github.com/robocoders/s-1"}
    )
    async with make_client(token="t") as client:
        url = await client.get_session_code("s-1", "octocat")
    assert url == "https://github.com/robocoders/s-1"
    assert json.loads(route.calls[0].request.content) == {
        "sid": "s-1",
        "github_username": "octocat",
    }


@respx.mock(base_url=BASE)
async def test_get_session_code_server_error(respx_mock: respx.Router) -> None:
    respx_mock.post("/get-session-code").respond(500, json={"detail": "boom"})
    async with make_client(token="t") as client:
        with pytest.raises(ServerError, match="answered 500: boom"):
            await client.get_session_code("s-1", "octocat")


@respx.mock(base_url=BASE)
async def test_login_and_logout(respx_mock: respx.Router) -> None:
    credentials = MemoryCredentials()
    credentials.save_session(BASE, "c", "s", "t0")
    async with make_client(credentials=credentials) as client:
        await client.login("  typed-token ")
        assert credentials.tokens[BASE] == "typed-token"
        assert credentials.sessions == {}
        credentials.save_session(BASE, "c", "s", "typed-token")
        client.logout()
    assert credentials.tokens == {}
    assert credentials.sessions == {}


@respx.mock(base_url=BASE)
async def test_a_stale_stored_token_is_renewed_before_the_first_chat(
    respx_mock: respx.Router,
) -> None:
    credentials = MemoryCredentials()
    credentials.save_token(BASE, "stale")
    respx_mock.get("/auth").respond(200, html='<pre id="token">fresh</pre>')
    create = respx_mock.get("/create-session")
    create.side_effect = [
        httpx.Response(401, json={"detail": "Invalid or expired token"}),
        httpx.Response(200, json={"sid": "s-new"}),
    ]
    respx_mock.post("/chat").respond(200, content=ndjson(EVENT))
    async with make_client(credentials=credentials) as client:
        events = [event async for event in client.chat("hi")]
    assert [type(event).__name__ for event in events] == ["AgentMessage"]
    assert create.calls[1].request.headers["Authorization"] == "Bearer fresh"
    assert credentials.tokens[BASE] == "fresh"


@respx.mock(base_url=BASE, assert_all_called=False)
async def test_create_session_rejecting_every_token_is_an_authentication_error(
    respx_mock: respx.Router,
) -> None:
    respx_mock.get("/auth").respond(200, html='<pre id="token">fresh</pre>')
    create = respx_mock.get("/create-session").respond(401, json={"detail": "nope"})
    respx_mock.post("/chat").respond(200, content=ndjson(EVENT))
    async with make_client() as client:
        with pytest.raises(AuthenticationError, match="nope"):
            async for _ in client.chat("hi"):
                pass
    assert create.call_count == 2

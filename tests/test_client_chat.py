"""The chat stream: line buffering, errors, sessions and auto-continue."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import httpx
import pytest
import respx

from robotui.client import (
    MemoryCredentials,
    NetworkError,
    RateLimitError,
    RobocodersClient,
    ServerError,
    ValidationError,
)
from robotui.client import events as ev

BASE = "http://robocoders.test"
EXAMPLES = Path(__file__).parent / "data"
EXAMPLE_FILE = EXAMPLES / "openhands-0.15-events.ndjson"


def message(content: str, *, wait: bool = False, event_id: int = 1) -> dict:
    return {
        "id": event_id,
        "timestamp": "2024-12-10T14:03:37.164563",
        "source": "agent",
        "message": content,
        "action": "message",
        "args": {"content": content, "image_urls": None, "wait_for_response": wait},
    }


def ndjson(*events: dict) -> bytes:
    return b"".join(json.dumps(event, ensure_ascii=False).encode() + b"\n" for event in events)


class Chunks(httpx.AsyncByteStream):
    """A response body delivered in exactly these network chunks, maybe then cut."""

    def __init__(self, chunks: Iterable[bytes], cut: bool = False) -> None:
        self.chunks = list(chunks)
        self.cut = cut

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.cut:
            raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


@pytest.fixture
def router() -> respx.Router:
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        mock.get("/auth").respond(200, html='<pre id="token">tok</pre>')
        mock.get("/create-session").respond(200, json={"sid": "sid-1"})
        yield mock


async def collect(stream) -> list[ev.Event]:
    return [event async for event in stream]


def client() -> RobocodersClient:
    return RobocodersClient(BASE, credentials=MemoryCredentials(), backoff=0)


async def test_every_example_event_is_parsed(router: respx.Router) -> None:
    body = EXAMPLE_FILE.read_bytes()
    router.post("/chat").respond(200, content=body)
    async with client() as c:
        stream = c.chat("hi", auto_continue=0)
        events = await collect(stream)
    lines = [line for line in body.splitlines() if line.strip()]
    assert len(events) == len(lines)
    assert stream.invalid_lines == 0
    assert not any(isinstance(event, ev.UnknownEvent) for event in events)
    kinds = {type(event).__name__ for event in events}
    assert {"CommandRun", "CommandOutput", "FileEditResult", "Delegation", "Finish"} <= kinds
    run_output = next(event for event in events if isinstance(event, ev.CommandOutput))
    assert run_output.exit_code == 0 and run_output.command == "python3 hello.py"
    edit = next(event for event in events if isinstance(event, ev.FileEditResult))
    assert edit.diff.startswith("--- /workspace/hello.py")


async def test_lines_and_utf8_characters_split_across_every_byte(router: respx.Router) -> None:
    texts = ["Привет, мир ✓ 🚀", "line\u2028separator and \u0085 NEL inside JSON", "日本語"]
    body = ndjson(*(message(text, event_id=i) for i, text in enumerate(texts)))
    assert b"\xe2\x80\xa8" in body  # U+2028 raw in the JSON: must not split the line
    router.post("/chat").respond(200, stream=Chunks(body[i : i + 1] for i in range(len(body))))
    async with client() as c:
        stream = c.chat("hi")
        events = await collect(stream)
    assert [event.content for event in events] == texts
    assert stream.invalid_lines == 0


async def test_blank_lines_crlf_and_unterminated_last_line(router: respx.Router) -> None:
    body = b"\n\r\n  \n" + ndjson(message("one")).replace(b"\n", b"\r\n") + b"\n\n"
    body += json.dumps(message("two")).encode()  # no newline at the end
    router.post("/chat").respond(200, stream=Chunks([body[:7], body[7:]]))
    async with client() as c:
        stream = c.chat("hi")
        events = await collect(stream)
    assert [event.content for event in events] == ["one", "two"]
    assert stream.invalid_lines == 0


async def test_malformed_lines_are_skipped_and_counted(router: respx.Router) -> None:
    body = (
        ndjson(message("before"))
        + b'{"id": 2, "action": "message", "args": {"content": "unterminated\n'
        + b"[1, 2, 3]\n"
        + b'"just a string"\n'
        + b'{"bad utf8": "\xff\xfe"}\n'
        + ndjson(message("after"))
    )
    router.post("/chat").respond(200, content=body)
    async with client() as c:
        stream = c.chat("hi")
        events = await collect(stream)
    assert [event.content for event in events] == ["before", "after"]
    assert stream.invalid_lines == 4


async def test_unknown_events_and_extra_keys_are_tolerated(router: respx.Router) -> None:
    body = ndjson(
        {"id": 1, "source": "agent", "message": "new!", "action": "teleport", "args": {"x": 1}},
        {"id": 2, "source": "agent", "message": "", "observation": "teleported", "extras": []},
        {"hello": "world"},
        {**message("fine"), "brand_new_key": {"nested": True}, "args": {"content": "fine"}},
        {"id": 3, "observation": "run", "content": "out", "extras": {"exit_code": "2"}},
        {"error": True, "message": "agent crashed"},
        {"status_update": True, "type": "info", "id": "STATUS$READY", "message": "ready"},
    )
    router.post("/chat").respond(200, content=body)
    async with client() as c:
        events = await collect(c.chat("hi"))
    teleport, teleported, frame, fine, output, error_frame, status = events
    assert isinstance(teleport, ev.UnknownEvent) and teleport.name == "teleport"
    assert teleport.category == "action" and teleport.text == "new!"
    assert isinstance(teleported, ev.UnknownEvent) and teleported.category == "observation"
    assert isinstance(frame, ev.UnknownEvent) and frame.category == "frame"
    assert isinstance(fine, ev.AgentMessage) and fine.content == "fine"
    assert isinstance(output, ev.CommandOutput) and output.exit_code == 2 and output.failed
    assert isinstance(error_frame, ev.ErrorFrame) and error_frame.message == "agent crashed"
    assert isinstance(status, ev.StatusUpdate) and status.status_id == "STATUS$READY"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {
                "detail": [
                    {
                        "loc": ["body", "agent"],
                        "msg": "Input should be 'RepoAgent'",
                        "type": "literal_error",
                    }
                ]
            },
            "agent: Input should be 'RepoAgent'",
        ),
        ({"detail": "Prompt must not be empty"}, "Prompt must not be empty"),
    ],
)
async def test_422_in_both_fastapi_shapes(router: respx.Router, body: dict, expected: str) -> None:
    router.post("/chat").respond(422, json=body)
    async with client() as c:
        with pytest.raises(ValidationError) as caught:
            await collect(c.chat("hi", agent="Nope"))
    assert caught.value.detail == expected
    assert expected in str(caught.value)


async def test_429_carries_retry_after(router: respx.Router) -> None:
    route = router.post("/chat").respond(429, headers={"Retry-After": "7"}, json={"detail": "slow"})
    async with client() as c:
        with pytest.raises(RateLimitError) as caught:
            await collect(c.chat("hi"))
    assert caught.value.retry_after == 7
    assert "try again in 7 s" in str(caught.value)
    assert route.call_count == 1


async def test_500_is_a_server_error_and_chat_is_not_retried(router: respx.Router) -> None:
    route = router.post("/chat").respond(500, json={"detail": "Internal Server Error"})
    async with client() as c:
        with pytest.raises(ServerError) as caught:
            await collect(c.chat("hi"))
    assert caught.value.status_code == 500
    assert route.call_count == 1


async def test_cut_stream_is_a_network_error_after_the_events_received(
    router: respx.Router,
) -> None:
    body = ndjson(message("one"), message("two"))
    router.post("/chat").respond(200, stream=Chunks([body, b'{"id": 9, "act'], cut=True))
    received: list[ev.Event] = []
    async with client() as c:
        with pytest.raises(NetworkError, match="cut mid-stream"):
            async for event in c.chat("hi"):
                received.append(event)
    assert [event.content for event in received] == ["one", "two"]


async def test_connection_refused_is_a_network_error() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    async with RobocodersClient(
        f"http://127.0.0.1:{port}", credentials=MemoryCredentials(), retries=0
    ) as c:
        with pytest.raises(NetworkError, match="cannot connect"):
            await c.fetch_token()


async def test_auto_continue_is_bounded(router: respx.Router) -> None:
    route = router.post("/chat").respond(200, content=ndjson(message("limit", wait=True)))
    async with client() as c:
        stream = c.chat("build it", agent="RepoAgent", auto_continue=2)
        events = await collect(stream)
    assert route.call_count == 3
    bodies = [json.loads(call.request.content) for call in route.calls]
    assert [body["prompt"] for body in bodies] == ["build it", "continue", "continue"]
    assert {(body["sid"], body["agent"]) for body in bodies} == {("sid-1", "RepoAgent")}
    notices = [event for event in events if isinstance(event, ev.AutoContinued)]
    assert [(n.number, n.limit) for n in notices] == [(1, 2), (2, 2)]
    assert notices[0].message == "continued automatically, 1 of 2"
    assert stream.auto_continues == 2
    assert stream.waiting_for_user


async def test_auto_continue_stops_when_the_agent_finishes(router: respx.Router) -> None:
    route = router.post("/chat")
    route.side_effect = [
        httpx.Response(200, content=ndjson(message("half", wait=True))),
        httpx.Response(200, content=ndjson(message("done"))),
    ]
    async with client() as c:
        stream = c.chat("build it", auto_continue=3)
        events = await collect(stream)
    assert [type(event).__name__ for event in events] == [
        "AgentMessage",
        "AutoContinued",
        "AgentMessage",
    ]
    assert route.call_count == 2
    assert not stream.waiting_for_user


async def test_auto_continue_zero_turns_it_off(router: respx.Router) -> None:
    route = router.post("/chat").respond(200, content=ndjson(message("limit", wait=True)))
    async with client() as c:
        stream = c.chat("hi", auto_continue=0)
        await collect(stream)
    assert route.call_count == 1
    assert stream.waiting_for_user and stream.auto_continues == 0


async def test_the_echoed_user_message_never_triggers_a_continue(router: respx.Router) -> None:
    echo = {**message("hi", wait=True), "source": "user"}
    route = router.post("/chat").respond(200, content=ndjson(echo, message("answer")))
    async with client() as c:
        stream = c.chat("hi", auto_continue=3)
        await collect(stream)
    assert route.call_count == 1 and not stream.waiting_for_user


async def test_conversation_session_is_cached_and_reused(router: respx.Router) -> None:
    router.post("/chat").respond(200, content=ndjson(message("ok")))
    credentials = MemoryCredentials()
    async with RobocodersClient(BASE, credentials=credentials) as c:
        await collect(c.chat("one", conversation_id="conv"))
        await collect(c.chat("two", conversation_id="conv"))
        await collect(c.chat("three", conversation_id="other"))
    create_calls = router.routes[1].call_count
    assert create_calls == 2  # one per conversation
    assert credentials.sessions[(BASE, "conv")][0] == "sid-1"


@pytest.mark.parametrize(
    ("status", "detail"),
    [(404, "Session not found: old"), (422, [{"loc": ["body", "sid"], "msg": "unknown"}])],
)
async def test_forgotten_session_is_replaced_with_a_notice(
    router: respx.Router, status: int, detail: object
) -> None:
    route = router.post("/chat")
    route.side_effect = [
        httpx.Response(status, json={"detail": detail}),
        httpx.Response(200, content=ndjson(message("fresh start"))),
    ]
    async with client() as c:
        stream = c.chat("hi", session_id="old")
        events = await collect(stream)
    renewed, answer = events
    assert isinstance(renewed, ev.SessionRenewed)
    assert renewed.old_session_id == "old" and renewed.new_session_id == "sid-1"
    assert "no longer remembers" in renewed.message
    assert answer.content == "fresh start"
    assert json.loads(route.calls[1].request.content)["sid"] == "sid-1"
    assert stream.session_id == "sid-1"


async def test_a_session_forgotten_twice_is_an_error(router: respx.Router) -> None:
    router.post("/chat").respond(404, json={"detail": "Session not found"})
    async with client() as c:
        with pytest.raises(ValidationError, match="Session not found"):
            await collect(c.chat("hi", session_id="old"))


async def test_aclose_stops_the_stream(router: respx.Router) -> None:
    body = ndjson(*(message(f"m{i}", event_id=i) for i in range(100)))
    router.post("/chat").respond(
        200, stream=Chunks([body[i : i + 50] for i in range(0, len(body), 50)])
    )
    async with client() as c:
        stream = c.chat("hi")
        async with stream:
            async for event in stream:
                if event.content == "m3":
                    break
    assert stream.events_received < 100


def test_provider_text_rule() -> None:
    with_content = ev.parse_event(message("the content"))
    assert with_content.text == "the content"
    empty_content = ev.parse_event({**message(""), "message": "fallback"})
    assert empty_content.text == "fallback"
    neither = ev.parse_event({"observation": "agent_state_changed", "message": "", "content": ""})
    assert neither.text == ""


def test_events_serialize_to_json_with_their_type() -> None:
    event = ev.parse_event(
        {
            "id": 7,
            "observation": "run",
            "content": "hi",
            "extras": {"command": "echo hi", "exit_code": 0},
        }
    )
    data = event.to_json()
    assert data["type"] == "run_output"
    assert data["command"] == "echo hi" and data["exit_code"] == 0
    assert "raw" not in data
    json.dumps(data)


async def test_a_line_over_the_limit_in_tiny_chunks_is_skipped(
    router: respx.Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    import robotui.client.stream

    monkeypatch.setattr(robotui.client.stream, "MAX_LINE_BYTES", 1000)
    huge = json.dumps(message("x" * 5000)).encode()
    body = ndjson(message("before")) + huge + b"\n" + ndjson(message("after"))
    chunks = [body[i : i + 100] for i in range(0, len(body), 100)]
    router.post("/chat").respond(200, stream=Chunks(chunks))
    async with client() as c:
        stream = c.chat("hi")
        events = await collect(stream)
    assert [event.content for event in events] == ["before", "after"]
    assert stream.invalid_lines == 1

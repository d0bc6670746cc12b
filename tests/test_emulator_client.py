"""robotui's client against the emulator over real sockets: one test per fault, and
the token and session lifecycles a real service puts a client through."""

from __future__ import annotations

import hashlib
import json

import pytest

from robotui.client import (
    AuthenticationError,
    MemoryCredentials,
    NetworkError,
    RateLimitError,
    RobocodersClient,
    ServerError,
    ValidationError,
)
from robotui.client import events as ev
from robotui.emulator.agents.common import HUGE_LOG_PATH

PROMPT = "Write a function in Go that reverses a string like «Привет, мир — ✓ 🚀»"


def client_for(base_url: str, **options) -> RobocodersClient:
    return RobocodersClient(base_url, credentials=MemoryCredentials(), backoff=0, **options)


async def collect(client: RobocodersClient, prompt: str, **options):
    """The stream object and every event it yielded."""
    stream = client.chat(prompt, **options)
    events = [event async for event in stream]
    return stream, events


def raws(events: list[ev.Event]) -> list[dict]:
    """The server's events as it sent them (the client's own notices left out)."""
    return [dict(event.raw) for event in events if event.source != "client"]


async def test_a_plain_turn_arrives_typed_and_complete(emulator):
    async with client_for(emulator) as client:
        stream, events = await collect(client, PROMPT)
    kinds = [type(event) for event in events]
    assert ev.FileWrite in kinds and ev.CommandRun in kinds and ev.CommandOutput in kinds
    write = next(event for event in events if isinstance(event, ev.FileWrite))
    assert write.path == "/workspace/reverse.go"
    assert "[]rune(s)" in write.content
    assert isinstance(events[-1], ev.AgentStateChanged) and events[-1].agent_state == "finished"
    assert stream.invalid_lines == 0
    assert stream.waiting_for_user is False
    assert stream.session_id


async def test_the_session_remembers_earlier_turns(emulator):
    async with client_for(emulator) as client:
        first, _ = await collect(client, PROMPT)
        _, events = await collect(client, "what did I ask first?", session_id=first.session_id)
    answer = [e for e in events if isinstance(e, ev.AgentMessage) and not e.from_user][-1]
    assert "reverses a string" in answer.content


@pytest.mark.emulator(faults=("401",))
async def test_whole_server_401_fails_after_one_refresh(emulator):
    async with client_for(emulator) as client:
        with pytest.raises(AuthenticationError):
            await collect(client, "hello")


async def test_per_request_401_is_survived_by_refreshing_the_token(emulator):
    credentials = MemoryCredentials()
    async with RobocodersClient(emulator, credentials=credentials, backoff=0) as client:
        first_token = await client.access_token()
        _, events = await collect(client, "/fault 401\n" + PROMPT)
        assert await client.access_token() != first_token
    assert any(isinstance(e, ev.FileWrite) for e in events)
    assert isinstance(events[-1], ev.AgentStateChanged)
    # The echoed prompt is the prompt without its fault line.
    assert events[3].text == PROMPT


async def test_an_expired_token_is_replaced_and_the_session_renewed(start_emulator, emulator_clock):
    emulator = start_emulator(token_ttl=600)
    async with client_for(emulator.base_url) as client:
        first, _ = await collect(client, PROMPT, conversation_id="c1")
        emulator_clock.advance(601)
        second, events = await collect(client, "hello", conversation_id="c1")
    assert second.session_id != first.session_id
    assert isinstance(events[0], ev.SessionRenewed)
    assert isinstance(events[-1], ev.AgentStateChanged)


async def test_a_forgotten_session_is_replaced(emulator):
    async with client_for(emulator) as client:
        stream, events = await collect(client, "hello", session_id="no-such-session")
    assert isinstance(events[0], ev.SessionRenewed)
    assert stream.session_id != "no-such-session"


@pytest.mark.parametrize("where", ["server", "prompt"])
async def test_422_is_a_validation_error_with_the_detail(start_emulator, where):
    emulator = start_emulator(faults=("422",) if where == "server" else ())
    prompt = "hello" if where == "server" else "/fault 422\nhello"
    async with client_for(emulator.base_url) as client:
        with pytest.raises(ValidationError) as raised:
            await collect(client, prompt)
    assert "prompt: Value error, the prompt was rejected" in raised.value.detail


async def test_429_is_a_rate_limit_error_with_retry_after(emulator):
    async with client_for(emulator) as client:
        with pytest.raises(RateLimitError) as raised:
            await collect(client, "/fault 429\nhello")
    assert raised.value.retry_after == 2


@pytest.mark.parametrize("status", [500, 503])
async def test_5xx_is_a_server_error(emulator, status):
    async with client_for(emulator) as client:
        with pytest.raises(ServerError) as raised:
            await collect(client, f"/fault {status}\nhello")
    assert raised.value.status_code == status
    assert raised.value.detail


async def test_a_dropped_connection_is_a_network_error_after_some_events(emulator):
    received: list[ev.Event] = []
    async with client_for(emulator) as client:
        with pytest.raises(NetworkError) as raised:
            async for event in client.chat("/fault drop\n" + PROMPT):
                received.append(event)
    assert "cut mid-stream" in str(raised.value)
    assert len(received) >= 5
    assert not any(isinstance(e, ev.Finish) for e in received)


@pytest.mark.parametrize("fault", ["malformed", "bad-utf8"])
async def test_one_broken_line_is_skipped_and_counted(emulator, fault):
    async with client_for(emulator) as client:
        clean, expected = await collect(client, PROMPT)
        stream, events = await collect(client, f"/fault {fault}\n" + PROMPT)
    assert stream.invalid_lines == 1
    assert clean.invalid_lines == 0
    assert raws(events) == raws(expected)


@pytest.mark.parametrize("fault", ["split", "keepalive", "slow", "split,keepalive"])
async def test_awkward_framing_delivers_identical_events(emulator, fault):
    async with client_for(emulator) as client:
        _, expected = await collect(client, PROMPT)
        stream, events = await collect(client, f"/fault {fault}\n" + PROMPT)
    assert stream.invalid_lines == 0
    assert raws(events) == raws(expected)
    assert any("🚀" in event.text for event in events)


async def test_slow_at_speed_one_still_finishes_in_a_few_seconds(start_emulator):
    emulator = start_emulator(faults=("slow",), speed=20)
    async with client_for(emulator.base_url) as client:
        stream, events = await collect(client, "hello")
    assert isinstance(events[-1], ev.AgentStateChanged)
    assert stream.invalid_lines == 0


async def test_a_huge_event_arrives_intact(emulator):
    async with client_for(emulator) as client:
        _, events = await collect(client, "/fault huge\n" + PROMPT, auto_continue=3)
    outputs = [e for e in events if isinstance(e, ev.CommandOutput)]
    log = next(e for e in outputs if e.command == f"cat {HUGE_LOG_PATH}")
    checksum = next(e for e in outputs if e.command == f"sha256sum {HUGE_LOG_PATH}")
    assert len(log.content.encode()) >= 1_000_000
    # The terminal echoes the command, then the file, in \r\n lines.
    text = log.content.split("\r\n", 1)[1].replace("\r\n", "\n")
    digest = checksum.content.split("\r\n", 1)[1].split()[0]
    assert hashlib.sha256(text.encode()).hexdigest() == digest


@pytest.mark.emulator(faults=("always-wait",))
async def test_always_wait_stops_after_exactly_the_allowed_continues(emulator):
    async with client_for(emulator) as client:
        stream, events = await collect(client, PROMPT, auto_continue=2)
    assert stream.auto_continues == 2
    assert stream.waiting_for_user is True
    assert sum(isinstance(e, ev.AutoContinued) for e in events) == 2
    prompts = [e.content for e in events if isinstance(e, ev.AgentMessage) and e.from_user]
    assert prompts == [PROMPT, "continue", "continue"]


async def test_always_wait_in_a_prompt_holds_for_its_continues_too(emulator):
    async with client_for(emulator) as client:
        stream, _ = await collect(client, "/fault always-wait\n" + PROMPT, auto_continue=3)
    assert stream.auto_continues == 3
    assert stream.waiting_for_user is True


async def test_auto_continue_crosses_the_resource_limit(emulator):
    async with client_for(emulator) as client:
        stream, events = await collect(client, "Build a CLI todo app with tests", auto_continue=3)
    assert stream.auto_continues == 1
    assert stream.waiting_for_user is False
    assert any(isinstance(e, ev.Finish) for e in events)
    assert events[-1].agent_state == "finished"


async def test_without_auto_continue_the_turn_waits_for_the_user(emulator):
    async with client_for(emulator) as client:
        stream, events = await collect(client, "Build a CLI todo app with tests", auto_continue=0)
    assert stream.waiting_for_user is True
    waiting = [e for e in events if isinstance(e, ev.AgentMessage) and e.wait_for_response]
    assert waiting and "resource limit" in waiting[0].content


async def test_get_session_code_through_the_client(emulator):
    async with client_for(emulator) as client:
        stream, _ = await collect(client, PROMPT)
        url = await client.get_session_code(stream.session_id, "octocat")
    assert url.startswith("https://github.com/robocoders-sessions/session-")


async def test_a_line_over_the_clients_limit_is_skipped_and_counted(emulator, monkeypatch):
    import robotui.client.stream

    monkeypatch.setattr(robotui.client.stream, "MAX_LINE_BYTES", 100_000)
    async with client_for(emulator) as client:
        stream, events = await collect(client, "/fault huge\nhello", auto_continue=3)
    oversized = [e for e in events if len(json.dumps(e.raw)) > 100_000]
    assert oversized == []
    assert stream.invalid_lines == 1
    assert any("sha256sum" in getattr(e, "command", "") for e in events), "the stream went on"

"""The seed's RobocodersAPI provider: attributes, cache methods, text rule."""

from __future__ import annotations

import inspect
import json
import stat
import textwrap
from pathlib import Path

import httpx
import keyring
import pytest
import respx
from keyring.backends import fail

from robotui.config import cache_dir
from robotui.provider import (
    AsyncGeneratorProvider,
    Message,
    MissingRequirementsError,
    ProviderModelMixin,
    RobocodersAPI,
    format_prompt,
)

BASE = "https://api.robocoders.ai"
EXAMPLE_FILE = Path(__file__).parent / "data" / "openhands-0.15-events.ndjson"


def line(**event) -> bytes:
    return json.dumps(event).encode() + b"\n"


def message(content: str, wait: bool = False, message_text: str = "") -> bytes:
    return line(
        id=1,
        source="agent",
        message=message_text,
        action="message",
        args={"content": content, "wait_for_response": wait},
    )


@pytest.fixture
def server() -> respx.Router:
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        mock.get("/auth").respond(200, html='<html><pre id="token">tok-1</pre></html>')
        mock.get("/create-session").respond(200, json={"sid": "sid-1"})
        yield mock


def test_attributes_named_by_the_specification() -> None:
    assert issubclass(RobocodersAPI, AsyncGeneratorProvider)
    assert issubclass(RobocodersAPI, ProviderModelMixin)
    assert isinstance(RobocodersAPI.label, str) and RobocodersAPI.label
    assert RobocodersAPI.url.startswith("https://")
    assert RobocodersAPI.api_endpoint == "https://api.robocoders.ai/chat"
    assert RobocodersAPI.base_url == "https://api.robocoders.ai"
    assert RobocodersAPI.working is True
    assert RobocodersAPI.supports_message_history is True
    assert RobocodersAPI.default_model == "GeneralCodingAgent"
    assert RobocodersAPI.agent == ["GeneralCodingAgent", "RepoAgent", "FrontEndAgent"]
    assert RobocodersAPI.models == RobocodersAPI.agent
    assert cache_dir() == RobocodersAPI.CACHE_DIR
    assert cache_dir() / "robocoders.json" == RobocodersAPI.CACHE_FILE
    assert isinstance(RobocodersAPI.CACHE_FILE, Path)


def test_the_seven_cache_methods_are_static() -> None:
    names = [
        "_get_or_create_access_and_session",
        "_fetch_and_cache_access_token",
        "_create_and_cache_session",
        "_save_cached_data",
        "_update_cached_data",
        "_clear_cached_data",
        "_get_cached_data",
    ]
    for name in names:
        assert isinstance(inspect.getattr_static(RobocodersAPI, name), staticmethod), name


def test_format_prompt_keeps_the_whole_history() -> None:
    assert format_prompt([Message(role="user", content="Hi")]) == "Hi"
    history = [
        Message(role="system", content="Be brief."),
        Message(role="user", content="Write hello in Go"),
        Message(role="assistant", content="Done."),
        Message(role="user", content="Now in Rust"),
    ]
    assert format_prompt(history) == (
        "System: Be brief.\nUser: Write hello in Go\nAssistant: Done.\nUser: Now in Rust\n"
        "Assistant:"
    )


def test_get_model() -> None:
    assert RobocodersAPI.get_model("") == "GeneralCodingAgent"
    assert RobocodersAPI.get_model("RepoAgent") == "RepoAgent"
    with pytest.raises(ValueError, match="not offered"):
        RobocodersAPI.get_model("gpt-4")


def test_cache_methods_keep_the_seed_lifecycle(memory_keyring) -> None:
    assert RobocodersAPI._get_cached_data() == {}
    RobocodersAPI._save_cached_data({"access_token": "secret-xyz"})
    RobocodersAPI._update_cached_data({"sid": "sid-9"})
    assert RobocodersAPI._get_cached_data() == {"access_token": "secret-xyz", "sid": "sid-9"}
    on_disk = RobocodersAPI.CACHE_FILE.read_text()
    assert "secret-xyz" not in on_disk, "the token lives in the keyring, not the file"
    assert json.loads(on_disk)["access_token"] == {"keyring": "robotui"}
    assert json.loads(on_disk)["sid"] == "sid-9"
    assert stat.S_IMODE(RobocodersAPI.CACHE_FILE.stat().st_mode) == 0o600
    RobocodersAPI._clear_cached_data()
    assert not RobocodersAPI.CACHE_FILE.exists()
    assert RobocodersAPI._get_cached_data() == {}
    assert memory_keyring.passwords == {}


def test_without_a_keyring_the_cache_file_holds_the_token() -> None:
    keyring.set_keyring(fail.Keyring())
    RobocodersAPI._save_cached_data({"access_token": "tok", "sid": "s"})
    assert json.loads(RobocodersAPI.CACHE_FILE.read_text())["access_token"] == "tok"
    assert RobocodersAPI._get_cached_data()["access_token"] == "tok"


def test_corrupt_cache_is_treated_as_empty() -> None:
    RobocodersAPI.CACHE_FILE.parent.mkdir(parents=True, exist_ok=True)
    RobocodersAPI.CACHE_FILE.write_text("{broken")
    assert RobocodersAPI._get_cached_data() == {}
    RobocodersAPI._update_cached_data({"sid": "x"})
    assert RobocodersAPI._get_cached_data() == {"sid": "x"}


async def test_yields_the_text_of_each_event_line_by_the_rule(server: respx.Router) -> None:
    body = EXAMPLE_FILE.read_bytes()
    server.post("/chat").respond(200, content=body)
    chunks = [
        chunk
        async for chunk in RobocodersAPI.create_async_generator(
            "GeneralCodingAgent", [Message(role="user", content="hi")], auto_continue=0
        )
    ]
    expected = []
    for raw_line in body.splitlines():
        event = json.loads(raw_line)
        content = event.get("args", {}).get("content")
        if content:
            expected.append(content)
        elif event.get("message"):
            expected.append(event["message"])
    assert chunks == expected


async def test_reuses_the_cached_token_and_session(server: respx.Router) -> None:
    chat = server.post("/chat").respond(200, content=message("ok"))
    messages = [Message(role="user", content="hi")]
    for _ in range(2):
        assert [c async for c in RobocodersAPI.create_async_generator("RepoAgent", messages)] == [
            "ok"
        ]
    assert server.routes[0].call_count == 1  # /auth
    assert server.routes[1].call_count == 1  # /create-session
    bodies = [json.loads(call.request.content) for call in chat.calls]
    assert bodies == [{"sid": "sid-1", "prompt": "hi", "agent": "RepoAgent"}] * 2


async def test_401_clears_the_cache_and_recovers(server: respx.Router) -> None:
    RobocodersAPI._save_cached_data({"access_token": "stale", "sid": "old", "base_url": BASE})
    server.get("/auth").respond(200, html='<pre id="token">fresh</pre>')
    chat = server.post("/chat")
    chat.side_effect = [
        httpx.Response(401, json={"detail": "expired"}),
        httpx.Response(200, content=message("recovered")),
    ]
    chunks = [
        c
        async for c in RobocodersAPI.create_async_generator(
            "GeneralCodingAgent", [Message(role="user", content="hi")]
        )
    ]
    assert chunks == ["recovered"]
    assert RobocodersAPI._get_cached_data() == {
        "access_token": "fresh",
        "sid": "sid-1",
        "base_url": BASE,
    }


async def test_auto_continue_and_base_url_keyword() -> None:
    other = "http://127.0.0.1:9999"
    with respx.mock(base_url=other) as mock:
        mock.get("/auth").respond(200, html='<pre id="token">t</pre>')
        mock.get("/create-session").respond(200, json={"sid": "s"})
        chat = mock.post("/chat")
        chat.side_effect = [
            httpx.Response(200, content=message("half way", wait=True)),
            httpx.Response(200, content=message("all done")),
        ]
        chunks = [
            c
            async for c in RobocodersAPI.create_async_generator(
                "FrontEndAgent", [Message(role="user", content="page")], base_url=other
            )
        ]
    assert chunks == ["half way", "all done"]
    assert json.loads(chat.calls[1].request.content)["prompt"] == "continue"


def test_missing_beautifulsoup_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "bs4" else real_find_spec(name, *a),
    )
    with pytest.raises(MissingRequirementsError, match="beautifulsoup4"):
        list(
            RobocodersAPI.create_completion(
                "GeneralCodingAgent", [{"role": "user", "content": "x"}]
            )
        )


def test_the_specification_example_runs_as_written(
    server: respx.Router, capsys: pytest.CaptureFixture[str]
) -> None:
    server.post("/chat").respond(200, content=message("Всё хорошо, спасибо!"))
    example = textwrap.dedent(
        """
        import asyncio
        from robotui.provider import RobocodersAPI
        from robotui.provider import Message

        # Создание инстанса провайдера
        robocoders_api = RobocodersAPI()

        # Создание сообщения
        message = Message(role='user', content='Привет, как дела?')

        # Вызов асинхронного генератора для получения ответа
        async def get_response():
            async for response in robocoders_api.create_async_generator(model='GeneralCodingAgent', messages=[message]):
                print(response)

        # Запуск асинхронного генератора
        asyncio.run(get_response())
        """
    )
    exec(compile(example, "example.py", "exec"), {})
    assert capsys.readouterr().out == "Всё хорошо, спасибо!\n"

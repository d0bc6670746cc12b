"""`robotui ask`, `login`, `logout` against a faked server: output and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest
import respx

from robotui.cli import main

BASE = "http://robocoders.test"
EXAMPLE_FILE = Path(__file__).parent / "data" / "openhands-0.15-events.ndjson"


def event_line(**event) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode() + b"\n"


def agent_message(content: str, wait: bool = False) -> bytes:
    return event_line(
        id=1,
        source="agent",
        message="",
        action="message",
        args={"content": content, "wait_for_response": wait},
    )


@pytest.fixture
def server() -> respx.Router:
    with respx.mock(base_url=BASE, assert_all_called=False) as mock:
        mock.get("/auth").respond(200, html='<pre id="token">tok</pre>')
        mock.get("/create-session").respond(200, json={"sid": "sid-1"})
        yield mock


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_ask_prints_the_agents_work_readably(server, capsys) -> None:
    server.post("/chat").respond(200, content=EXAMPLE_FILE.read_bytes())
    code, out, err = run(
        "ask", "--base-url", BASE, "--no-auto-continue", "Write hello", capsys=capsys
    )
    assert code == 0
    assert "$ python3 hello.py\nHello, world!\n[exit 0]" in out
    assert ">>> print('hi')\n... 2+2" in out
    assert "--- /workspace/hello.py\n+++ /workspace/hello.py\n@@ -1 +1 @@" in out
    assert '-print("Hello, world!")\n+print("Hello, OpenHands!")' in out
    assert "delegating to BrowsingAgent: Find the latest Python release" in out
    assert "I created hello.py and ran it. Anything else?" in out
    assert "rejected: The repository does not exist." in out
    assert "data:image/png" not in out, "screenshots are never dumped as text"
    assert "Write a hello world script" not in out, "the user's own prompt is not echoed"
    assert "\x1b" not in out, "no colour when stdout is not a terminal"
    assert "waiting for your reply" in err


def test_server_text_is_printed_literally(server, capsys) -> None:
    hostile = "before \x1b]52;c;cGF3bmVk\x07 \x1b[2J [bold]not markup[/bold] after"
    server.post("/chat").respond(200, content=agent_message(hostile))
    code, out, _ = run("ask", "--base-url", BASE, "hi", capsys=capsys)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "before \\x1b]52;c;cGF3bmVk\\x07 \\x1b[2J [bold]not markup[/bold] after" in out


def test_json_prints_one_typed_event_per_line(server, capsys) -> None:
    server.post("/chat").respond(200, content=EXAMPLE_FILE.read_bytes())
    code, out, _ = run(
        "ask", "--base-url", BASE, "--json", "--no-auto-continue", "hi", capsys=capsys
    )
    assert code == 0
    objects = [json.loads(line) for line in out.splitlines()]
    assert len(objects) == len(EXAMPLE_FILE.read_bytes().splitlines())
    assert objects[7]["type"] == "run_output" and objects[7]["exit_code"] == 0


def test_auto_continue_is_shown_and_can_be_turned_off(server, capsys) -> None:
    chat = server.post("/chat")
    chat.side_effect = [
        httpx.Response(200, content=agent_message("limit reached", wait=True)),
        httpx.Response(200, content=agent_message("finished the rest")),
    ]
    code, out, _ = run("ask", "--base-url", BASE, "build", capsys=capsys)
    assert code == 0
    assert "[continued automatically, 1 of 3]" in out and "finished the rest" in out
    chat.side_effect = [httpx.Response(200, content=agent_message("limit reached", wait=True))]
    chat.reset()
    code, out, err = run("ask", "--base-url", BASE, "--no-auto-continue", "build", capsys=capsys)
    assert code == 0 and chat.call_count == 1
    assert "continued automatically" not in out
    assert "waiting for your reply" in err


def test_prompt_from_stdin(server, capsys, monkeypatch) -> None:
    chat = server.post("/chat").respond(200, content=agent_message("ok"))
    monkeypatch.setattr("sys.stdin", io.StringIO("from a pipe\nsecond line\n"))
    code, _, _ = run("ask", "--base-url", BASE, "-", capsys=capsys)
    assert code == 0
    assert json.loads(chat.calls[0].request.content)["prompt"] == "from a pipe\nsecond line\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("piped without a dash"))
    code, _, _ = run("ask", "--base-url", BASE, capsys=capsys)
    assert json.loads(chat.calls[1].request.content)["prompt"] == "piped without a dash"


def test_missing_or_empty_prompt_is_a_usage_error(capsys, monkeypatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    code, _, err = run("ask", "--base-url", BASE, capsys=capsys)
    assert code == 2 and err.startswith("error: no prompt")
    code, _, err = run("ask", "--base-url", BASE, "   ", capsys=capsys)
    assert code == 2 and err == "error: the prompt is empty\n"


def test_any_agent_name_is_passed_and_a_422_exits_4(server, capsys) -> None:
    chat = server.post("/chat").respond(
        422,
        json={"detail": [{"loc": ["body", "agent"], "msg": "Unknown agent 'Bogus'"}]},
    )
    code, _, err = run("ask", "--base-url", BASE, "--agent", "Bogus", "hi", capsys=capsys)
    assert json.loads(chat.calls[0].request.content)["agent"] == "Bogus"
    assert code == 4
    assert err.startswith("error: the server rejected the request: agent: Unknown agent 'Bogus'")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("response", "exit_code", "text"),
    [
        (httpx.Response(401, json={"detail": "nope"}), 3, "token rejected by the server"),
        (httpx.Response(500, json={"detail": "boom"}), 5, "the server answered 500: boom"),
        (httpx.Response(503), 5, "the server answered 503"),
        (httpx.Response(429, headers={"Retry-After": "30"}), 5, "try again in 30 s"),
        (httpx.ConnectError("Connection refused"), 5, "cannot connect to http://robocoders.test"),
    ],
)
def test_errors_are_one_line_with_a_distinct_exit_code(
    server, capsys, response, exit_code: int, text: str
) -> None:
    route = server.post("/chat")
    if isinstance(response, Exception):
        route.side_effect = response
    else:
        route.mock(return_value=response)
    code, _, err = run("ask", "--base-url", BASE, "hi", capsys=capsys)
    assert code == exit_code
    assert err.startswith("error: ") and text in err
    assert err.count("\n") == 1


def test_malformed_lines_give_a_warning(server, capsys) -> None:
    server.post("/chat").respond(200, content=b"{oops\n" + agent_message("fine"))
    code, out, err = run("ask", "--base-url", BASE, "hi", capsys=capsys)
    assert code == 0 and "fine" in out
    assert "warning: skipped 1 malformed line from the server" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "--base-url", "ftp://example.com", "hi"],
        ["ask", "--base-url", "not a url", "hi"],
        ["ask", "--bogus-flag", "hi"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, argv: list[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "help_command"),
    [
        (["ask", "--bogus-flag", "hi"], "robotui ask --help"),
        (["history", "list", "--bogus-flag"], "robotui history --help"),
        (["--bogus-flag"], "robotui --help"),
        (["frobnicate"], "robotui --help"),
    ],
)
def test_usage_errors_point_to_the_help_of_the_command(capsys, argv, help_command) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    assert capsys.readouterr().err.rstrip().endswith(f"— see `{help_command}`")


def test_base_url_from_the_environment(server, capsys, monkeypatch) -> None:
    monkeypatch.setenv("ROBOTUI_BASE_URL", BASE + "/")
    server.post("/chat").respond(200, content=agent_message("via env"))
    code, out, _ = run("ask", "hi", capsys=capsys)
    assert code == 0 and "via env" in out


def test_login_with_a_token_stores_it_in_the_keyring(server, capsys, memory_keyring) -> None:
    code, _, err = run("login", "--base-url", BASE, "--token", "my-token", capsys=capsys)
    assert code == 0
    assert memory_keyring.passwords == {("robotui", BASE): "my-token"}
    assert server.routes[1].calls[0].request.headers["Authorization"] == "Bearer my-token"
    assert "Logged in to http://robocoders.test" in err and "keyring" in err


def test_login_fetches_a_token_when_none_is_given(server, capsys, memory_keyring) -> None:
    code, _, _ = run("login", "--base-url", BASE, capsys=capsys)
    assert code == 0
    assert memory_keyring.passwords == {("robotui", BASE): "tok"}


def test_login_with_a_rejected_token_stores_nothing(server, capsys, memory_keyring) -> None:
    server.get("/create-session").respond(401, json={"detail": "bad token"})
    code, _, err = run("login", "--base-url", BASE, "--token", "wrong", capsys=capsys)
    assert code == 3 and "token rejected by the server (bad token)" in err
    assert memory_keyring.passwords == {}


def test_logout_removes_token_and_sessions(server, capsys, memory_keyring) -> None:
    server.post("/chat").respond(200, content=agent_message("ok"))
    run("login", "--base-url", BASE, "--token", "t", capsys=capsys)
    from robotui.client.credentials import SessionFile

    SessionFile().save(BASE, "conv", "sid", "t")
    code, _, err = run("logout", "--base-url", BASE, capsys=capsys)
    assert code == 0 and "Logged out" in err
    assert memory_keyring.passwords == {}
    assert SessionFile().get(BASE, "conv", "t") is None
    code, _, err = run("logout", "--base-url", BASE, capsys=capsys)
    assert code == 0 and "Not logged in" in err


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("robotui ")


# ------------------------------------------------------------------ history


def history_store():
    from robotui.store import HistoryStore

    return HistoryStore.open()


def test_ask_saves_the_turn(server, capsys) -> None:
    server.post("/chat").respond(200, content=agent_message("saved answer"))
    code, _, _ = run("ask", "--base-url", BASE, "Remember me", capsys=capsys)
    assert code == 0
    with history_store() as store:
        conversation = store.latest_conversation()
        assert conversation.title == "Remember me"
        assert conversation.agent == "GeneralCodingAgent"
        assert conversation.server == BASE and conversation.session_id == "sid-1"
        (turn,) = store.turns(conversation.id)
        assert turn.prompt == "Remember me" and turn.status == "complete"
        (stored,) = store.events(conversation.id)
        assert stored.event.content == "saved answer"


def test_continue_uses_the_same_session_and_agent(server, capsys) -> None:
    chat = server.post("/chat").respond(200, content=agent_message("ok"))
    run("ask", "--base-url", BASE, "--agent", "RepoAgent", "first", capsys=capsys)
    server.get("/create-session").respond(200, json={"sid": "a-new-session"})
    code, _, _ = run("ask", "--base-url", BASE, "-c", "second", capsys=capsys)
    assert code == 0
    first, second = (json.loads(call.request.content) for call in chat.calls)
    assert second["sid"] == first["sid"] == "sid-1"
    assert second["agent"] == "RepoAgent"
    with history_store() as store:
        conversations = store.list_conversations()
        assert len(conversations) == 1
        assert [turn.prompt for turn in store.turns(conversations[0].id)] == ["first", "second"]


def test_conversation_id_continues_a_chosen_conversation(server, capsys) -> None:
    chat = server.post("/chat").respond(200, content=agent_message("ok"))
    run("ask", "--base-url", BASE, "one", capsys=capsys)
    server.get("/create-session").respond(200, json={"sid": "sid-2"})
    run("ask", "--base-url", BASE, "two", capsys=capsys)
    with history_store() as store:
        first_id = store.list_conversations()[-1].id
    code, _, _ = run(
        "ask", "--base-url", BASE, "--conversation", str(first_id), "three", capsys=capsys
    )
    assert code == 0
    assert json.loads(chat.calls[-1].request.content)["sid"] == "sid-1"
    with history_store() as store:
        assert [t.prompt for t in store.turns(first_id)] == ["one", "three"]


def test_continue_with_no_history_is_a_usage_error(capsys) -> None:
    code, _, err = run("ask", "--base-url", BASE, "-c", "hello", capsys=capsys)
    assert code == 2 and err.startswith("error: no conversation to continue")


def test_unknown_conversation_is_an_error(capsys) -> None:
    code, _, err = run("ask", "--base-url", BASE, "--conversation", "999", "hi", capsys=capsys)
    assert code == 1 and "no conversation 999" in err


def test_no_save_keeps_nothing(server, capsys) -> None:
    server.post("/chat").respond(200, content=agent_message("ok"))
    code, _, _ = run("ask", "--base-url", BASE, "--no-save", "secret", capsys=capsys)
    assert code == 0
    with history_store() as store:
        assert store.list_conversations() == []


def test_a_failed_turn_is_saved_as_failed(server, capsys) -> None:
    server.post("/chat").respond(500, json={"detail": "boom"})
    code, _, _ = run("ask", "--base-url", BASE, "doomed", capsys=capsys)
    assert code == 5
    with history_store() as store:
        (turn,) = store.turns(store.latest_conversation().id)
        assert turn.status == "error" and "500" in turn.error

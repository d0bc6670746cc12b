"""Export to Markdown and JSON, import of JSON exports and g4f message lists."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from helpers_store import (
    edit_result,
    message,
    open_store,
    output,
    record,
    run,
    sample_events,
    write,
)

from robotui.client.events import AgentMessage, BrowseResult, UnknownEvent
from robotui.store import HistoryStore, StoreError
from robotui.store.markdown import code_span, fenced, language_for
from robotui.store.transfer import MAX_IMPORT_BYTES, dumps, write_export


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path) as opened:
        yield opened


def _without_ids(document: dict[str, Any]) -> dict[str, Any]:
    document = json.loads(json.dumps(document))
    del document["exported_at"]
    del document["conversation"]["id"]
    for turn in document["turns"]:
        del turn["id"]
    return document


# -------------------------------------------------------------------- JSON


def test_json_export_is_lossless_and_reimports_equal(store: HistoryStore, tmp_path: Path) -> None:
    events = sample_events()
    original = record(store, "Write a hello world script in Python and run it.", events)
    store.set_session_id(original, "sid-1")
    store.set_pinned(original, True)
    turn = store.begin_turn(original, "and then?", "RepoAgent")
    store.append_event(turn.id, message("then this", wait=True))
    store.end_turn(turn.id, "waiting")

    exported = store.export_document(original)
    assert exported["format"] == "robotui-conversation" and exported["version"] == 1
    raws = [item["raw"] for turn in exported["turns"] for item in turn["events"]]
    assert raws[: len(events)] == [dict(event.raw) for event in events]

    path = tmp_path / "export.json"
    write_export(path, dumps(exported))
    imported = store.import_file(path)
    assert imported.id != original
    assert (imported.turn_count, imported.event_count) == (2, len(events) + 1)
    again = store.export_document(imported.id)
    assert _without_ids(again) == _without_ids(exported)
    # The import is a new conversation: the original is untouched, both are searchable.
    assert {hit.conversation_id for hit in store.search("hello")} == {original, imported.id}


def test_the_screenshot_stays_in_raw_and_out_of_markdown(store: HistoryStore) -> None:
    conversation_id = record(store, "browse", sample_events())
    browse = [
        item for item in store.events(conversation_id) if isinstance(item.event, BrowseResult)
    ]
    assert browse and browse[0].event.raw["extras"]["screenshot"].startswith("data:image")
    assert "data:image" not in store.export_markdown(conversation_id)


# ---------------------------------------------------------------- Markdown


def test_markdown_shows_prompts_commands_code_and_diffs(store: HistoryStore) -> None:
    conversation_id = record(
        store,
        "Fix the build",
        [
            message("Fix the build", source="user"),
            run("go build ./...", thought="Build first."),
            output("go build ./...", "go build ./...\nmain.go:3: undefined: x", 1),
            write("cmd/main.go", "package main\n"),
            edit_result("app.py", "--- a/app.py\n+++ b/app.py\n-x = 1\n+x = 2\n"),
            message("Fixed it."),
        ],
        title="Fix the build",
    )
    text = store.export_markdown(conversation_id)
    assert text.startswith("# Fix the build\n")
    assert "- Agent: GeneralCodingAgent" in text
    assert "## You\n\nFix the build\n\n## GeneralCodingAgent" in text
    assert text.count("Fix the build") == 2  # the echoed user message is not repeated
    assert (
        "Build first.\n\n```console\n$ go build ./...\nmain.go:3: undefined: x\n[exit 1]\n```"
        in text
    )
    assert "**Wrote `cmd/main.go`**\n\n```go\npackage main\n```" in text
    assert "```diff\n--- a/app.py\n+++ b/app.py\n-x = 1\n+x = 2\n```" in text
    assert text.rstrip().endswith("Fixed it.")


def test_markdown_fences_outgrow_backticks_inside(store: HistoryStore) -> None:
    content = "# Readme\n\n```python\nprint(1)\n```\n\nand ```` four\n"
    conversation_id = record(store, "readme", [write("README.md", content)])
    text = store.export_markdown(conversation_id)
    assert f"`````markdown\n{content}`````" in text


def test_markdown_makes_control_characters_visible(store: HistoryStore) -> None:
    conversation_id = record(store, "colours \x1b[2J", [message("red \x1b[31mtext\x9b\x07")])
    text = store.export_markdown(conversation_id)
    assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
    assert "red \\x1b[31mtext\\x9b\\x07" in text


def test_markdown_notes_turns_that_did_not_complete(store: HistoryStore) -> None:
    conversation = store.create_conversation("t", "G", "http://s")
    turn = store.begin_turn(conversation.id, "go", "G")
    store.end_turn(turn.id, "error", "server error 500")
    assert "*This turn ended with an error: server error 500*" in store.export_markdown(
        conversation.id
    )


def test_fence_and_language_helpers() -> None:
    assert fenced("x") == "```\nx\n```"
    assert fenced("a ``` b", "go") == "````go\na ``` b\n````"
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x") == "`` `x ``"
    assert [language_for(path) for path in ("a.go", "b.PY", "Dockerfile", "x", "c.tsx")] == [
        "go",
        "python",
        "dockerfile",
        "",
        "tsx",
    ]


# -------------------------------------------------------------------- g4f


def test_g4f_messages_import_as_turns(store: HistoryStore, tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    path.write_text(
        json.dumps(
            [
                {"role": "system", "content": "You are a helpful coder."},
                {"role": "user", "content": "Write fizzbuzz in Go"},
                {"role": "assistant", "content": "```go\npackage main\n```"},
                {"role": "user", "content": [{"type": "text", "text": "Now in Rust"}]},
                {"role": "assistant", "content": "fn main() {}"},
                {"role": "assistant", "content": "Done."},
            ]
        ),
        encoding="utf-8",
    )
    conversation = store.import_file(path)
    assert conversation.title == "Write fizzbuzz in Go"
    assert (conversation.turn_count, conversation.event_count) == (2, 4)
    turns = store.turns(conversation.id)
    assert [turn.prompt for turn in turns] == ["Write fizzbuzz in Go", "Now in Rust"]
    assert {turn.status for turn in turns} == {"complete"}
    events = [item.event for item in store.events(conversation.id)]
    assert isinstance(events[0], UnknownEvent) and events[0].text == "You are a helpful coder."
    replies = [event for event in events if isinstance(event, AgentMessage)]
    assert [reply.content for reply in replies] == [
        "```go\npackage main\n```",
        "fn main() {}",
        "Done.",
    ]
    assert all(not reply.from_user and not reply.wait_for_response for reply in replies)
    assert replies[0].raw["args"]["content"] == "```go\npackage main\n```"
    assert [hit.kind for hit in store.search("fizzbuzz")] == ["prompt"]
    markdown = store.export_markdown(conversation.id)
    assert "*System:* You are a helpful coder." in markdown


def test_g4f_wrapped_in_messages_and_assistant_first(store: HistoryStore) -> None:
    conversation = store.import_document(
        {
            "messages": [
                {"role": "assistant", "content": "Hello!"},
                {"role": "user", "content": "Hi"},
            ]
        }
    )
    turns = store.turns(conversation.id)
    assert [turn.prompt for turn in turns] == ["", "Hi"]
    assert conversation.title == "Hi"


# --------------------------------------------------------------- bad files


def _import_error(store: HistoryStore, tmp_path: Path, data: bytes | str) -> str:
    path = tmp_path / "bad.json"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    with pytest.raises(StoreError) as caught:
        store.import_file(path)
    message_text = str(caught.value)
    assert message_text.startswith(f"{path}: ")
    assert "\n" not in message_text
    return message_text


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("{not json", "not valid JSON: Expecting property name"),
        ("", "empty"),
        ("   \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"\xff\xfe{\xe9}", "not UTF-8 text"),
        ("42", "not a robotui conversation export or a list of {role, content} messages"),
        ('{"hello": "world"}', "not a robotui conversation export"),
        ("[]", "the message list is empty"),
        ("[1, 2]", "messages[0] must be an object"),
        ('[{"role": "robot", "content": "x"}]', "messages[0].role must be"),
        ('[{"role": "user", "content": 5}]', "messages[0].content must be a string"),
        ('[{"role": "system", "content": "x"}]', "no user or assistant messages"),
        ('{"format": "something-else", "version": 1}', "unknown format 'something-else'"),
        ('{"format": "robotui-conversation", "version": 99}', "format version 99 is newer"),
        ('{"format": "robotui-conversation", "version": "1"}', "no valid format version"),
        ('{"format": "robotui-conversation", "version": 1}', "export.conversation must be"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_bad_files_are_refused_with_one_line(
    store: HistoryStore, tmp_path: Path, data: bytes | str, problem: str
) -> None:
    assert problem in _import_error(store, tmp_path, data)
    assert store.list_conversations() == []


def test_a_damaged_export_names_the_field(store: HistoryStore, tmp_path: Path) -> None:
    conversation_id = record(store, "p", [message("m")])
    document = store.export_document(conversation_id)
    document["turns"][0]["events"][0]["raw"] = "not an object"
    assert "turns[0].events[0].raw must be an object" in _import_error(
        store, tmp_path, json.dumps(document)
    )
    document = store.export_document(conversation_id)
    document["turns"][0]["started_at"] = "yesterday"
    assert "turns[0].started_at must be an ISO-8601 time" in _import_error(
        store, tmp_path, json.dumps(document)
    )
    document = store.export_document(conversation_id)
    document["turns"][0]["status"] = "exploded"
    assert "is not a turn status" in _import_error(store, tmp_path, json.dumps(document))
    assert len(store.list_conversations()) == 1


def test_huge_missing_and_directory_files_are_refused(store: HistoryStore, tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(MAX_IMPORT_BYTES + 1)
    with pytest.raises(StoreError, match="too large to import"):
        store.import_file(huge)
    with pytest.raises(StoreError, match="no such file"):
        store.import_file(tmp_path / "missing.json")
    with pytest.raises(StoreError, match="is a directory"):
        store.import_file(tmp_path)


# ----------------------------------------------------------- writing files


def test_export_never_overwrites_without_force(tmp_path: Path) -> None:
    path = tmp_path / "out.md"
    path.write_text("precious")
    with pytest.raises(StoreError, match="already exists; use --force"):
        write_export(path, "new")
    assert path.read_text() == "precious"
    write_export(path, "new", force=True)
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_export_writes_only_the_named_file(tmp_path: Path) -> None:
    target = tmp_path / "exports"
    target.mkdir()
    write_export(target / "one.md", "# one\n")
    assert os.listdir(target) == ["one.md"]
    with pytest.raises(StoreError, match="does not exist"):
        write_export(tmp_path / "missing" / "two.md", "x")
    assert not (tmp_path / "missing").exists()
    with pytest.raises(StoreError, match="is a directory"):
        write_export(target, "x")
    assert os.listdir(target) == ["one.md"]


def test_export_does_not_follow_a_symlink_without_force(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    with pytest.raises(StoreError, match="already exists"):
        write_export(link, "overwrite?")
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(StoreError, match="already exists"):
        write_export(dangling, "x")
    assert not (tmp_path / "nowhere.txt").exists()
    assert victim.read_text() == "keep me"


def test_dumps_escapes_what_a_terminal_would_obey() -> None:
    text = dumps({"a": "\x1b[2J\x9b\u202e\x7f é"})
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    assert "\x7f" not in text and "é" in text
    assert json.loads(text) == {"a": "\x1b[2J\x9b\u202e\x7f é"}

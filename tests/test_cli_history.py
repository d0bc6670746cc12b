"""`robotui history ...`, run through `robotui.cli.main` with captured output."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers_store import message, output, record, run, sample_events

from robotui.cli import main
from robotui.cli_history import friendly_time
from robotui.store import HistoryStore


@pytest.fixture
def history() -> HistoryStore:
    """The store at the default path (the test's XDG data dir), filled by each test."""
    store = HistoryStore.open()
    yield store
    store.close()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_an_empty_history_prints_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "history", "list") == (
        0,
        "",
        'no conversations yet — try `robotui ask --demo "hello"`\n',
    )
    assert _run(capsys, "history") == _run(capsys, "history", "list")
    assert _run(capsys, "history", "list", "--json") == (0, "[]\n", "")


def test_list_prints_a_table_newest_first(
    history: HistoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    older = record(history, "Older prompt", [message("a")])
    newer = record(history, "Newer prompt", [message("b"), message("c")])
    history.set_pinned(older, True)
    code, out, err = _run(capsys, "history", "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "UPDATED", "AGENT", "TURNS", "TITLE"]
    assert lines[1].split()[0] == f"{older}*" and lines[1].endswith("Older prompt")
    assert lines[2].split()[0] == str(newer) and lines[2].endswith("Newer prompt")
    assert "GeneralCodingAgent" in lines[2] and "today" in lines[2]
    assert lines[-1] == "(* pinned)"


def test_list_json_has_the_documented_fields(
    history: HistoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    conversation_id = record(history, "Hello there", [message("a"), message("b")])
    history.set_session_id(conversation_id, "sid-7")
    code, out, _ = _run(capsys, "history", "list", "--json")
    assert code == 0
    [item] = json.loads(out)
    assert item["id"] == conversation_id and item["title"] == "Hello there"
    assert (item["agent"], item["server"], item["session_id"]) == (
        "GeneralCodingAgent",
        "http://test",
        "sid-7",
    )
    assert (item["turns"], item["events"], item["pinned"]) == (1, 2, False)
    for key in ("created_at", "updated_at"):
        assert datetime.fromisoformat(item[key]).tzinfo is not None


def test_list_search_and_limit(history: HistoryStore, capsys: pytest.CaptureFixture[str]) -> None:
    for number in range(5):
        record(history, f"Prompt {number}", [message(f"shared words and token{number}")])
    code, out, _ = _run(capsys, "history", "list", "--search", "token3", "--json")
    assert code == 0
    [found] = json.loads(out)
    assert found["title"] == "Prompt 3" and "«token3»" in found["snippet"]
    code, out, _ = _run(capsys, "history", "list", "-s", "shared", "-n", "2")
    assert code == 0 and "Prompt 4" in out and "Prompt 3" in out and "Prompt 2" not in out
    assert "«shared»" in out
    code, out, err = _run(capsys, "history", "list", "--search", "nowhere")
    assert (code, out) == (0, "") and "no conversations match 'nowhere'" in err
    code, _, err = _run(capsys, "history", "list", "--search", '"(AND*')
    assert code == 0


def test_list_limit_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["history", "list", "--limit", "0"])
    assert exited.value.code == 2
    assert "at least 1" in capsys.readouterr().err


def test_show_prints_markdown_or_json(
    history: HistoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    conversation_id = record(
        history, "Run the tests", [run("pytest -q"), output("pytest -q", "3 passed", 0)]
    )
    code, out, err = _run(capsys, "history", "show", str(conversation_id))
    assert (code, err) == (0, "")
    assert out.startswith("# Run the tests\n")
    assert "```console\n$ pytest -q\n3 passed\n[exit 0]\n```" in out
    code, out, _ = _run(capsys, "history", "show", f"#{conversation_id}", "--json")
    document = json.loads(out)
    assert code == 0 and document["conversation"]["id"] == conversation_id
    assert len(document["turns"][0]["events"]) == 2


@pytest.mark.parametrize("command", ["show", "export", "delete", "pin", "archive"])
@pytest.mark.parametrize("given", ["999", "abc", "1.5"])
def test_an_unknown_id_is_one_line_and_exit_1(
    history: HistoryStore, capsys: pytest.CaptureFixture[str], command: str, given: str
) -> None:
    record(history, "exists", [])
    code, out, err = _run(capsys, "history", command, given)
    assert (code, out) == (1, "")
    assert err == f"error: no conversation {given} — see `robotui history list`\n"


def test_show_never_passes_escape_sequences_to_the_terminal(
    history: HistoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    conversation_id = record(
        history, "title", [message("\x1b]0;pwned\x07 \x1b[2J text \x9b31m \u202eevil")]
    )
    for extra in ([], ["--json"]):
        code, out, _ = _run(capsys, "history", "show", str(conversation_id), *extra)
        assert code == 0
        for dangerous in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert dangerous not in out, (extra, dangerous)
    code, out, _ = _run(capsys, "history", "list")
    assert "\x1b" not in out


def test_export_to_stdout_and_to_a_file(
    history: HistoryStore, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    conversation_id = record(history, "Export me", sample_events())
    code, out, _ = _run(capsys, "history", "export", str(conversation_id))
    assert code == 0 and out.startswith("# Export me\n")
    target = tmp_path / "out.json"
    code, out, err = _run(
        capsys, "history", "export", str(conversation_id), "--format", "json", "-o", str(target)
    )
    assert (code, out) == (0, "") and str(target) in err
    assert json.loads(target.read_text())["conversation"]["title"] == "Export me"
    code, _, err = _run(capsys, "history", "export", str(conversation_id), "-o", str(target))
    assert code == 1
    assert err == f"error: {target} already exists; use --force to replace it\n"
    assert json.loads(target.read_text())["conversation"]["title"] == "Export me"
    code, _, _ = _run(
        capsys, "history", "export", str(conversation_id), "-o", str(target), "--force"
    )
    assert code == 0 and target.read_text().startswith("# Export me")
    code, _, err = _run(
        capsys, "history", "export", str(conversation_id), "-o", str(tmp_path / "no" / "x.md")
    )
    assert code == 1 and "does not exist" in err


def test_export_format_is_checked_by_argparse(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["history", "export", "1", "--format", "pdf"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.startswith("error: argument --format")


def test_import_round_trip_through_the_cli(
    history: HistoryStore, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    original = record(history, "Round trip", [message("there and back")])
    target = tmp_path / "trip.json"
    assert (
        _run(capsys, "history", "export", str(original), "--format", "json", "-o", str(target))[0]
        == 0
    )
    code, out, err = _run(capsys, "history", "import", str(target))
    assert (code, err) == (0, "")
    imported_id = int(out.split()[2].rstrip(":"))
    assert out == f"imported conversation {imported_id}: Round trip (1 turn, 1 event)\n"
    assert imported_id != original
    code, out, _ = _run(capsys, "history", "list", "--json")
    assert sorted(item["id"] for item in json.loads(out)) == sorted([original, imported_id])


def test_import_g4f_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(messages).encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = _run(capsys, "history", "import", "-")
    assert code == 0 and out.endswith(": Hi (1 turn, 1 event)\n")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"not json at all", "not valid JSON"),
        (b"\x00\x01\x02binary", "not a text file"),
        (b'{"format": "robotui-conversation", "version": 2}', "newer than this robotui"),
        (b'[{"role": "wizard", "content": "x"}]', "role must be"),
    ],
)
def test_a_bad_import_file_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, problem: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, out, err = _run(capsys, "history", "import", str(bad))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {bad}: ") and problem in err
    assert err.count("\n") == 1 and "Traceback" not in err
    code, _, err = _run(capsys, "history", "import", str(tmp_path / "missing.json"))
    assert code == 1 and "no such file" in err


def test_delete_rename_pin_archive(
    history: HistoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    keep = record(history, "Keep", [])
    drop = record(history, "Drop", [])
    assert _run(capsys, "history", "rename", str(keep), "A", "better", "title") == (
        0,
        f"renamed conversation {keep}: A better title\n",
        "",
    )
    assert history.get_conversation(keep).title == "A better title"  # type: ignore[union-attr]
    code, _, err = _run(capsys, "history", "rename", str(keep), " ")
    assert code == 2 and err == "error: a title cannot be empty\n"
    assert _run(capsys, "history", "pin", str(keep))[:2] == (0, f"pinned conversation {keep}\n")
    assert history.get_conversation(keep).pinned  # type: ignore[union-attr]
    assert _run(capsys, "history", "unpin", str(keep))[0] == 0
    assert not history.get_conversation(keep).pinned  # type: ignore[union-attr]
    assert _run(capsys, "history", "archive", str(keep))[0] == 0
    _, out, _ = _run(capsys, "history", "list", "--json")
    assert [item["id"] for item in json.loads(out)] == [drop]
    _, out, _ = _run(capsys, "history", "list", "--all")
    assert "(archived)" in out
    assert _run(capsys, "history", "unarchive", str(keep))[0] == 0
    assert _run(capsys, "history", "delete", str(drop)) == (
        0,
        f"deleted conversation {drop}: Drop\n",
        "",
    )
    assert history.get_conversation(drop) is None
    assert _run(capsys, "history", "delete", str(drop))[0] == 1


def test_a_broken_database_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], isolated_environment: Path
) -> None:
    path = isolated_environment / "data" / "robotui" / "history.db"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage " * 1000)
    code, out, err = _run(capsys, "history", "list")
    assert (code, out) == (1, "")
    assert err.startswith("error: ") and "not a usable history database" in err
    assert err.count("\n") == 1


def test_friendly_time() -> None:
    now = datetime(2025, 6, 15, 12, 0, tzinfo=UTC).astimezone()
    assert friendly_time(now, now).startswith("today ")
    assert friendly_time(now - timedelta(days=1), now).startswith("yesterday ")
    assert friendly_time(now - timedelta(days=30), now) == (now - timedelta(days=30)).strftime(
        "%b %d %H:%M"
    )
    assert friendly_time(now - timedelta(days=400), now) == (now - timedelta(days=400)).strftime(
        "%Y-%m-%d"
    )


@pytest.mark.parametrize(
    ("argv", "message_start"),
    [
        (["history", "bogus"], "error: argument ACTION: invalid choice: 'bogus'"),
        (["history", "show"], "error: the following arguments are required: ID"),
        (["history", "rename", "1"], "error: the following arguments are required: TITLE"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message_start: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(message_start) and err.count("\n") == 1

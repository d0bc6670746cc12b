"""The store's API: conversations, turns, events, titles, recording, threads."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from helpers_store import message, open_store, output, record, run, sample_events, state

from robotui.client.events import AgentMessage, AutoContinued, CommandRun, SessionRenewed
from robotui.store import (
    ConversationNotFound,
    HistoryStore,
    StoreError,
    title_from_prompt,
)


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path) as opened:
        yield opened


# ----------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        ("Fix the bug", "Fix the bug"),
        ("\n\n   \n  Fix   the\tbug  \nand more", "Fix the bug"),
        ("```\nprint('x')\n```", "print('x')"),
        ("---\n\nRefactor it", "Refactor it"),
        ("", "Untitled conversation"),
        ("   \n ** \n", "Untitled conversation"),
        ("red \x1b[31malert\x1b[0m now", "red [31malert [0m now"),
    ],
)
def test_title_from_prompt_takes_the_first_meaningful_line(prompt: str, title: str) -> None:
    assert title_from_prompt(prompt) == title


def test_a_long_first_line_is_cut_at_a_word_with_an_ellipsis() -> None:
    prompt = "Please write a command line tool that converts markdown files into html pages quickly"
    title = title_from_prompt(prompt)
    assert len(title) <= 60
    assert title.endswith("…")
    assert prompt.startswith(title[:-1])
    assert title == "Please write a command line tool that converts markdown…"
    assert len(title_from_prompt("x" * 500)) == 60


def test_rename_keeps_one_clean_line(store: HistoryStore) -> None:
    conversation = store.create_conversation("first", "GeneralCodingAgent", "http://s")
    store.rename(conversation.id, "  a\nnew \x07 title ")
    assert store.get_conversation(conversation.id).title == "a new title"  # type: ignore[union-attr]
    with pytest.raises(StoreError, match="empty"):
        store.rename(conversation.id, " \n ")
    with pytest.raises(StoreError, match="at most 200"):
        store.rename(conversation.id, "x" * 201)
    with pytest.raises(ConversationNotFound, match="no conversation 999"):
        store.rename(999, "nobody")


# ---------------------------------------------------------- conversations


def test_create_and_get_a_conversation(store: HistoryStore) -> None:
    created = store.create_conversation("Title", "RepoAgent", "http://server", "sid-1")
    got = store.get_conversation(created.id)
    assert got == created
    assert (got.title, got.agent, got.server, got.session_id) == (
        "Title",
        "RepoAgent",
        "http://server",
        "sid-1",
    )
    assert got.created_at.tzinfo is not None and got.created_at == got.updated_at
    assert (got.turn_count, got.event_count, got.pinned, got.archived) == (0, 0, False, False)
    assert store.get_conversation(created.id + 1) is None


def test_setters_change_one_field_each(store: HistoryStore) -> None:
    conversation = store.create_conversation("t", "GeneralCodingAgent", "http://s")
    store.set_session_id(conversation.id, "sid-9")
    store.set_agent(conversation.id, "FrontEndAgent")
    store.set_pinned(conversation.id, True)
    store.set_archived(conversation.id, True)
    got = store.get_conversation(conversation.id)
    assert got is not None
    assert (got.session_id, got.agent, got.pinned, got.archived) == (
        "sid-9",
        "FrontEndAgent",
        True,
        True,
    )
    for setter in (store.set_pinned, store.set_archived):
        with pytest.raises(ConversationNotFound):
            setter(12345, True)
    with pytest.raises(ConversationNotFound):
        store.delete(12345)


def test_list_is_pinned_first_then_newest_activity(store: HistoryStore) -> None:
    first = record(store, "one", [])
    second = record(store, "two", [])
    third = record(store, "three", [])
    assert [item.id for item in store.list_conversations()] == [third, second, first]
    # Activity on the oldest moves it to the top; pinning beats activity.
    turn = store.begin_turn(first, "more", "GeneralCodingAgent")
    store.end_turn(turn.id, "complete")
    assert [item.id for item in store.list_conversations()] == [first, third, second]
    store.set_pinned(second, True)
    assert [item.id for item in store.list_conversations()] == [second, first, third]
    assert store.latest_conversation().id == first  # type: ignore[union-attr]
    # A rename is not activity.
    store.rename(third, "renamed")
    assert [item.id for item in store.list_conversations()] == [second, first, third]


def test_archived_conversations_are_listed_only_when_asked(store: HistoryStore) -> None:
    kept = record(store, "kept", [])
    hidden = record(store, "hidden", [])
    store.set_archived(hidden, True)
    assert [item.id for item in store.list_conversations()] == [kept]
    assert [item.id for item in store.list_conversations(include_archived=True)] == [hidden, kept]
    assert store.latest_conversation().id == kept  # type: ignore[union-attr]


def test_list_pages_with_limit_and_offset(store: HistoryStore) -> None:
    ids = [record(store, f"conversation {number}", []) for number in range(7)]
    newest_first = list(reversed(ids))
    pages = [
        [item.id for item in store.list_conversations(limit=3, offset=offset)]
        for offset in (0, 3, 6, 9)
    ]
    assert pages == [newest_first[:3], newest_first[3:6], newest_first[6:], []]
    assert store.list_conversations(limit=0) == []


def test_empty_store(store: HistoryStore) -> None:
    assert store.list_conversations() == []
    assert store.latest_conversation() is None
    assert store.search("anything") == []


# ------------------------------------------------------------ turns, events


def test_turns_and_events_come_back_typed_and_in_order(store: HistoryStore) -> None:
    events = sample_events()
    conversation_id = record(store, "Write a hello world script", events)
    [turn] = store.turns(conversation_id)
    assert (turn.seq, turn.prompt, turn.status, turn.error) == (
        1,
        "Write a hello world script",
        "complete",
        None,
    )
    assert turn.ended_at is not None and turn.ended_at >= turn.started_at
    stored = store.events(conversation_id)
    assert [item.seq for item in stored] == list(range(1, len(events) + 1))
    assert [item.event for item in stored] == events
    assert [dict(item.event.raw) for item in stored] == [dict(event.raw) for event in events]
    assert [item.kind for item in stored] == [event.kind for event in events]
    assert {item.turn_id for item in stored} == {turn.id}
    conversation = store.get_conversation(conversation_id)
    assert (conversation.turn_count, conversation.event_count) == (1, len(events))  # type: ignore[union-attr]


def test_events_page_by_seq_and_filter_by_turn(store: HistoryStore) -> None:
    conversation = store.create_conversation("paging", "GeneralCodingAgent", "http://s")
    turn_ids = []
    for number in range(3):
        turn = store.begin_turn(conversation.id, f"prompt {number}", "GeneralCodingAgent")
        for index in range(10):
            store.append_event(turn.id, message(f"turn {number} event {index}"))
        store.end_turn(turn.id, "complete")
        turn_ids.append(turn.id)
    pages, after = [], None
    while page := store.events(conversation.id, after=after, limit=7):
        pages.append([item.seq for item in page])
        after = page[-1].seq
    assert [seq for page in pages for seq in page] == list(range(1, 31))
    assert [len(page) for page in pages] == [7, 7, 7, 7, 2]
    middle = store.events(conversation.id, turn_id=turn_ids[1])
    assert [item.event.content for item in middle] == [  # type: ignore[attr-defined]
        f"turn 1 event {index}" for index in range(10)
    ]
    assert [item.seq for item in store.events(conversation.id, turn_id=turn_ids[1], limit=2)] == [
        11,
        12,
    ]


def test_begin_turn_needs_a_conversation_and_sets_its_agent(store: HistoryStore) -> None:
    with pytest.raises(ConversationNotFound):
        store.begin_turn(404, "hello", "GeneralCodingAgent")
    conversation = store.create_conversation("t", "GeneralCodingAgent", "http://s")
    turn = store.begin_turn(conversation.id, "hello", "RepoAgent")
    assert (turn.status, turn.agent, turn.seq) == ("running", "RepoAgent", 1)
    assert store.get_conversation(conversation.id).agent == "RepoAgent"  # type: ignore[union-attr]
    store.end_turn(turn.id, "error", "the server said no")
    [ended] = store.turns(conversation.id)
    assert (ended.status, ended.error) == ("error", "the server said no")
    with pytest.raises(StoreError, match="cannot end as 'running'"):
        store.end_turn(turn.id, "running")  # type: ignore[arg-type]


def test_a_session_renewal_moves_the_conversation_to_the_new_session(
    store: HistoryStore,
) -> None:
    conversation = store.create_conversation("t", "GeneralCodingAgent", "http://s", "old-sid")
    turn = store.begin_turn(conversation.id, "hello", "GeneralCodingAgent")
    store.append_event(turn.id, SessionRenewed.create("old-sid", "new-sid", "session expired"))
    store.append_event(turn.id, AutoContinued.create(1, 3))
    store.end_turn(turn.id, "complete")
    assert store.get_conversation(conversation.id).session_id == "new-sid"  # type: ignore[union-attr]
    kinds = [type(item.event) for item in store.events(conversation.id)]
    assert kinds == [SessionRenewed, AutoContinued]


def test_events_of_a_deleted_conversation_are_dropped_quietly(store: HistoryStore) -> None:
    conversation = store.create_conversation("t", "GeneralCodingAgent", "http://s")
    turn = store.begin_turn(conversation.id, "hello", "GeneralCodingAgent")
    store.delete(conversation.id)
    store.append_event(turn.id, message("too late"))
    store.end_turn(turn.id, "complete")  # neither raises nor resurrects anything
    store.flush()
    assert store.list_conversations() == []


def test_events_are_committed_without_an_explicit_flush(tmp_path: Path) -> None:
    with open_store(tmp_path, batch_window=0.02) as store:
        conversation = store.create_conversation("t", "GeneralCodingAgent", "http://s")
        turn = store.begin_turn(conversation.id, "hello", "GeneralCodingAgent")
        store.append_event(turn.id, message("on its way"))
        # Another connection sees the event once the writer's batch window has passed;
        # no flush() from us. Bounded wait, polling, rather than a fixed sleep.
        other = sqlite3.connect(tmp_path / "history.db")
        deadline = threading.Event()
        for _ in range(200):
            if other.execute("SELECT count(*) FROM events").fetchone()[0] == 1:
                break
            deadline.wait(0.01)
        assert other.execute("SELECT count(*) FROM events").fetchone()[0] == 1
        other.close()
        store.end_turn(turn.id, "complete")


def test_closing_interrupts_turns_left_running(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        conversation = store.create_conversation("t", "GeneralCodingAgent", "http://s")
        turn = store.begin_turn(conversation.id, "hello", "GeneralCodingAgent")
        store.append_event(turn.id, message("partial"))
    with open_store(tmp_path) as store:
        [closed] = store.turns(conversation.id)
        assert closed.status == "interrupted"
        assert [item.event.text for item in store.events(conversation.id)] == ["partial"]


def test_a_closed_store_refuses_work(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.create_conversation("t", "a", "s")
    with pytest.raises(StoreError, match="closed"):
        store.list_conversations()
    with pytest.raises(StoreError, match="closed"):
        store.append_event(1, message("x"))


# ---------------------------------------------------------------- recorder


def test_record_turn_ends_complete_or_waiting(store: HistoryStore) -> None:
    conversation = store.create_conversation("t", "GeneralCodingAgent", "http://s")
    with store.record_turn(conversation.id, "go", "GeneralCodingAgent") as turn:
        turn.add(run("ls"))
        turn.add(output("ls", "a b", 0))
        turn.add(message("done"))
    with store.record_turn(conversation.id, "more", "GeneralCodingAgent") as turn:
        turn.add(message("Which file?", wait=True))
        turn.add(state("awaiting_user_input"))
    with store.record_turn(conversation.id, "file a", "GeneralCodingAgent") as turn:
        turn.add(message("Should I?", wait=True))
        turn.add(state("running"))
        turn.add(message("Did it."))
    with store.record_turn(conversation.id, "override", "GeneralCodingAgent") as turn:
        turn.status = "waiting"
    assert [item.status for item in store.turns(conversation.id)] == [
        "complete",
        "waiting",
        "complete",
        "waiting",
    ]
    assert store.get_conversation(conversation.id).event_count == 8  # type: ignore[union-attr]


def test_record_turn_ends_cancelled_or_error(store: HistoryStore) -> None:
    conversation = store.create_conversation("t", "GeneralCodingAgent", "http://s")
    with pytest.raises(KeyboardInterrupt), store.record_turn(conversation.id, "a", "G") as turn:
        turn.add(message("partial"))
        raise KeyboardInterrupt
    with pytest.raises(asyncio.CancelledError), store.record_turn(conversation.id, "b", "G"):
        raise asyncio.CancelledError
    with pytest.raises(RuntimeError), store.record_turn(conversation.id, "c", "G"):
        raise RuntimeError("the network went away")
    turns = store.turns(conversation.id)
    assert [(item.status, item.error) for item in turns] == [
        ("cancelled", None),
        ("cancelled", None),
        ("error", "the network went away"),
    ]
    assert [item.event.text for item in store.events(conversation.id)] == ["partial"]


# ----------------------------------------------------------------- threads


def test_many_threads_write_and_read_at_once(store: HistoryStore) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def writer(number: int) -> None:
        try:
            start.wait()
            conversation = store.create_conversation(f"thread {number}", "G", "http://s")
            for turn_number in range(5):
                with store.record_turn(conversation.id, f"p{turn_number}", "G") as turn:
                    for index in range(20):
                        turn.add(message(f"thread {number} turn {turn_number} event {index}"))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def reader() -> None:
        try:
            start.wait()
            for _ in range(50):
                for conversation in store.list_conversations():
                    store.events(conversation.id, limit=10)
                store.search("event")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    conversations = store.list_conversations()
    assert len(conversations) == 4
    for conversation in conversations:
        assert (conversation.turn_count, conversation.event_count) == (5, 100)
        seqs = [item.seq for item in store.events(conversation.id)]
        assert seqs == list(range(1, 101))
        texts = [item.event.text for item in store.events(conversation.id)]
        assert len(set(texts)) == 100


def test_typed_events_survive_storage(store: HistoryStore) -> None:
    conversation_id = record(store, "p", [run("echo hi", thought="say hi"), message("bye")])
    first, second = (item.event for item in store.events(conversation_id))
    assert isinstance(first, CommandRun) and first.command == "echo hi"
    assert first.thought == "say hi"
    assert isinstance(second, AgentMessage) and second.content == "bye"

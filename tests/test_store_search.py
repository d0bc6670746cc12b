"""Full-text search: words, phrases, prefixes, unicode, and input that must never break it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_store import edit_result, message, open_store, output, record, run, write

from robotui.store import HistoryStore
from robotui.store.search import MAX_EXPANSION, fts_query, parse_search, snippet


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path) as opened:
        record(opened, "Make the tests pass", [message("The red fox jumps over the lazy dog")])
        record(
            opened,
            "Deploy the service",
            [
                run("kubectl apply -f deployment.yaml", thought="Roll it out"),
                output("kubectl apply -f deployment.yaml", "deployment.apps/web configured", 0),
            ],
        )
        record(
            opened,
            "Écris un café",
            [message("Voilà: le café est prêt. Привет, Мир!"), message("日本語のテキスト")],
        )
        record(
            opened,
            "Write code",
            [
                write("src/main.go", 'package main\nfunc main() { fmt.Println("gopher") }'),
                edit_result("src/app.py", "--- a\n+++ b\n-old_name = 1\n+new_name = 2\n"),
            ],
        )
        yield opened


def titles(store: HistoryStore, text: str) -> list[str]:
    return [item.title for item in store.list_conversations(search=text)]


def test_words_must_all_appear_in_any_order(store: HistoryStore) -> None:
    assert titles(store, "fox") == ["Make the tests pass"]
    assert titles(store, "dog red") == ["Make the tests pass"]
    assert titles(store, "fox kubectl") == []
    assert titles(store, "FOX") == ["Make the tests pass"]


def test_a_quoted_phrase_must_appear_as_is(store: HistoryStore) -> None:
    assert titles(store, '"red fox"') == ["Make the tests pass"]
    assert titles(store, '"fox red"') == []
    assert titles(store, '"lazy dog" jumps') == ["Make the tests pass"]


def test_a_trailing_star_is_a_prefix(store: HistoryStore) -> None:
    assert titles(store, "kube*") == ["Deploy the service"]
    assert titles(store, "kube") == []
    assert titles(store, "deploy*") == ["Deploy the service"]


def test_prompts_commands_output_code_and_diffs_are_searchable(store: HistoryStore) -> None:
    assert {hit.kind for hit in store.search("deployment")} == {"run", "run_output"}
    assert [hit.kind for hit in store.search("configured")] == ["run_output"]
    assert [hit.kind for hit in store.search("gopher")] == ["write"]
    assert [hit.kind for hit in store.search("new_name")] == ["edit_output"]
    assert [hit.kind for hit in store.search("tests")] == ["prompt"]
    [hit] = store.search("Roll")
    assert hit.title == "Deploy the service" and hit.event_seq == 1


def test_unicode_case_and_diacritics(store: HistoryStore) -> None:
    assert titles(store, "cafe") == ["Écris un café"]
    assert titles(store, "CAFÉ") == ["Écris un café"]
    assert titles(store, "привет мир") == ["Écris un café"]
    assert titles(store, "日本語のテキスト") == ["Écris un café"]
    assert titles(store, "ecris") == ["Écris un café"]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        '"unclosed phrase',
        "AND",
        "OR fox",
        "fox NOT dog",
        "NEAR(fox dog)",
        "*",
        "**",
        "(",
        ")",
        "fox)",
        "col:fox",
        "^fox",
        "+-",
        "fox AND",
        "'; DROP TABLE events; --",
        "\x00\x1b[31m",
        "🦊",
        "   ",
        "",
        "a" * 5000,
    ],
)
def test_any_input_is_accepted(store: HistoryStore, text: str) -> None:
    store.search(text)
    store.list_conversations(search=text)
    assert len(store.list_conversations()) == 4  # and nothing was harmed


def test_operators_are_plain_words(store: HistoryStore) -> None:
    # "fox AND" means the words fox and "and": there is no "and" in the text.
    assert titles(store, "fox AND") == []
    assert titles(store, "fox)") == ["Make the tests pass"]
    assert titles(store, "(fox") == ["Make the tests pass"]
    assert titles(store, "NEAR(fox") == []


def test_fts_query_quotes_every_piece() -> None:
    assert fts_query("red fox") == '"red" "fox"'
    assert fts_query('"red fox" dog*') == '"red fox" "dog"*'
    assert fts_query('say "hi') == '"say" "hi"'
    assert fts_query('a"b') == '"a""b"'
    assert fts_query("AND OR NOT") == '"AND" "OR" "NOT"'
    assert fts_query("( ) * \" ''") is None
    assert fts_query("") is None


def test_snippets_mark_the_match(store: HistoryStore) -> None:
    [conversation] = store.list_conversations(search="lazy")
    assert conversation.snippet is not None and "«lazy»" in conversation.snippet
    [hit] = store.search("lazy")
    assert "«lazy»" in hit.snippet


def test_search_results_are_newest_match_first_and_page(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        ids = [record(store, f"topic {n}", [message(f"common words number {n}")]) for n in range(6)]
        found = [item.id for item in store.list_conversations(search="common", limit=4)]
        assert found == list(reversed(ids))[:4]
        rest = [item.id for item in store.list_conversations(search="common", limit=4, offset=4)]
        assert rest == list(reversed(ids))[4:]
        # A conversation that matched long ago comes first once it matches again.
        turn = store.begin_turn(ids[0], "again", "G")
        store.append_event(turn.id, message("common again"))
        store.end_turn(turn.id, "complete")
        assert store.list_conversations(search="common", limit=1)[0].id == ids[0]
        assert len(store.search("common", limit=3)) == 3


def test_archived_conversations_are_searched_only_when_asked(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        hidden = record(store, "hidden", [message("needle")])
        shown = record(store, "shown", [message("needle")])
        store.set_archived(hidden, True)
        assert [item.id for item in store.list_conversations(search="needle")] == [shown]
        everything = store.list_conversations(search="needle", include_archived=True)
        assert [item.id for item in everything] == [shown, hidden]
        assert {hit.archived for hit in store.search("needle")} == {True, False}


def test_renamed_titles_show_in_hits(store: HistoryStore) -> None:
    [conversation] = store.list_conversations(search="lazy")
    store.rename(conversation.id, "Foxes")
    assert [hit.title for hit in store.search("lazy")] == ["Foxes"]


def test_a_prefix_of_many_words_falls_back_to_a_plain_prefix_query(tmp_path: Path) -> None:
    # More words than MAX_EXPANSION start with "zq": the query cannot list them all,
    # and must still find the conversations (the slow path, but correct).
    many = " ".join(f"zq{number:03d}" for number in range(MAX_EXPANSION + 10))
    with open_store(tmp_path) as store:
        crowded = record(store, "crowded", [message(many)])
        sparse = record(store, "sparse", [message("zqueue works")])
        assert [item.id for item in store.list_conversations(search="zq*")] == [sparse, crowded]
        assert [item.id for item in store.list_conversations(search="zq0*")] == [crowded]
        assert [item.id for item in store.list_conversations(search="zqu*")] == [sparse]
        assert store.list_conversations(search="zqx*") == []
        assert [hit.conversation_id for hit in store.search("zq07*")] == [crowded]


def test_short_prefixes_use_their_own_index(store: HistoryStore) -> None:
    assert titles(store, "k*") == ["Deploy the service"]
    assert titles(store, "ku*") == ["Deploy the service"]
    assert titles(store, "pr*") == ["Write code", "Écris un café"]  # Println, prêt
    assert titles(store, "PRÊ*") == ["Écris un café"]  # expanded to the folded "pret"


@pytest.mark.parametrize(
    ("body", "query", "expected"),
    [
        ("the red fox", "fox", "the red «fox»"),
        ("Le CAFÉ est prêt", "cafe", "Le «CAFÉ» est prêt"),
        ("configure the configuration", "config*", "«configure» the «configuration»"),
        ("a b c d e f g h i j k l m n o p q r s t", "j", "…g h i «j» k l m n o p q r…"),
        ("line one\n\nline   two", "two", "line one line «two»"),
        ("no match here", "absent", "no match here"),
        ("say red fox and red", '"red fox"', "say «red» «fox» and «red»"),
    ],
)
def test_snippets_are_short_single_lines_with_marks(body: str, query: str, expected: str) -> None:
    assert snippet(body, parse_search(query)) == expected


def test_a_snippet_of_one_enormous_word_is_clipped() -> None:
    assert len(snippet("x" * 10_000, parse_search("x"))) <= 200

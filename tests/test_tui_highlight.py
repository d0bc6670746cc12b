"""`Code`: highlighted code that wraps by cells and keeps every character."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.segment import Segment

from robotui.tui.highlight import Code


def rows(code: Code, width: int) -> list[list[Segment]]:
    console = Console(width=width, force_terminal=True, color_system="truecolor")
    return console.render_lines(code, console.options, pad=False)


def text_of(line: list[Segment]) -> str:
    return "".join(segment.text for segment in line)


@pytest.mark.parametrize(
    ("source", "language"),
    [
        ('print(file_editor(**{"command": "create", "path": "/workspace/hello.py"}))', "python"),
        ("x" * 200, "python"),
        ("Привет мир " * 12 + "日本語" * 20, "text"),
        ('func main() {\n\tfmt.Println("hi 🚀")\n}', "go"),
    ],
)
@pytest.mark.parametrize("width", [12, 40, 80])
def test_wrapping_keeps_every_character_within_the_width(
    source: str, language: str, width: int
) -> None:
    lines = rows(Code(source, language, "monokai", "#222222"), width)
    from rich.cells import cell_len

    assert all(cell_len(text_of(line)) == width for line in lines), "padded to the width"
    # Each row is a space of padding, the text, and filler: take the text back out.
    joined = "".join(text_of(line)[1:].rstrip(" ") + "\n" for line in lines)
    expected = source.expandtabs(4)
    assert joined.replace("\n", "").replace(" ", "") == expected.replace("\n", "").replace(" ", "")


def test_wraps_after_a_space_where_it_can() -> None:
    lines = rows(Code("alpha beta gamma delta", "text", "monokai", "#222222"), 14)
    assert [text_of(line).strip() for line in lines] == ["alpha beta", "gamma delta"]


def test_a_diff_is_coloured_by_line() -> None:
    lines = rows(Code("-old\n+new", "diff", "monokai", "#222222"), 20)
    removed = next(s for s in lines[0] if s.text.startswith("-"))
    added = next(s for s in lines[1] if s.text.startswith("+"))
    assert removed.style.color != added.style.color
    assert len(lines) == 2, "no extra line for the newline the lexer adds"


def test_unknown_language_is_plain_text() -> None:
    lines = rows(Code("some text", "no-such-language", "monokai", "#222222"), 20)
    assert text_of(lines[0]).strip() == "some text"

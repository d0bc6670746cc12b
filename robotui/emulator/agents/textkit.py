"""`textkit`: the small Python repository RepoAgent works in, with one real bug.

`slugify` replaces every separator character on its own, so "Hello,  World!"
becomes "hello---world"; its test expects "hello-world". The fix is one `+`.
"""

from __future__ import annotations

from robotui.emulator.code.base import pytest_rule

__all__ = ["FILES", "FIXED_SLUG", "REPO", "SLUG_PATH", "failing_run", "passing_run"]

REPO = "/workspace/textkit"
SLUG_PATH = f"{REPO}/textkit/slug.py"

SLUG = '''"""URL slugs: "Crème brûlée, s'il vous plaît" -> "creme-brulee-s-il-vous-plait"."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slugify"]

# Letters that do not decompose into a base letter plus accents.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d"})


def _strip_accents(text: str) -> str:
    """Drop accents: "brûlée" -> "brulee". Characters with no ASCII form vanish."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _cut(slug: str, max_length: int, separator: str) -> str:
    """Shorten `slug` to `max_length` without cutting a word in half."""
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    if separator in cut:
        cut = cut[: cut.rindex(separator)]
    return cut[:max_length].strip(separator)


def slugify(text: str, separator: str = "-", max_length: int | None = None) -> str:
    """Turn `text` into a URL slug: lowercase ASCII words joined by `separator`.

    >>> slugify("Crème brûlée, s'il vous plaît")
    'creme-brulee-s-il-vous-plait'
    >>> slugify("Hello, World!", max_length=8)
    'hello'
    """
    ascii_text = _strip_accents(text)
    slug = re.sub(r"[^a-z0-9]", separator, ascii_text).strip(separator)
    if max_length is not None:
        slug = _cut(slug, max_length, separator)
    return slug
'''

FIXED_SLUG = SLUG.replace(
    '    slug = re.sub(r"[^a-z0-9]", separator, ascii_text).strip(separator)\n',
    "    # One separator per run of other characters, not one per character.\n"
    '    slug = re.sub(r"[^a-z0-9]+", separator, ascii_text).strip(separator)\n',
)

STRINGS = '''"""Small string helpers."""

from __future__ import annotations

__all__ = ["truncate", "word_count"]


def truncate(text: str, width: int, placeholder: str = "…") -> str:
    """`text` cut to at most `width` characters, ending in `placeholder` when cut."""
    if len(text) <= width:
        return text
    return text[: max(0, width - len(placeholder))].rstrip() + placeholder


def word_count(text: str) -> int:
    """The number of whitespace-separated words in `text`."""
    return len(text.split())
'''

TEST_SLUG = """from textkit import slugify


def test_lowercases_and_joins_words():
    assert slugify("Hello World") == "hello-world"


def test_strips_accents():
    assert slugify("Crème brûlée") == "creme-brulee"


def test_collapses_separators():
    assert slugify("Hello,  World!") == "hello-world"


def test_max_length_keeps_whole_words():
    assert slugify("The quick brown fox", max_length=12) == "the-quick"
"""

TEST_STRINGS = """import pytest

from textkit import truncate, word_count


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [("short", 10, "short"), ("a long sentence", 8, "a long…"), ("", 3, "")],
)
def test_truncate(text, width, expected):
    assert truncate(text, width) == expected


def test_word_count():
    assert word_count("  two   words ") == 2


def test_word_count_empty():
    assert word_count("") == 0
"""

FILES = {
    f"{REPO}/README.md": "# textkit\n\nSmall text utilities: `slugify`, `truncate`, "
    "`word_count`.\n\n```bash\npip install -e . && python -m pytest\n```\n",
    f"{REPO}/pyproject.toml": '[project]\nname = "textkit"\nversion = "0.3.1"\n'
    'requires-python = ">=3.10"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    f"{REPO}/textkit/__init__.py": '"""textkit: small text utilities."""\n\n'
    "from textkit.slug import slugify\nfrom textkit.strings import truncate, word_count\n\n"
    '__all__ = ["slugify", "truncate", "word_count"]\n',
    SLUG_PATH: SLUG,
    f"{REPO}/textkit/strings.py": STRINGS,
    f"{REPO}/tests/test_slug.py": TEST_SLUG,
    f"{REPO}/tests/test_strings.py": TEST_STRINGS,
}

_HEADER = (
    f"{pytest_rule('test session starts')}\n"
    "platform linux -- Python 3.12.7, pytest-8.3.4, pluggy-1.5.0\n"
    f"rootdir: {REPO}\nconfigfile: pyproject.toml\n"
)


def _progress(path: str, marks: str, percent: int) -> str:
    left = f"{path} {marks}"
    return f"{left}{f'[{percent:>3}%]':>{80 - len(left)}}"


def failing_run() -> str:
    """pytest's output before the fix: one failure, with its assertion diff."""
    return (
        f"{_HEADER}collected 9 items\n\n"
        f"{_progress('tests/test_slug.py', '..F.', 44)}\n"
        f"{_progress('tests/test_strings.py', '.....', 100)}\n\n"
        f"{pytest_rule('FAILURES')}\n"
        f"{pytest_rule('test_collapses_separators', '_')}\n\n"
        "    def test_collapses_separators():\n"
        '>       assert slugify("Hello,  World!") == "hello-world"\n'
        "E       AssertionError: assert 'hello---world' == 'hello-world'\n"
        "E         \n"
        "E         - hello-world\n"
        "E         + hello---world\n"
        "E         ?      ++\n\n"
        "tests/test_slug.py:13: AssertionError\n"
        f"{pytest_rule('short test summary info')}\n"
        "FAILED tests/test_slug.py::test_collapses_separators - AssertionError: "
        "assert 'hello---world' == 'hello-world'\n"
        f"{pytest_rule('1 failed, 8 passed in 0.05s')}"
    )


def passing_run(extra: int = 0) -> str:
    """pytest's output once everything passes (`extra` tests added by the agent)."""
    total = 9 + extra
    strings = "." * (5 + extra)
    return (
        f"{_HEADER}collected {total} items\n\n"
        f"{_progress('tests/test_slug.py', '....', round(400 / total))}\n"
        f"{_progress('tests/test_strings.py', strings, 100)}\n\n"
        f"{pytest_rule(f'{total} passed in 0.04s')}"
    )

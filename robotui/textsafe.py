"""Text from the server is shown, never obeyed.

`visible()` keeps newlines and tabs and turns every other control character
(C0, DEL, C1) and the bidirectional overrides used in "trojan source" tricks into
visible escapes such as `\\x1b`, so no escape sequence reaches the terminal.
"""

from __future__ import annotations

_TABLE: dict[int, str] = {}
for _code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
    _TABLE[_code] = f"\\x{_code:02x}"
for _code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]:
    _TABLE[_code] = f"\\u{_code:04x}"
_TABLE[ord("\n")] = "\n"
_TABLE[ord("\t")] = "\t"
del _code


def visible(text: str) -> str:
    """`text` with line breaks normalised and every other control made visible."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_TABLE)


def one_line(text: str) -> str:
    """`visible(text)` on one line, runs of white space as one space (list rows)."""
    return " ".join(visible(text).split())

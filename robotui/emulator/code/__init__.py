"""The code the scripted agents write: topics × languages, and how to spot them."""

from __future__ import annotations

import re

from robotui.emulator.code.base import Language
from robotui.emulator.code.c import C
from robotui.emulator.code.cpp import Cpp
from robotui.emulator.code.go_rust import Go, Rust
from robotui.emulator.code.java import Java
from robotui.emulator.code.javascript import JavaScript, TypeScript
from robotui.emulator.code.python import Python
from robotui.emulator.code.ruby_bash import Bash, Ruby
from robotui.emulator.code.topics import TOPICS, Topic, detect_topic

__all__ = ["LANGUAGES", "TOPICS", "Language", "Topic", "detect_language", "detect_topic"]

LANGUAGES: dict[str, Language] = {
    language.key: language
    for language in (
        Python(),
        Go(),
        Rust(),
        JavaScript(),
        TypeScript(),
        Java(),
        C(),
        Cpp(),
        Ruby(),
        Bash(),
    )
}

# Checked in order: C++ before C, TypeScript and JavaScript before Java. "Go" is
# also an English verb, so it needs a programming context.
_LANGUAGE_PATTERNS: tuple[tuple[str, str, int], ...] = (
    ("cpp", r"c\+\+|\bcpp\b|\bcxx\b", re.IGNORECASE),
    ("typescript", r"typescript|\bts\b|\.ts\b|\btsx\b", re.IGNORECASE),
    ("javascript", r"javascript|\bjs\b|node\.?js|\bnode\b|\.js\b", re.IGNORECASE),
    ("java", r"\bjava\b", re.IGNORECASE),
    ("python", r"python|\bpy\b|\.py\b|pytho|питон|пайтон", re.IGNORECASE),
    ("rust", r"\brust\b|\.rs\b|\bcargo\b|\bраст", re.IGNORECASE),
    (
        "go",
        r"golang|\bgo\s+(?:function|func|program|code|module|package|script|version|test)s?\b"
        r"|\b(?:in|using|into|with|на)\s+go\b|\bto\s+go\b(?!\s+(?:to|back|home|out)\b)"
        r"|\(go\)",
        re.IGNORECASE,
    ),
    ("ruby", r"\bruby\b|\.rb\b|\bруби\b", re.IGNORECASE),
    ("bash", r"\bbash\b|\bshell\b|\bsh\b|\bzsh\b|шелл|\bбаш", re.IGNORECASE),
    (
        "c",
        r"(?:\b(?:in|using|to|into|на|pure|ansi|plain)\s+c\b(?![+#]))"
        r"|\bc\s+(?:function|program|code)\b|(?<![\w+#])C(?![\w+#])",
        0,
    ),
    ("c", r"\b(?:in|using|into|на)\s+c\b(?![+#])|\bc\s+(?:function|program)\b", re.IGNORECASE),
)


def detect_language(text: str) -> Language | None:
    """The programming language a prompt names, if it is one the agents write."""
    for key, pattern, flags in _LANGUAGE_PATTERNS:
        if re.search(pattern, text, flags):
            return LANGUAGES[key]
    return None

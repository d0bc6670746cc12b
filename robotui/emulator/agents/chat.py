"""Conversational turns: greetings, thanks, "what did I ask?", and anything unforeseen."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING

from robotui.emulator import steps
from robotui.emulator.intent import Intent
from robotui.emulator.steps import Plan

if TYPE_CHECKING:
    from robotui.emulator.conversation import Conversation

__all__ = ["CONVERSATIONAL", "reply"]

CONVERSATIONAL = frozenset(
    {"empty", "greeting", "thanks", "recall", "question", "chat", "continue"}
)

_INTRODUCTIONS = {
    "GeneralCodingAgent": (
        "I'm **GeneralCodingAgent**: I write, run and test code in most languages — Python, "
        "Go, Rust, JavaScript/TypeScript, Java, C/C++, Ruby, Bash and SQL."
    ),
    "RepoAgent": (
        "I'm **RepoAgent**: I work inside a repository — I read the code, run the test suite, "
        "and make focused edits with clean diffs."
    ),
    "FrontEndAgent": (
        "I'm **FrontEndAgent**: HTML, CSS, JavaScript and React. I build the page, serve it, and "
        "have **BrowsingAgent** check it in a real browser."
    ),
}

_EXAMPLES = {
    "GeneralCodingAgent": (
        "Write a function in Go that reverses a string",
        "Now add tests for it",
        "Rewrite that in Rust",
    ),
    "RepoAgent": (
        "The tests are failing — please fix the bug",
        "Add a function in Python that checks for palindromes",
        "Explain how this repository is organised",
    ),
    "FrontEndAgent": (
        "Build a landing page for a coffee shop",
        "Make a todo list component in React",
        "Create a signup form with validation",
    ),
}

_RU_INTRODUCTIONS = {
    "GeneralCodingAgent": "Я **GeneralCodingAgent**: пишу, запускаю и тестирую код на Python, "
    "Go, Rust, JavaScript/TypeScript, Java, C/C++, Ruby, Bash и SQL.",
    "RepoAgent": "Я **RepoAgent**: работаю в репозитории — читаю код, запускаю тесты и вношу "
    "аккуратные правки с понятными диффами.",
    "FrontEndAgent": "Я **FrontEndAgent**: HTML, CSS, JavaScript и React. Собираю страницу, "
    "запускаю её и прошу **BrowsingAgent** проверить её в браузере.",
}


def _suggestions(agent: str) -> str:
    return "\n".join(f"- *{example}*" for example in _EXAMPLES[agent])


def reply(intent: Intent, conversation: Conversation, agent: str, rng: random.Random) -> Plan:
    """A message-only turn: the agent answers and waits for the user."""
    handlers = {
        "empty": _empty,
        "greeting": _greeting,
        "thanks": _thanks,
        "recall": _recall,
        "continue": _nothing_to_continue,
        "tests": _no_code_yet,
        "explain": _no_code_yet,
        "refactor": _no_code_yet,
        "run": _no_code_yet,
        "port": _no_code_yet,
    }
    handler = handlers.get(intent.task, _fallback)
    return Plan(closing=[steps.say(handler(intent, conversation, agent, rng))])


def _empty(intent: Intent, conversation: Conversation, agent: str, rng: random.Random) -> str:
    return (
        "Your message came through empty. What would you like me to do? For example:\n\n"
        f"{_suggestions(agent)}"
    )


def _greeting(intent: Intent, conversation: Conversation, agent: str, rng: random.Random) -> str:
    if intent.russian:
        return (
            f"Привет! 👋 {_RU_INTRODUCTIONS[agent]}\n\nНапример, попросите:\n\n"
            "- *Напиши функцию на Go, которая переворачивает строку*\n"
            "- *Теперь добавь к ней тесты*"
        )
    opener = rng.choice(("Hi! 👋", "Hello! 👋", "Hey there! 👋"))
    return f"{opener} {_INTRODUCTIONS[agent]}\n\nTry, for example:\n\n{_suggestions(agent)}"


def _thanks(intent: Intent, conversation: Conversation, agent: str, rng: random.Random) -> str:
    if intent.russian:
        return "Пожалуйста! Если нужно что-то ещё — пишите."
    done = conversation.recall("summary")
    tail = f" Glad the {done.split(' ', 1)[-1]} helped." if done else ""
    return f"You're welcome!{tail} Anything else I can build or fix?"


def _recall(intent: Intent, conversation: Conversation, agent: str, rng: random.Random) -> str:
    turns = [turn for turn in conversation.turns if turn.task not in ("recall", "continue")]
    if not turns:
        return "This is the first thing you've asked in this session — there's nothing before it."
    first = turns[0]
    lines = [f"Your first request in this session was:\n\n> {first.prompt or '(empty)'}"]
    if first.memory.get("summary"):
        where = f" (`{first.memory['path']}`)" if first.memory.get("path") else ""
        lines.append(f"\nI {first.memory['summary']}{where}.")
    if len(turns) > 1:
        rows = "\n".join(
            f"| {turn.number} | {_short(turn.prompt) or '*(empty)*'} "
            f"| {turn.memory.get('summary') or 'replied'} |"
            for turn in turns
        )
        lines.append(
            f"\nEverything so far:\n\n| # | You asked | What I did |\n|---|---|---|\n{rows}"
        )
    return "\n".join(lines)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _nothing_to_continue(
    intent: Intent, conversation: Conversation, agent: str, rng: random.Random
) -> str:
    done = conversation.recall("summary")
    if done:
        return (
            f"There's nothing left to continue — the last task is complete (I {done}). "
            "What should I do next?"
        )
    return "There's nothing to continue yet. What would you like me to work on?"


def _no_code_yet(intent: Intent, conversation: Conversation, agent: str, rng: random.Random) -> str:
    verb = {
        "tests": "test",
        "explain": "explain",
        "refactor": "refactor",
        "run": "run",
        "port": "rewrite",
    }[intent.task]
    if intent.code:
        return _about_pasted(intent, verb, agent)
    return (
        f"Happy to {verb} it — but I don't see any code from earlier in this session to "
        f"{verb}. Which function do you mean, and in what language? For example:\n\n"
        f"{_suggestions(agent)}"
    )


# The language of a pasted snippet, from its syntax; checked in order.
_SNIPPET_LANGUAGES = (
    ("Rust", r"\bfn\s+\w+\s*\(|\blet\s+mut\b|\bimpl\b|println!"),
    ("Go", r"\bfunc\s+\w+\s*\(|:=|^\s*package\s+\w+"),
    ("Python", r"^\s*def\s+\w+\s*\(.*\)\s*(?:->[^:]+)?:\s*$|^\s*(?:import|from)\s+\w+|\bprint\("),
    ("TypeScript", r"\bfunction\s+\w+\s*\([^)]*\w\s*:\s*\w|^\s*interface\s+\w+"),
    ("JavaScript", r"\bfunction\b|=>|^\s*(?:const|let|var)\s+\w+\s*=|console\.log"),
    ("Java", r"\bpublic\s+(?:static\s+)?(?:class|void|int|String|boolean)\b"),
    ("C", r"^\s*#include\s*<"),
    ("Ruby", r"^\s*def\s+\w+(?:\(.*\))?\s*$|^\s*end\s*$|\bputs\b"),
    ("Bash", r"^#!.*\bsh\b|^\s*\w+\s*\(\)\s*\{|^\s*echo\s"),
)
_DEFINITION = re.compile(r"\b(?:def|fn|func|function)\s+(\w+)\s*\(([^)]*)\)")
_RETURN = re.compile(r"^\s*return\s+(.+?);?\s*(?:(?:#|//).*)?$", re.MULTILINE)


def _inline(code: str) -> str:
    """`code` as Markdown inline code, even when it holds backticks."""
    return f"`` {code} ``" if "`" in code else f"`{code}`"


def _about_pasted(intent: Intent, verb: str, agent: str) -> str:
    """An answer about code pasted into the prompt: what it is, what it defines."""
    code = intent.code
    language = intent.language.name if intent.language is not None else None
    language = language or next(
        (name for name, pattern in _SNIPPET_LANGUAGES if re.search(pattern, code, re.MULTILINE)),
        None,
    )
    count = len([line for line in code.splitlines() if line.strip()])
    what = f"{count} line{'s' if count != 1 else ''} of {language or 'code'}"
    definitions = _DEFINITION.findall(code)
    named = ", ".join(f"`{name}({params.strip()})`" for name, params in definitions)
    if verb != "explain":
        return (
            f"I can see the {what} you pasted{f' ({named})' if named else ''}, but in this "
            f"demo I can only {verb} code I wrote in this session. Ask me to write it first, "
            f"for example:\n\n{_suggestions(agent)}"
        )
    lines = [f"## What this code does\n\nYou pasted {what}."]
    returns = _RETURN.findall(code)
    if len(definitions) == 1 and len(returns) == 1:
        name, params = definitions[0]
        takes = f"takes `{params.strip()}`" if params.strip() else "takes no arguments"
        lines.append(
            f"It defines one function, `{name}`: it {takes} and returns {_inline(returns[0])}."
        )
    elif definitions:
        lines.append(f"It defines {len(definitions)} functions: {named}.")
    else:
        lines.append("It defines no functions: it runs from top to bottom.")
    ticks = "````" if "```" in code else "```"
    return (
        " ".join(lines)
        + f"\n\n{ticks}{(language or '').lower()}\n{code}\n{ticks}\n\n"
        + "Reading it is as far as I go with code from outside this session: in this demo I "
        "run and test only code I write myself. Ask me to write something like it, and I'll "
        "run it and show you the output."
    )


_TOPICAL = (
    (
        r"weather|погод",
        "I can't check the weather: this sandbox has no live internet access, "
        "only a shell, an editor and a browser for pages I serve myself. A weather service's API "
        "is a nice little project though — want me to write a script that calls one?",
    ),
    (
        r"\bjoke\b|шутк",
        "Why do programmers prefer dark mode? Because light attracts bugs. 🐛\n\n"
        "Now, what shall we build?",
    ),
    (r"who are you|what are you|what can you do|кто ты|что ты умеешь", ""),
    (
        r"\btime\b|\bdate\b|what day",
        "I don't have a reliable clock for you in here — but "
        "`date` in a terminal will tell you, and I can run it if you like.",
    ),
)


def _fallback(intent: Intent, conversation: Conversation, agent: str, rng: random.Random) -> str:
    lowered = intent.text.lower()
    for pattern, answer in _TOPICAL:
        if re.search(pattern, lowered):
            if not answer:
                return f"{_INTRODUCTIONS[agent]}\n\nFor example:\n\n{_suggestions(agent)}"
            return answer
    if intent.russian:
        return (
            f"Я получил ваше сообщение: «{_short(intent.text, 80)}». {_RU_INTRODUCTIONS[agent]} "
            "Опишите задачу — например, какую функцию написать и на каком языке — и я возьмусь."
        )
    earlier = conversation.recall("summary")
    context = f" Earlier in this session I {earlier}; I can build on that too." if earlier else ""
    return (
        f"I'm not sure what you'd like me to do with “{_short(intent.text, 80)}”. "
        f"{_INTRODUCTIONS[agent]}{context}\n\nCould you describe the task? For example:\n\n"
        f"{_suggestions(agent)}"
    )

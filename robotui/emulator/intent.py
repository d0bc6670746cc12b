"""What a prompt asks for: the task, the language, the topic, and whether it
refers back to an earlier turn ("now add tests for it", "rewrite that in Rust")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from robotui.emulator.code import Language, Topic, detect_language, detect_topic
from robotui.emulator.code.topics import TOPICS

__all__ = ["CONTINUE_PROMPTS", "Intent", "pasted_code", "understand"]

CONTINUE_PROMPTS = frozenset(
    {
        "continue",
        "go on",
        "keep going",
        "carry on",
        "resume",
        "proceed",
        "продолжай",
        "продолжить",
        "дальше",
    }
)

# (task, pattern) in priority order; the first match wins.
_TASKS: tuple[tuple[str, str], ...] = (
    (
        "recall",
        r"what (?:did|have) (?:i|we) (?:ask|say|do|talk)|what was my (?:first|last|previous)"
        r"|(?:first|previous|last) (?:question|prompt|request|message)"
        r"|summari[sz]e (?:our|the|this) (?:conversation|session|chat)"
        r"|что я (?:спрашивал|просил)|о чём мы",
    ),
    ("thanks", r"^(?:thanks|thank you|thx|cheers|great job|nice work|спасибо)\b"),
    ("hello", r"hello,? world|привет,? мир"),
    (
        "fix",
        r"\bfix|\bbugs?\b|broken|failing|\bfails?\b|doesn'?t work|not working|\bcrash"
        r"|traceback|исправ|ошибк|\bбаг",
    ),
    (
        "explain",
        r"^(?:explain|describe|walk me through)|\bexplain\b|what does (?:it|this|that)"
        r"|how does (?:it|this|that)|объясни|как (?:это )?работает|что делает",
    ),
    (
        "refactor",
        r"refactor|clean ?up|simplif|optimi[sz]|faster|more efficient|improve|tidy"
        r"|рефактор|улучш",
    ),
    (
        "port",
        r"\b(?:rewrite|translate|port|convert|re-?implement)\b|\bsame (?:thing )?in\b"
        r"|^(?:now|and|also)?\s*(?:do it |try )?in [a-z+#]+\W*$|перепиши",
    ),
    (
        "web",
        r"\bhtml\b|\bcss\b|web ?page|website|web site|landing|\breact\b|\bjsx\b|component"
        r"|front-?end|\bnavbar\b|dashboard|\bsignup\b|sign-up|login (?:page|form)|сайт|страниц",
    ),
    ("sql", r"\bsql\b|sqlite|postgres|mysql|\bquery\b|database|\bschema\b|таблиц|запрос"),
    (
        "project",
        r"\bproject\b|\bapp\b|\bapplication\b|\bcli tool\b|\bapi\b|\bservice\b"
        r"|\bserver\b|\bbackend\b|scaffold|проект|приложени",
    ),
    ("tests", r"\btests?\b|\btesting\b|unit[- ]?tests?|pytest|coverage|test suite|тест"),
    ("script", r"\bscript\b|скрипт"),
    ("run", r"^(?:run|execute|rerun|запусти)\b"),
)

_CODE_WORDS = (
    r"\bfunction|\bfunc\b|\bmethod\b|\bprogram\b|\bcode\b|\bimplement|\bwrite\b|\bcreate\b"
    r"|\bclass\b|\balgorithm|напиши|функци|программ|реализ"
)
_GREETING = (
    r"^(?:hi|hello|hey|howdy|yo|hiya|good (?:morning|afternoon|evening)|привет|здравствуй|добр)"
)
_REFERS_BACK = (
    r"\b(?:it|that|this|them|those|the same|the function|the code|the file|the script"
    r"|previous|above|earlier)\b|^(?:now|also|and)\b|again|его|её|это|эту|этот"
)
_STOPWORD_TEXT = (
    "a an the that which to for of in on with and or me my please can could you would "
    "write create make build implement function func program script code some simple "
    "small new using use golang go python rust java javascript typescript ruby bash c "
    "cpp returns return given takes take"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True, slots=True)
class Intent:
    """One prompt, understood."""

    text: str
    task: str
    language: Language | None
    topic: Topic | None
    refers_back: bool
    russian: bool
    subject: str  # what was asked, in a few words, for anything without a topic
    code: str = ""  # code pasted into the prompt, if any

    @property
    def wants_tests(self) -> bool:
        """The prompt asks for tests as well."""
        return bool(re.search(r"\btests?\b|unit[- ]?tests?|тест", self.text, re.IGNORECASE))

    @property
    def wants_react(self) -> bool:
        """The prompt asks for React."""
        return bool(re.search(r"\breact\b|\bjsx\b|\btsx\b|component", self.text, re.IGNORECASE))


def understand(prompt: str) -> Intent:
    """Read `prompt` (already without any `/fault` line)."""
    text = " ".join(prompt.split())
    lowered = text.lower()
    language = detect_language(text)
    topic_key = detect_topic(text)
    topic = TOPICS[topic_key] if topic_key else None
    russian = bool(re.search(r"[а-яё]", lowered))
    refers_back = bool(re.search(_REFERS_BACK, lowered))
    subject = _subject(text)
    task = _task(lowered, language, topic)
    return Intent(text, task, language, topic, refers_back, russian, subject, pasted_code(prompt))


_FENCED = re.compile(r"```[^\n`]*\n(.*?)(?:```|\Z)", re.DOTALL)
_CODE_LINE = re.compile(
    r"^\s*(?:def|class|function|fn|func|return|import|from|const|let|var|public|private"
    r"|static|package|using|if|for|while|end)\b|^\s*#include|[{};]\s*$|=>|^\s{2,}\S"
)


def pasted_code(prompt: str) -> str:
    """Code pasted into the prompt: a fenced block, or the lines after the first when
    at least half of them read as code; "" when there is none."""
    fenced = _FENCED.search(prompt)
    if fenced:
        return fenced.group(1).strip("\n")
    _, _, rest = prompt.partition("\n")
    lines = [line for line in rest.splitlines() if line.strip()]
    if lines and 2 * sum(1 for line in lines if _CODE_LINE.search(line)) >= len(lines):
        return rest.strip("\n")
    return ""


def _task(lowered: str, language: Language | None, topic: Topic | None) -> str:
    if not re.search(r"\w", lowered):
        return "empty"
    if lowered.strip(" .!") in CONTINUE_PROMPTS:
        return "continue"
    words = lowered.split()
    if (
        re.search(_GREETING, lowered)
        and len(words) <= 6
        and language is None
        and topic is None
        and "world" not in lowered
        and "мир" not in lowered
    ):
        return "greeting"
    for task, pattern in _TASKS:
        if re.search(pattern, lowered):
            if (task == "port" and language is None) or (task == "hello" and topic is not None):
                continue
            return task
    if topic is not None:
        return "function"
    if language is not None and re.search(_CODE_WORDS, lowered):
        return "function"
    if language is not None and len(words) <= 3:
        return "hello"
    if lowered.rstrip().endswith("?") or re.match(
        r"(?:what|how|why|who|when|where|which|can|could|is|are|do|does|что|как|почему|кто)\b",
        lowered,
    ):
        return "question"
    if re.search(_CODE_WORDS, lowered):
        return "function"
    return "chat"


def _subject(text: str) -> str:
    """The part of the prompt saying what to do: "parses a CSV file"."""
    match = re.search(r"\b(?:that|which|to|for)\s+(.+)$", text, re.IGNORECASE)
    if match is None:
        # "Write a function in Go" says what to write, not what it should do.
        return ""
    subject = re.sub(r"[.!?]+$", "", match.group(1)).strip()
    words = subject.split()
    return " ".join(words[:10])


def function_name(subject: str, *, fallback: str = "solve") -> str:
    """A snake_case name for what `subject` describes: "parses a CSV file" -> parse_csv_file."""
    words = [w for w in re.findall(r"[a-z0-9]+", subject.lower()) if w not in _STOPWORDS]
    if not words:
        return fallback
    first = words[0]
    if first.endswith("es") and first[:-2].endswith(("ss", "sh", "ch", "x")):
        first = first[:-2]
    elif first.endswith("s") and not first.endswith("ss") and len(first) > 3:
        first = first[:-1]
    return "_".join([first, *words[1:3]])

"""Programming languages: from file names and fence labels, to lexers and extensions."""

from __future__ import annotations

from pathlib import PurePosixPath

_BY_EXTENSION = {
    ".py": "python",
    ".pyi": "python",
    ".go": "go",
    ".rs": "rust",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "jsx",
    ".ts": "typescript",
    ".tsx": "tsx",
    ".java": "java",
    ".kt": "kotlin",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".cs": "csharp",
    ".rb": "ruby",
    ".php": "php",
    ".swift": "swift",
    ".scala": "scala",
    ".sh": "bash",
    ".bash": "bash",
    ".zsh": "bash",
    ".ps1": "powershell",
    ".sql": "sql",
    ".html": "html",
    ".htm": "html",
    ".css": "css",
    ".scss": "scss",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".ini": "ini",
    ".md": "markdown",
    ".xml": "xml",
    ".svg": "xml",
    ".vue": "vue",
    ".lua": "lua",
    ".r": "r",
    ".dart": "dart",
    ".ex": "elixir",
    ".exs": "elixir",
    ".hs": "haskell",
    ".diff": "diff",
    ".patch": "diff",
    ".txt": "text",
}
_BY_NAME = {
    "Dockerfile": "docker",
    "Makefile": "make",
    "Justfile": "make",
    "CMakeLists.txt": "cmake",
}
_ALIASES = {
    "py": "python",
    "python3": "python",
    "golang": "go",
    "rs": "rust",
    "js": "javascript",
    "node": "javascript",
    "ts": "typescript",
    "sh": "bash",
    "shell": "bash",
    "zsh": "bash",
    "console": "console",
    "shell-session": "console",
    "c++": "cpp",
    "cs": "csharp",
    "c#": "csharp",
    "rb": "ruby",
    "yml": "yaml",
    "md": "markdown",
    "htm": "html",
    "dockerfile": "docker",
    "text": "text",
    "plaintext": "text",
    "txt": "text",
}
_EXTENSION_FOR = {
    "python": ".py",
    "go": ".go",
    "rust": ".rs",
    "javascript": ".js",
    "jsx": ".jsx",
    "typescript": ".ts",
    "tsx": ".tsx",
    "java": ".java",
    "kotlin": ".kt",
    "c": ".c",
    "cpp": ".cpp",
    "csharp": ".cs",
    "ruby": ".rb",
    "php": ".php",
    "swift": ".swift",
    "bash": ".sh",
    "console": ".sh",
    "powershell": ".ps1",
    "sql": ".sql",
    "html": ".html",
    "css": ".css",
    "scss": ".scss",
    "json": ".json",
    "yaml": ".yaml",
    "toml": ".toml",
    "markdown": ".md",
    "xml": ".xml",
    "lua": ".lua",
    "diff": ".diff",
    "docker": "",
    "make": "",
    "haskell": ".hs",
    "elixir": ".ex",
    "dart": ".dart",
    "r": ".r",
}


def language_for_path(path: str) -> str:
    """The language of a file, from its name; "" when unknown."""
    name = PurePosixPath(path.replace("\\", "/")).name
    if name in _BY_NAME:
        return _BY_NAME[name]
    return _BY_EXTENSION.get(PurePosixPath(name).suffix.lower(), "")


def normalize_language(label: str) -> str:
    """A fence's info string (```py title=x) as a lexer name: "python"."""
    word = label.strip().split(maxsplit=1)[0].lower() if label.strip() else ""
    word = word.strip("{}.")
    return _ALIASES.get(word, word)


def extension_for(language: str) -> str:
    """A file extension for a language (".go"), ".txt" when unknown."""
    return _EXTENSION_FOR.get(normalize_language(language), ".txt") or ".txt"

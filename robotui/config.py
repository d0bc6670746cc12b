"""Where robotui keeps things (platformdirs), and its settings."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "robotui"
AGENTS = ("GeneralCodingAgent", "RepoAgent", "FrontEndAgent")
DEFAULT_BASE_URL = "https://api.robocoders.ai"
BASE_URL_ENV = "ROBOTUI_BASE_URL"


def state_dir() -> Path:
    """Session ids, the fallback token file, logs: `$XDG_STATE_HOME/robotui`."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Conversation history: `$XDG_DATA_HOME/robotui`."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Settings: `$XDG_CONFIG_HOME/robotui`."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Disposable files, such as the seed provider's cache: `$XDG_CACHE_HOME/robotui`."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_base_url() -> str:
    """The server to talk to: `ROBOTUI_BASE_URL`, else the hosted service."""
    return normalize_base_url(os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)


def is_http_url(url: str) -> bool:
    """An http(s) URL with a host (checked without importing httpx: start-up time)."""
    from urllib.parse import urlsplit

    if any(character.isspace() for character in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def normalize_base_url(url: str) -> str:
    """One spelling per server, so credentials are keyed consistently."""
    return url.strip().rstrip("/")


CONFIG_FILE_NAME = "config.toml"
DEFAULT_AGENT = AGENTS[0]
DEFAULT_AUTO_CONTINUE = 3


@dataclass
class Settings:
    """What a person can set in `config.toml` (and in the app's settings screen)."""

    server: str = ""  # empty: ROBOTUI_BASE_URL, else the hosted service
    default_agent: str = DEFAULT_AGENT
    auto_continue: int = DEFAULT_AUTO_CONTINUE
    theme: str = "textual-dark"
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys
    problems: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read settings; a missing file gives defaults, a broken one defaults plus
        a `problems` entry naming the file and the fault (never an exception)."""
        path = path or config_dir() / CONFIG_FILE_NAME
        settings = cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return settings
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            settings.problems.append(f"{path}: {error}; using the defaults")
            return settings
        settings._apply(data, path)
        return settings

    def save(self, path: Path | None = None) -> Path:
        """Write the settings to `config.toml` (atomically, 0600); returns the path."""
        from robotui.files import write_private

        path = path or config_dir() / CONFIG_FILE_NAME
        lines = [
            "# robotui settings — edit here or in the app (ctrl+p → Settings).",
            f"server = {_toml_string(self.server)}",
            f"default_agent = {_toml_string(self.default_agent)}",
            f"auto_continue = {int(self.auto_continue)}",
            f"theme = {_toml_string(self.theme)}",
            "",
            '# Key overrides by binding id, e.g. "chat.history" = "ctrl+h" (see F1).',
            "[keys]",
        ]
        lines += [f"{_toml_string(k)} = {_toml_string(v)}" for k, v in sorted(self.keys.items())]
        write_private(path, ("\n".join(lines) + "\n").encode("utf-8"))
        return path

    def _apply(self, data: dict[str, Any], path: Path) -> None:
        def pick(name: str, kind: type, check=lambda value: True) -> None:
            if name not in data:
                return
            value = data[name]
            if isinstance(value, kind) and not isinstance(value, bool) and check(value):
                setattr(self, name, value)
            else:
                self.problems.append(f"{path}: {name} = {value!r} is not valid; ignored")

        pick("server", str)
        pick("default_agent", str, lambda value: bool(value.strip()))
        pick("auto_continue", int, lambda value: 0 <= value <= 100)
        pick("theme", str)
        keys = data.get("keys", {})
        if isinstance(keys, dict):
            self.keys = {str(k): str(v) for k, v in keys.items() if isinstance(v, str)}
        else:
            self.problems.append(f"{path}: [keys] must be a table; ignored")


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes, \uXXXX included).
    import json

    return json.dumps(value, ensure_ascii=False)

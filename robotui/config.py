"""Where robotui keeps things (platformdirs), and its settings."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "robotui"
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


def normalize_base_url(url: str) -> str:
    """One spelling per server, so credentials are keyed consistently."""
    return url.strip().rstrip("/")

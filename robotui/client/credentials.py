"""Where the client keeps what it needs between runs.

The access token lives in the OS keyring (service `robotui`, one entry per
server). Where no usable keyring exists (a headless Linux box), it falls back to
a 0600 file in the user state dir and says so once, as `gh` does. Session ids are
not secrets: they live in a JSON file in the state dir, keyed by server and
conversation, each remembering (by fingerprint) which token made it, so that a
rejected token takes its sessions with it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import keyring
import keyring.errors
from keyring.backends import fail, null

from robotui.config import state_dir as default_state_dir
from robotui.files import private_dir, write_private

__all__ = [
    "KEYRING_SERVICE",
    "CredentialStore",
    "Credentials",
    "MemoryCredentials",
    "SessionFile",
    "TokenStore",
    "keyring_usable",
    "token_fingerprint",
]

KEYRING_SERVICE = "robotui"
TOKEN_FILE_NAME = "tokens.json"
SESSION_FILE_NAME = "sessions.json"

Warn = Callable[[str], None]
_log = logging.getLogger("robotui")


def token_fingerprint(token: str) -> str:
    """A short, one-way name for a token: sessions remember it, not the token."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


class CredentialStore(Protocol):
    """What `RobocodersClient` needs to persist tokens and session ids."""

    def get_token(self, server: str) -> str | None: ...
    def save_token(self, server: str, token: str) -> None: ...
    def delete_token(self, server: str) -> None: ...
    def get_session(self, server: str, conversation: str, token: str) -> str | None: ...
    def save_session(self, server: str, conversation: str, session_id: str, token: str) -> None: ...
    def drop_sessions(self, server: str, token: str | None = None) -> None: ...


def keyring_usable() -> bool:
    """False when keyring would only fail (headless) or silently drop secrets."""
    backend = keyring.get_keyring()
    return not isinstance(backend, (fail.Keyring, null.Keyring))


class TokenStore:
    """Tokens in the OS keyring, or in a private file where there is no keyring."""

    def __init__(self, state_dir: Path | None = None, on_warning: Warn | None = None) -> None:
        self.state_dir = state_dir or default_state_dir()
        self.fallback_path = self.state_dir / TOKEN_FILE_NAME
        self._warn = on_warning or _log.warning
        self._warned = False

    @property
    def keyring_usable(self) -> bool:
        return keyring_usable()

    @property
    def location(self) -> str:
        """Where a token would be stored now, for messages."""
        if self.keyring_usable:
            return f"the OS keyring ({type(keyring.get_keyring()).__name__})"
        return str(self.fallback_path)

    def get(self, server: str) -> str | None:
        """The stored token for `server`, or None."""
        if self.keyring_usable:
            try:
                token = keyring.get_password(KEYRING_SERVICE, server)
            except keyring.errors.KeyringError as error:
                self._warn_keyring_failed(error)
            else:
                if token:
                    return token
        return self._read_file().get(server) or None

    def save(self, server: str, token: str) -> str:
        """Store `token` for `server`; returns where it went."""
        if self.keyring_usable:
            try:
                keyring.set_password(KEYRING_SERVICE, server, token)
            except keyring.errors.KeyringError as error:
                self._warn_keyring_failed(error)
            else:
                self._delete_from_file(server)
                return self.location
        tokens = self._read_file()
        tokens[server] = token
        write_private(self.fallback_path, _dump(tokens))
        if not self._warned:
            self._warned = True
            self._warn(
                f"no OS keyring is available, so the token is stored in plain text in "
                f"{self.fallback_path} (readable only by you)"
            )
        return str(self.fallback_path)

    def delete(self, server: str) -> bool:
        """Forget the token for `server`; True if there was one."""
        found = False
        if self.keyring_usable:
            with contextlib.suppress(keyring.errors.KeyringError):
                if keyring.get_password(KEYRING_SERVICE, server) is not None:
                    keyring.delete_password(KEYRING_SERVICE, server)
                    found = True
        return self._delete_from_file(server) or found

    def _warn_keyring_failed(self, error: Exception) -> None:
        if not self._warned:
            self._warned = True
            self._warn(f"the OS keyring failed ({error}); using {self.fallback_path} instead")

    def _read_file(self) -> dict[str, str]:
        data = _load_json(self.fallback_path, self._warn)
        return {key: value for key, value in data.items() if isinstance(value, str)}

    def _delete_from_file(self, server: str) -> bool:
        tokens = self._read_file()
        if server not in tokens:
            return False
        del tokens[server]
        write_private(self.fallback_path, _dump(tokens))
        return True


class SessionFile:
    """Session ids on disk: `{"servers": {server: {conversation: {...}}}}`, 0600."""

    def __init__(self, state_dir: Path | None = None, on_warning: Warn | None = None) -> None:
        self.path = (state_dir or default_state_dir()) / SESSION_FILE_NAME
        self._warn = on_warning or _log.warning

    def get(self, server: str, conversation: str, token: str) -> str | None:
        """The session id of a conversation, if it was made with this token."""
        entry = self._servers().get(server, {}).get(conversation)
        if isinstance(entry, dict) and entry.get("token") == token_fingerprint(token):
            session_id = entry.get("sid")
            return session_id if isinstance(session_id, str) and session_id else None
        return None

    def save(self, server: str, conversation: str, session_id: str, token: str) -> None:
        """Remember the session id of a conversation."""
        with self._update() as servers:
            servers.setdefault(server, {})[conversation] = {
                "sid": session_id,
                "token": token_fingerprint(token),
                "saved_at": int(time.time()),
            }

    def drop(self, server: str, token: str | None = None) -> None:
        """Forget the sessions of `server` made with `token` (all of them if None)."""
        fingerprint = token_fingerprint(token) if token is not None else None
        with self._update() as servers:
            conversations = servers.get(server, {})
            for conversation, entry in list(conversations.items()):
                if fingerprint is None or (
                    isinstance(entry, dict) and entry.get("token") == fingerprint
                ):
                    del conversations[conversation]
            if not conversations:
                servers.pop(server, None)

    def _servers(self) -> dict[str, dict[str, Any]]:
        servers = _load_json(self.path, self._warn).get("servers")
        if not isinstance(servers, dict):
            return {}
        return {key: value for key, value in servers.items() if isinstance(value, dict)}

    @contextlib.contextmanager
    def _update(self) -> Iterator[dict[str, dict[str, Any]]]:
        # Read-modify-write under an advisory lock, so two robotui processes
        # saving sessions at once do not lose each other's entries.
        private_dir(self.path.parent)
        with _locked(self.path.with_name(self.path.name + ".lock")):
            servers = self._servers()
            yield servers
            write_private(self.path, _dump({"version": 1, "servers": servers}))


class Credentials:
    """The default `CredentialStore`: keyring (or fallback file) plus the session file."""

    def __init__(self, state_dir: Path | None = None, on_warning: Warn | None = None) -> None:
        self.tokens = TokenStore(state_dir, on_warning)
        self.sessions = SessionFile(state_dir, on_warning)

    def get_token(self, server: str) -> str | None:
        return self.tokens.get(server)

    def save_token(self, server: str, token: str) -> None:
        self.tokens.save(server, token)

    def delete_token(self, server: str) -> None:
        self.tokens.delete(server)

    def get_session(self, server: str, conversation: str, token: str) -> str | None:
        return self.sessions.get(server, conversation, token)

    def save_session(self, server: str, conversation: str, session_id: str, token: str) -> None:
        self.sessions.save(server, conversation, session_id, token)

    def drop_sessions(self, server: str, token: str | None = None) -> None:
        self.sessions.drop(server, token)


class MemoryCredentials:
    """A `CredentialStore` that forgets everything when the process ends."""

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        self.sessions: dict[tuple[str, str], tuple[str, str]] = {}

    def get_token(self, server: str) -> str | None:
        return self.tokens.get(server)

    def save_token(self, server: str, token: str) -> None:
        self.tokens[server] = token

    def delete_token(self, server: str) -> None:
        self.tokens.pop(server, None)

    def get_session(self, server: str, conversation: str, token: str) -> str | None:
        session_id, made_with = self.sessions.get((server, conversation), ("", ""))
        return session_id if session_id and made_with == token else None

    def save_session(self, server: str, conversation: str, session_id: str, token: str) -> None:
        self.sessions[(server, conversation)] = (session_id, token)

    def drop_sessions(self, server: str, token: str | None = None) -> None:
        for key, (_, made_with) in list(self.sessions.items()):
            if key[0] == server and (token is None or made_with == token):
                del self.sessions[key]


def _dump(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, sort_keys=True).encode() + b"\n"


def _load_json(path: Path, warn: Warn) -> dict[str, Any]:
    """A JSON object from `path`; a missing file is empty, a corrupt one is set
    aside (never deleted) with a warning and treated as empty."""
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        warn(f"cannot read {path} ({error.strerror}); ignoring it")
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
    with contextlib.suppress(OSError):
        os.replace(path, aside)
    warn(f"{path} was corrupt and is ignored (kept as {aside.name})")
    return {}


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: atomic replace alone
        yield
        return
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)

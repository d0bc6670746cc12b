"""Tokens in the keyring or a private fallback file; session ids on disk."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from robotui.client.credentials import Credentials, SessionFile, TokenStore, token_fingerprint
from robotui.config import state_dir

SERVER = "https://api.robocoders.ai"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_token_goes_to_the_keyring(memory_keyring) -> None:
    warnings: list[str] = []
    store = TokenStore(on_warning=warnings.append)
    store.save(SERVER, "secret")
    assert memory_keyring.passwords == {("robotui", SERVER): "secret"}
    assert store.get(SERVER) == "secret"
    assert not store.fallback_path.exists()
    assert warnings == []
    assert store.delete(SERVER) is True
    assert store.get(SERVER) is None


def test_without_a_keyring_the_token_falls_back_to_a_0600_file() -> None:
    keyring.set_keyring(fail.Keyring())
    warnings: list[str] = []
    store = TokenStore(on_warning=warnings.append)
    store.save(SERVER, "secret")
    store.save("http://127.0.0.1:8765", "other")
    assert store.fallback_path == state_dir() / "tokens.json"
    assert mode(store.fallback_path) == 0o600
    assert mode(store.fallback_path.parent) == 0o700
    assert json.loads(store.fallback_path.read_text()) == {
        SERVER: "secret",
        "http://127.0.0.1:8765": "other",
    }
    assert store.get(SERVER) == "secret"
    assert len(warnings) == 1, "said once, not at every save"
    assert "no OS keyring" in warnings[0] and str(store.fallback_path) in warnings[0]
    assert store.delete(SERVER) is True
    assert store.get(SERVER) is None
    assert store.get("http://127.0.0.1:8765") == "other"


def test_a_token_in_the_fallback_file_moves_to_the_keyring_when_one_appears(
    memory_keyring,
) -> None:
    keyring.set_keyring(fail.Keyring())
    TokenStore().save(SERVER, "old")
    keyring.set_keyring(memory_keyring)
    store = TokenStore()
    assert store.get(SERVER) == "old"  # still found
    store.save(SERVER, "new")
    assert memory_keyring.passwords[("robotui", SERVER)] == "new"
    assert SERVER not in json.loads(store.fallback_path.read_text())


def test_session_file_is_private_and_keyed_by_server_and_conversation() -> None:
    sessions = SessionFile()
    sessions.save(SERVER, "conv-1", "sid-1", "token-a")
    sessions.save(SERVER, "conv-2", "sid-2", "token-b")
    sessions.save("http://other", "conv-1", "sid-3", "token-a")
    assert mode(sessions.path) == 0o600
    assert sessions.get(SERVER, "conv-1", "token-a") == "sid-1"
    assert sessions.get(SERVER, "conv-1", "token-b") is None, "made with another token"
    text = sessions.path.read_text()
    assert "token-a" not in text and token_fingerprint("token-a") in text
    sessions.drop(SERVER, "token-a")
    assert sessions.get(SERVER, "conv-1", "token-a") is None
    assert sessions.get(SERVER, "conv-2", "token-b") == "sid-2"
    assert sessions.get("http://other", "conv-1", "token-a") == "sid-3"
    sessions.drop(SERVER)
    assert sessions.get(SERVER, "conv-2", "token-b") is None


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe\x00", b""])
def test_corrupt_session_file_is_set_aside_with_a_warning(content: bytes) -> None:
    warnings: list[str] = []
    sessions = SessionFile(on_warning=warnings.append)
    sessions.path.parent.mkdir(parents=True, exist_ok=True)
    sessions.path.write_bytes(content)
    assert sessions.get(SERVER, "conv", "t") is None
    assert len(warnings) == 1 and "corrupt" in warnings[0]
    kept = list(sessions.path.parent.glob("sessions.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content, "nothing lost"
    sessions.save(SERVER, "conv", "sid", "t")
    assert sessions.get(SERVER, "conv", "t") == "sid"


def test_credentials_combines_tokens_and_sessions(memory_keyring) -> None:
    credentials = Credentials()
    credentials.save_token(SERVER, "t")
    credentials.save_session(SERVER, "c", "s", "t")
    assert credentials.get_token(SERVER) == "t"
    assert credentials.get_session(SERVER, "c", "t") == "s"
    credentials.delete_token(SERVER)
    credentials.drop_sessions(SERVER)
    assert credentials.get_token(SERVER) is None
    assert credentials.get_session(SERVER, "c", "t") is None

"""Every test runs with its own directories and an in-memory keyring.

Nothing here touches the real home directory, the real keyring or the network.
"""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

# Any keyring discovery, here or in a subprocess a test starts, finds a backend
# that stores nothing, never the developer's real keyring.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"


class InMemoryKeyring(KeyringBackend):
    """A keyring that lives and dies with one test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.passwords:
            raise PasswordDeleteError(username)
        del self.passwords[(service, username)]


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """XDG_* and HOME point into tmp_path; robotui variables are cleared."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name, folder in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_RUNTIME_DIR", "runtime"),
    ):
        path = tmp_path / folder
        path.mkdir(mode=0o700)
        monkeypatch.setenv(name, str(path))
    for name in list(os.environ):
        if name.startswith("ROBOTUI_") or name == "ROBOCODERS_API_TOKEN":
            monkeypatch.delenv(name)
    proxies = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
    for name in proxies:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return tmp_path


@pytest.fixture(autouse=True)
def memory_keyring() -> InMemoryKeyring:
    """The keyring every test sees; tests may inspect `.passwords`."""
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    return backend


# ------------------------------------------------------------------ the emulator
# A real emulator on a loopback port, speed 0, a fixed seed and a clock that only
# moves when a test moves it (token expiry without sleeping).

EMULATOR_SEED = 7
EMULATOR_EPOCH = 1_733_839_390.0  # 2024-12-10T14:03:10Z, like the protocol's examples


class EmulatorClock:
    """A clock for `EmulatorConfig(clock=...)`: time stands still until `advance()`."""

    def __init__(self, now: float = EMULATOR_EPOCH) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "emulator(faults=(), token_ttl=3600.0, seed=7, speed=0.0): "
        "options for the `emulator` fixture's server",
    )


@pytest.fixture
def emulator_clock() -> EmulatorClock:
    """The clock of the emulators this test starts; `advance()` it to expire tokens."""
    return EmulatorClock()


@pytest.fixture
def start_emulator(emulator_clock: EmulatorClock):
    """Start emulators (speed 0, seed 7, `emulator_clock`); all are stopped after the test.

    `start_emulator(faults=("drop",), token_ttl=60)` returns a `RunningEmulator`.
    """
    from robotui.emulator import EmulatorConfig, start_in_thread

    running = []

    def start(
        *,
        faults: tuple[str, ...] | frozenset[str] = (),
        token_ttl: float = 3600.0,
        seed: int = EMULATOR_SEED,
        speed: float = 0.0,
        log_requests: bool = False,
    ):
        config = EmulatorConfig(
            faults=frozenset(faults),
            token_ttl=token_ttl,
            speed=speed,
            seed=seed,
            clock=emulator_clock,
        )
        emulator = start_in_thread(config, log_requests=log_requests)
        running.append(emulator)
        return emulator

    yield start
    for emulator in running:
        emulator.stop()


@pytest.fixture(scope="session")
def shared_emulator():
    """One emulator for the whole run (speed 0, seed 7, a clock that never moves).

    Tests that share it stay independent: each gets its own tokens and sessions.
    """
    from robotui.emulator import EmulatorConfig, start_in_thread

    config = EmulatorConfig(speed=0, seed=EMULATOR_SEED, clock=EmulatorClock())
    with start_in_thread(config) as emulator:
        yield emulator


@pytest.fixture
def emulator(request: pytest.FixtureRequest, shared_emulator, start_emulator) -> str:
    """The base URL of a running emulator (speed 0, seed 7).

    `@pytest.mark.emulator(faults=("drop",), token_ttl=60)` gets a fresh one so
    configured; without the mark, the session's shared emulator.
    """
    marker = request.node.get_closest_marker("emulator")
    if marker is None:
        return shared_emulator.base_url
    return start_emulator(**marker.kwargs).base_url


class EmulatorApi:
    """Raw HTTP to an emulator (no robotui client): what any other client would send."""

    def __init__(self, base_url: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=base_url, timeout=30)
        self._token: str | None = None
        self._sid: str | None = None

    def close(self) -> None:
        self.http.close()

    def fetch_token(self) -> str:
        from bs4 import BeautifulSoup

        page = self.http.get("/auth")
        assert page.status_code == 200, page.text
        return BeautifulSoup(page.text, "html.parser").find("pre", id="token").get_text().strip()

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = self.fetch_token()
        return self._token

    def bearer(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def new_session(self, token: str | None = None) -> str:
        response = self.http.get("/create-session", headers=self.bearer(token))
        assert response.status_code == 200, response.text
        return response.json()["sid"]

    @property
    def sid(self) -> str:
        if self._sid is None:
            self._sid = self.new_session()
        return self._sid

    def post_chat(self, prompt: str, agent: str = "GeneralCodingAgent", **overrides):
        """The raw `httpx.Response` of one `/chat` (body read in full)."""
        body = {"sid": self.sid, "prompt": prompt, "agent": agent}
        body.update(overrides.pop("body", {}))
        headers = overrides.pop("headers", None) or self.bearer()
        return self.http.post("/chat", json=body, headers=headers, **overrides)

    def chat(self, prompt: str, agent: str = "GeneralCodingAgent") -> list[dict]:
        """The events of one turn, decoded."""
        import json

        response = self.post_chat(prompt, agent)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/x-ndjson")
        return [json.loads(line) for line in response.content.split(b"\n") if line.strip()]

    def chat_to_the_end(
        self, prompt: str, agent: str = "GeneralCodingAgent", limit: int = 5
    ) -> list[list[dict]]:
        """One turn per response: the prompt, then `continue` while the agent waits."""
        turns = [self.chat(prompt, agent)]
        while waits(turns[-1]) and len(turns) <= limit:
            turns.append(self.chat("continue", agent))
        return turns


def waits(events: list[dict]) -> bool:
    """The turn ended with the agent waiting for a reply (the resource limit)."""
    return any(
        event.get("action") == "message"
        and event.get("source") == "agent"
        and event["args"].get("wait_for_response")
        for event in events
    )


@pytest.fixture
def emulator_api(emulator: str):
    """An `EmulatorApi` on the `emulator` fixture's server."""
    api = EmulatorApi(emulator)
    yield api
    api.close()

"""The seed's `RobocodersAPI` provider (a g4f-style class), over robotui's client.

Everything the provider specification names is here: the class attributes, the
async generator, and the seven static cache methods, with the seed's single
`{"access_token", "sid"}` cache lifecycle. The HTTP work — /auth, sessions, the
NDJSON stream, 401 refresh, auto-continue — is `robotui.client`'s; this module
only adapts it. The text it yields follows the protocol's rule exactly: for each
event line, `args.content` if non-empty, else `message` if non-empty.

    import asyncio
    from robotui.provider import RobocodersAPI, Message

    async def main():
        async for text in RobocodersAPI.create_async_generator(
            model="GeneralCodingAgent", messages=[Message(role="user", content="Hi")]
        ):
            print(text)

    asyncio.run(main())

Where an OS keyring is available, the cached token itself is kept there and the
cache file holds only a reference to it; the file is always private (0600).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, ClassVar, TypedDict

import keyring
import keyring.errors

from robotui.client.api import AGENTS, DEFAULT_AGENT, RobocodersClient
from robotui.client.credentials import KEYRING_SERVICE, keyring_usable
from robotui.config import BASE_URL_ENV, cache_dir, normalize_base_url
from robotui.files import write_private

__all__ = [
    "AsyncGeneratorProvider",
    "AsyncResult",
    "Message",
    "Messages",
    "MissingRequirementsError",
    "ModelNotSupportedError",
    "ProviderModelMixin",
    "RobocodersAPI",
    "format_prompt",
]


class Message(TypedDict):
    """One chat message: `Message(role="user", content="...")` is a plain dict."""

    role: str
    content: str


Messages = list[Message]
AsyncResult = AsyncIterator[str]


class MissingRequirementsError(Exception):
    """A package the provider needs is not installed."""


class ModelNotSupportedError(ValueError):
    """The provider does not offer this model (agent)."""


def format_prompt(messages: Messages, *, include_system: bool = True) -> str:
    """The whole history as one prompt, as g4f does.

    A single message is sent as it is; a longer history becomes
    `Role: content` lines ending with `Assistant:`, so the agent sees every turn.
    """
    if len(messages) == 1:
        return str(messages[0]["content"])
    lines = [
        f"{str(message['role']).capitalize()}: {message['content']}"
        for message in messages
        if include_system or message.get("role") != "system"
    ]
    return "\n".join(lines) + "\nAssistant:"


class AsyncGeneratorProvider:
    """A provider whose core is `create_async_generator`; sync and joined forms follow."""

    label: ClassVar[str] = ""
    url: ClassVar[str] = ""
    working: ClassVar[bool] = False
    supports_stream: ClassVar[bool] = True
    supports_message_history: ClassVar[bool] = False

    @classmethod
    async def create_async_generator(
        cls, model: str, messages: Messages, proxy: str | None = None, **kwargs: Any
    ) -> AsyncResult:
        raise NotImplementedError
        yield ""  # pragma: no cover - makes this an async generator

    @classmethod
    async def create_async(cls, model: str, messages: Messages, **kwargs: Any) -> str:
        """The whole answer as one string."""
        parts = [part async for part in cls.create_async_generator(model, messages, **kwargs)]
        return "".join(parts)

    @classmethod
    def create_completion(cls, model: str, messages: Messages, **kwargs: Any) -> Iterator[str]:
        """A synchronous generator over the same chunks, for code without an event loop."""
        return _to_sync(cls.create_async_generator(model, messages, **kwargs))


class ProviderModelMixin:
    """Model selection: `default_model`, `models`, aliases, `get_model`."""

    default_model: ClassVar[str] = ""
    models: ClassVar[list[str]] = []
    model_aliases: ClassVar[dict[str, str]] = {}

    @classmethod
    def get_models(cls) -> list[str]:
        return list(cls.models)

    @classmethod
    def get_model(cls, model: str) -> str:
        """The model to use: the default when empty, an alias resolved, or as given."""
        if not model:
            return cls.default_model
        model = cls.model_aliases.get(model, model)
        if cls.models and model not in cls.models:
            raise ModelNotSupportedError(
                f"{model!r} is not offered by {cls.__name__}; choose one of {cls.models}"
            )
        return model


class _CacheDir:
    """`CACHE_DIR` resolves when read, so it follows XDG variables set after import."""

    def __get__(self, instance: object, owner: type) -> Path:
        return cache_dir()


class _CacheFile:
    def __get__(self, instance: object, owner: type) -> Path:
        return owner.CACHE_DIR / "robocoders.json"


# What the cache file holds in place of a token kept in the keyring.
_KEYRING_REFERENCE = {"keyring": KEYRING_SERVICE}
_PROVIDER_CONVERSATION = "provider"
_cache_lock = threading.Lock()


class RobocodersAPI(AsyncGeneratorProvider, ProviderModelMixin):
    """Robocoders.ai agents as a g4f-style provider."""

    label = "API Robocoders AI"
    url = "https://api.robocoders.ai/docs"
    base_url = "https://api.robocoders.ai"
    api_endpoint = "https://api.robocoders.ai/chat"
    working = True
    supports_message_history = True
    default_model = DEFAULT_AGENT
    agent: ClassVar[list[str]] = list(AGENTS)
    models: ClassVar[list[str]] = list(AGENTS)
    CACHE_DIR: ClassVar[Path] = _CacheDir()  # type: ignore[assignment]
    CACHE_FILE: ClassVar[Path] = _CacheFile()  # type: ignore[assignment]

    @classmethod
    async def create_async_generator(
        cls, model: str, messages: Messages, proxy: str | None = None, **kwargs: Any
    ) -> AsyncResult:
        """Stream the agent's answer to `messages` as text chunks.

        kwargs: `base_url` (any compatible server; else `ROBOTUI_BASE_URL`, else
        the class's `base_url`), `auto_continue` (at most this many automatic
        `continue` prompts, default 3), `timeout` (seconds). The provider keeps
        its own token cache, so `ROBOCODERS_API_TOKEN` does not apply to it.
        """
        if importlib.util.find_spec("bs4") is None:
            raise MissingRequirementsError(
                'Install "beautifulsoup4" package | pip install -U beautifulsoup4'
            )
        model = cls.get_model(model)
        base_url = normalize_base_url(
            kwargs.get("base_url") or os.environ.get(BASE_URL_ENV) or cls.base_url
        )
        options: dict[str, Any] = {}
        if kwargs.get("timeout") is not None:
            options["timeout"] = float(kwargs["timeout"])
        async with RobocodersClient(
            base_url, proxy=proxy, credentials=_SeedCache(), environment_token=False, **options
        ) as client:
            await cls._get_or_create_access_and_session(client)
            stream = client.chat(
                format_prompt(messages),
                agent=model,
                conversation_id=_PROVIDER_CONVERSATION,
                auto_continue=int(kwargs.get("auto_continue", 3)),
            )
            async with stream:
                async for event in stream:
                    if event.source == "client":
                        continue  # the client's own notices are not event lines
                    text = event.text
                    if text:
                        yield text

    # ------------------------------------------------ the seed's cache methods

    @staticmethod
    async def _get_or_create_access_and_session(session: RobocodersClient) -> tuple[str, str]:
        """The cached (token, sid) if both are present for this server, else new ones."""
        data = RobocodersAPI._get_cached_data()
        if data.get("base_url", session.base_url) == session.base_url:
            access_token, session_id = data.get("access_token"), data.get("sid")
            if access_token and session_id:
                return access_token, session_id
        else:
            RobocodersAPI._clear_cached_data()
        access_token = await RobocodersAPI._fetch_and_cache_access_token(session)
        session_id = await RobocodersAPI._create_and_cache_session(session, access_token)
        return access_token, session_id

    @staticmethod
    async def _fetch_and_cache_access_token(session: RobocodersClient) -> str:
        """GET /auth, take `pre#token`, cache it; returns the token."""
        access_token = await session.fetch_token()
        RobocodersAPI._save_cached_data(
            {"access_token": access_token, "base_url": session.base_url}
        )
        return access_token

    @staticmethod
    async def _create_and_cache_session(session: RobocodersClient, access_token: str) -> str:
        """GET /create-session with the token, cache the sid; returns it."""
        session_id = await session.create_session(access_token)
        RobocodersAPI._update_cached_data({"sid": session_id})
        return session_id

    @staticmethod
    def _save_cached_data(new_data: dict) -> None:
        """Create the cache directory and file if needed, then write `new_data` into it."""
        with _cache_lock:
            data = _read_cache_file()
            data.update(new_data)
            _write_cache_file(data)

    @staticmethod
    def _update_cached_data(updated_data: dict) -> None:
        """Load the cache, update it with `updated_data`, write it back."""
        with _cache_lock:
            data = _read_cache_file()
            data.update(updated_data)
            _write_cache_file(data)

    @staticmethod
    def _clear_cached_data() -> None:
        """Delete the cache file (and the token it refers to in the keyring)."""
        with _cache_lock:
            with contextlib.suppress(FileNotFoundError):
                RobocodersAPI.CACHE_FILE.unlink()
            with contextlib.suppress(keyring.errors.KeyringError):
                if keyring.get_password(KEYRING_SERVICE, _keyring_user()) is not None:
                    keyring.delete_password(KEYRING_SERVICE, _keyring_user())

    @staticmethod
    def _get_cached_data() -> dict:
        """Everything in the cache file, the token resolved; {} if missing or corrupt."""
        with _cache_lock:
            data = _read_cache_file()
        if data.get("access_token") == _KEYRING_REFERENCE:
            try:
                token = keyring.get_password(KEYRING_SERVICE, _keyring_user())
            except keyring.errors.KeyringError:
                token = None
            if token:
                data["access_token"] = token
            else:
                del data["access_token"]
        return data


class _SeedCache:
    """The client's `CredentialStore`, kept in the seed's single cache."""

    def get_token(self, server: str) -> str | None:
        return RobocodersAPI._get_cached_data().get("access_token")

    def save_token(self, server: str, token: str) -> None:
        RobocodersAPI._save_cached_data({"access_token": token, "base_url": server})

    def delete_token(self, server: str) -> None:
        # The seed's answer to a 401: the whole cache goes.
        RobocodersAPI._clear_cached_data()

    def get_session(self, server: str, conversation: str, token: str) -> str | None:
        return RobocodersAPI._get_cached_data().get("sid")

    def save_session(self, server: str, conversation: str, session_id: str, token: str) -> None:
        RobocodersAPI._update_cached_data({"sid": session_id})

    def drop_sessions(self, server: str, token: str | None = None) -> None:
        with _cache_lock:
            data = _read_cache_file()
            if data.pop("sid", None) is not None:
                _write_cache_file(data)


def _keyring_user() -> str:
    return f"provider-cache:{RobocodersAPI.CACHE_FILE}"


def _read_cache_file() -> dict:
    try:
        data = json.loads(RobocodersAPI.CACHE_FILE.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache_file(data: dict) -> None:
    data = dict(data)
    token = data.get("access_token")
    if isinstance(token, str) and keyring_usable():
        try:
            keyring.set_password(KEYRING_SERVICE, _keyring_user(), token)
        except keyring.errors.KeyringError:
            pass  # no keyring after all: the token stays in the private file
        else:
            data["access_token"] = _KEYRING_REFERENCE
    write_private(RobocodersAPI.CACHE_FILE, json.dumps(data, indent=4).encode())


def _to_sync(generator: AsyncIterator[str]) -> Iterator[str]:
    loop = asyncio.new_event_loop()
    try:
        while True:
            try:
                yield loop.run_until_complete(generator.__anext__())
            except StopAsyncIteration:
                return
    finally:
        loop.run_until_complete(generator.aclose())  # type: ignore[attr-defined]
        loop.close()

"""Running the emulator: in a background thread (`--demo`, tests) or in the
foreground (`robotui emulator`), with one log line per request."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import IO, Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from robotui.emulator.app import create_app
from robotui.emulator.config import EmulatorConfig

__all__ = ["RequestLog", "RunningEmulator", "serve", "start_in_thread"]

STARTUP_TIMEOUT = 10.0


class _QuietDrops(logging.Filter):
    """uvicorn reports a response left unfinished as an error; for `drop` it is the point."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing response" not in record.getMessage()


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())


class RequestLog:
    """ASGI middleware: one line per request, when it ends (streams included).

    `POST /chat 200 1.84s agent=RepoAgent sid=3f2a9c1e token=#a1b2c3d4 events=23`.
    Handlers add the fields; a token appears only as a fingerprint.
    """

    def __init__(self, app: ASGIApp, write: Callable[[str], None]) -> None:
        self.app = app
        self.write = write

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        finished = False

        async def watch(message: Message) -> None:
            nonlocal status, finished
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                finished = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            elapsed = time.perf_counter() - started
            facts = scope.get("state", {}).get("log", {})
            extra = "".join(f" {key}={value}" for key, value in facts.items())
            if status and not finished:
                extra += " (stream cut)"
            clock = time.strftime("%H:%M:%S")
            self.write(
                f"{clock} {scope['method']} {scope['path']} {status or 500} {elapsed:.2f}s{extra}"
            )


def _uvicorn_config(app: ASGIApp, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_config=None,
        log_level=log_level,
        access_log=False,
        http="h11",
        ws="none",
        lifespan="off",
        timeout_graceful_shutdown=1,
    )


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket; `OSError` (e.g. the port is in use) surfaces here, not in uvicorn."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on connections of sockets that
    # say so, and without it every keep-alive request waits out a 40 ms delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class _Server(uvicorn.Server):
    """uvicorn, telling a waiting thread when it accepts connections, and stopping
    as soon as it is told to rather than at its next 0.1 s tick."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start as uvicorn does, then tell the waiting thread."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        await super().startup(sockets)
        self.ready.set()

    async def main_loop(self) -> None:
        """uvicorn's loop, woken at once by `request_exit()`."""
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            assert self._wake is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 0.1)
            should_exit = await self.on_tick(counter)

    def request_exit(self) -> None:
        """Thread-safe: ask the server to shut down now."""
        self.should_exit = True
        if self._loop is not None and self._wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop may already be closed
                self._loop.call_soon_threadsafe(self._wake.set)


class RunningEmulator:
    """An emulator serving in a daemon thread. A context manager; `stop()` is idempotent."""

    def __init__(
        self,
        server: _Server,
        thread: threading.Thread,
        base_url: str,
        config: EmulatorConfig,
        app: Any,
    ) -> None:
        self._server = server
        self._thread = thread
        self.base_url = base_url
        self.config = config
        self.app = app

    @property
    def state(self) -> Any:
        """The server's tokens and sessions (`ServerState`), for tests."""
        return self.app.state.emulator

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving: open streams get a moment to finish, then are cancelled."""
        if not self._thread.is_alive():
            return
        self._server.request_exit()
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout)

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<RunningEmulator {self.base_url} seed={self.config.seed}>"


def start_in_thread(
    config: EmulatorConfig | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    log_requests: bool = False,
) -> RunningEmulator:
    """Serve an emulator on `host:port` (0: a free port) from a daemon thread.

    Returns once it accepts connections. Raises `OSError` if the port is taken.
    """
    config = config or EmulatorConfig()
    app = create_app(config)
    served: ASGIApp = app
    if log_requests:
        served = RequestLog(app, lambda line: print(line, file=sys.stderr, flush=True))
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    server = _Server(_uvicorn_config(served, "warning" if log_requests else "critical"))
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as error:  # reported to the caller below
            failure.append(error)
        finally:
            sock.close()

    thread = threading.Thread(target=run, name=f"robotui-emulator-{bound_port}", daemon=True)
    thread.start()
    if not server.ready.wait(STARTUP_TIMEOUT) or failure:
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT)
        raise RuntimeError(f"the emulator did not start: {failure[0] if failure else 'timeout'}")
    return RunningEmulator(server, thread, _url(host, bound_port), config, app)


def serve(
    config: EmulatorConfig,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    log: IO[str] = sys.stderr,
) -> None:
    """Serve in the foreground until interrupted, one line per request on `log`.

    Raises `OSError` when the address cannot be bound (e.g. the port is in use).
    """

    def write(line: str) -> None:
        print(line, file=log, flush=True)

    sock = _bind(host, port)
    app = RequestLog(create_app(config), write)
    server = uvicorn.Server(_uvicorn_config(app, "warning"))
    faults = ",".join(sorted(config.faults)) or "none"
    write(
        f"robotui emulator on {_url(host, sock.getsockname()[1])} (docs at /docs) — "
        f"seed {config.seed}, speed {config.speed:g}, token TTL {config.token_ttl:g}s, "
        f"faults: {faults}. Ctrl+C stops it."
    )
    try:
        asyncio.run(server.serve(sockets=[sock]))
    finally:
        sock.close()

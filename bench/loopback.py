"""A loopback Robocoders server that streams a fixed NDJSON body, for benchmarks.

    with serve_body(body, pace=0.02) as base_url:   # one line every 20 ms
        ...

It runs uvicorn in a thread of its own, so it never shares the client's loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator

CHUNK = 64 * 1024


def _app(body: bytes, pace: float):
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse
    from starlette.routing import Route

    lines = body.splitlines(keepends=True)

    async def auth(request):
        return HTMLResponse('<html><body><pre id="token">bench-token</pre></body></html>')

    async def create_session(request):
        return JSONResponse({"sid": "bench-session"})

    async def chat(request):
        await request.body()

        async def stream():
            if pace <= 0:
                for start in range(0, len(body), CHUNK):
                    yield body[start : start + CHUNK]
                return
            started = time.perf_counter()
            for number, line in enumerate(lines):
                # Paced against the clock, so a slow consumer does not stretch the gaps.
                delay = started + number * pace - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                yield line

        return StreamingResponse(stream(), media_type="application/x-ndjson")

    return Starlette(
        routes=[
            Route("/auth", auth),
            Route("/create-session", create_session),
            Route("/chat", chat, methods=["POST"]),
        ]
    )


@contextlib.contextmanager
def serve_body(body: bytes, *, pace: float = 0.0) -> Iterator[str]:
    """Serve `body` on /chat at a free loopback port; yields the base URL."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        _app(body, pace), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the loopback server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)

"""A loopback Robocoders server that streams a fixed NDJSON body, for benchmarks.

    with serve_body(body, pace=0.02) as base_url:   # one line every 20 ms
        ...

It runs uvicorn in a process of its own: in a thread it would compete with the
app under test for the GIL, and the benchmark would time the server too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

CHUNK = 64 * 1024


def _app(bodies: list[bytes], pace: float):
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse
    from starlette.routing import Route

    served = [0]

    async def auth(request):
        return HTMLResponse('<html><body><pre id="token">bench-token</pre></body></html>')

    async def create_session(request):
        return JSONResponse({"sid": "bench-session"})

    async def chat(request):
        await request.body()
        # The bodies in turn, the last one again and again.
        body = bodies[min(served[0], len(bodies) - 1)]
        served[0] += 1
        lines = body.splitlines(keepends=True)

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
def serve_body(body: bytes, *, pace: float = 0.0, first: bytes | None = None) -> Iterator[str]:
    """Serve `body` on /chat at a free loopback port (`first`, if given, answers the
    first request only); yields the base URL once the server accepts connections."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="robotui-loopback-") as folder:
        files = []
        for index, data in enumerate([first, body] if first is not None else [body]):
            path = Path(folder) / f"body-{index}.ndjson"
            path.write_bytes(data)
            files.append(str(path))
        command = [sys.executable, __file__, "--port", str(port), "--pace", str(pace), *files]
        process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        try:
            _wait_until_listening(port, process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_until_listening(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the loopback server exited")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise RuntimeError("the loopback server did not start")


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="serve NDJSON bodies on /chat")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pace", type=float, default=0.0)
    parser.add_argument("bodies", nargs="+", type=Path)
    args = parser.parse_args()
    bodies = [path.read_bytes() for path in args.bodies]
    uvicorn.run(
        _app(bodies, args.pace),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        lifespan="off",
    )


if __name__ == "__main__":
    main()

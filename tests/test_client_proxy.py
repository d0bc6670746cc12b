"""The proxy reaches httpx: a real HTTP proxy on loopback sees the requests."""

from __future__ import annotations

import asyncio

import pytest

from robotui.client import MemoryCredentials, NetworkError, RobocodersClient


class RecordingProxy:
    """A tiny forward proxy that answers every request itself and records it."""

    def __init__(self) -> None:
        self.request_lines: list[str] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        self.request_lines.append(head.split(b"\r\n", 1)[0].decode())
        body = b'<html><pre id="token">via-proxy</pre></html>'
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        writer.close()

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


async def test_proxy_argument_is_used() -> None:
    proxy = RecordingProxy()
    proxy_url = await proxy.start()
    try:
        async with RobocodersClient(
            "http://robocoders.invalid", proxy=proxy_url, credentials=MemoryCredentials()
        ) as client:
            token = await client.fetch_token()
    finally:
        await proxy.stop()
    assert token == "via-proxy"
    assert proxy.request_lines == ["GET http://robocoders.invalid/auth HTTP/1.1"]


async def test_proxy_environment_variable_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = RecordingProxy()
    proxy_url = await proxy.start()
    monkeypatch.setenv("ALL_PROXY", proxy_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    try:
        async with RobocodersClient(
            "http://robocoders.invalid", credentials=MemoryCredentials()
        ) as client:
            assert await client.fetch_token() == "via-proxy"
    finally:
        await proxy.stop()
    assert proxy.request_lines == ["GET http://robocoders.invalid/auth HTTP/1.1"]


async def test_dead_proxy_is_a_network_error() -> None:
    proxy = RecordingProxy()
    proxy_url = await proxy.start()
    await proxy.stop()  # nothing listens there any more
    async with RobocodersClient(
        "http://robocoders.invalid", proxy=proxy_url, credentials=MemoryCredentials(), retries=0
    ) as client:
        with pytest.raises(NetworkError):
            await client.fetch_token()

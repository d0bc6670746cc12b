"""HTTP answers as the client's errors: FastAPI details, 401s, retries, network faults.

Shared by `RobocodersClient` (api.py) and `ChatStream` (stream.py).
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Mapping
from typing import Any

import httpx

from robotui.client.errors import (
    AuthenticationError,
    NetworkError,
    ProtocolError,
    RateLimitError,
    RobocodersError,
    ServerError,
    ValidationError,
)


class Unauthorized(Exception):
    """The server answered 401; the caller decides whether to refresh and retry."""

    def __init__(self, detail: str) -> None:
        self.detail = detail


class SessionGone(Exception):
    """The server no longer knows the session id it was given."""

    def __init__(self, error: RobocodersError) -> None:
        self.error = error


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for `token`."""
    return {"Authorization": f"Bearer {token}"}


def auth_failed(detail: str) -> AuthenticationError:
    """The error for a token the server rejected, with its reason."""
    cause = "token rejected by the server"
    if detail:
        cause += f" ({detail})"
    return AuthenticationError(cause)


def network_error(
    error: httpx.HTTPError, base_url: str, what: str, *, cut: bool = False
) -> NetworkError:
    """An httpx failure as one line: what failed, and whether a stream was cut."""
    if isinstance(error, httpx.TimeoutException):
        kind = {
            httpx.ConnectTimeout: "connecting took too long",
            httpx.ReadTimeout: "the server sent nothing for too long",
            httpx.WriteTimeout: "sending took too long",
            httpx.PoolTimeout: "no free connection",
        }.get(type(error), "timed out")
        return NetworkError(f"{what} to {base_url}: {kind}")
    if isinstance(error, httpx.ProxyError):
        return NetworkError(f"{what}: the proxy failed ({error})", "check --proxy / HTTPS_PROXY")
    if isinstance(error, httpx.ConnectError):
        reason = str(error) or type(error).__name__
        return NetworkError(f"cannot connect to {base_url} ({reason})")
    if cut:
        return NetworkError(
            f"the connection to {base_url} was cut mid-stream; what arrived is kept",
            "try again (the agent's session still has the earlier turns)",
        )
    reason = str(error) or type(error).__name__
    return NetworkError(f"{what} to {base_url} failed ({reason})")


def error_detail(response: httpx.Response) -> Any:
    """The `detail` of a FastAPI error body (or the body itself)."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return response.text.strip()[:200]
    if isinstance(body, Mapping) and "detail" in body:
        return body["detail"]
    return body


def detail_text(response: httpx.Response) -> str:
    """FastAPI's `detail`, as one line: a string, or a list of located messages."""
    detail = error_detail(response)
    if isinstance(detail, str):
        return " ".join(detail.split())
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, Mapping):
                location = ".".join(str(part) for part in item.get("loc", []) if part != "body")
                message = str(item.get("msg", "")).strip()
                parts.append(f"{location}: {message}" if location else message)
            else:
                parts.append(str(item))
        return "; ".join(parts)
    if detail in (None, {}, ""):
        return ""
    return json.dumps(detail, ensure_ascii=False)[:200]


def names_session(response: httpx.Response) -> bool:
    """True when a 404/422 is about the session id (the server forgot it)."""
    detail = error_detail(response)
    if isinstance(detail, list):
        for item in detail:
            if isinstance(item, Mapping) and "sid" in [str(part) for part in item.get("loc", [])]:
                return True
    return "session" in detail_text(response).lower()


def raise_for_status(response: httpx.Response) -> None:
    """Raise the client error for a non-2xx answer."""
    status = response.status_code
    if 200 <= status < 300:
        return
    if status == 422:
        raise ValidationError(detail_text(response) or "invalid request")
    if status == 429:
        raise RateLimitError(retry_after(response.headers.get("Retry-After")))
    if status == 401:
        raise auth_failed(detail_text(response))
    if status == 404 and names_session(response):
        raise ValidationError(detail_text(response))
    raise ServerError(status, detail_text(response))


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def json_field(response: httpx.Response, name: str) -> str:
    """A non-empty string field of a JSON answer, or a `ProtocolError`."""
    try:
        body = response.json()
    except ValueError:
        raise ProtocolError(
            f"{response.request.url.path} answered with something other than JSON"
        ) from None
    value = body.get(name) if isinstance(body, Mapping) else None
    if not isinstance(value, str) or not value:
        raise ProtocolError(f"{response.request.url.path} answered without a {name!r}")
    return value

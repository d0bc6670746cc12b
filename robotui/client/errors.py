"""One exception tree for everything the Robocoders client can raise.

Every error carries a `cause` (what went wrong) and a `hint` (what to do about
it); `str(error)` joins them into one line a person can act on.
"""

from __future__ import annotations


class RobocodersError(Exception):
    """Base class: something went wrong talking to a Robocoders server."""

    default_hint = ""

    def __init__(self, cause: str, hint: str | None = None) -> None:
        self.cause = cause
        self.hint = self.default_hint if hint is None else hint
        super().__init__(cause)

    def __str__(self) -> str:
        return f"{self.cause} — {self.hint}" if self.hint else self.cause


class AuthenticationError(RobocodersError):
    """No token could be obtained, or the server rejected the token twice."""

    default_hint = "run `robotui login`"


class ValidationError(RobocodersError):
    """The server answered 422; `detail` is its explanation as text."""

    default_hint = "check the agent name and the prompt"

    def __init__(self, detail: str, hint: str | None = None) -> None:
        self.detail = detail
        super().__init__(f"the server rejected the request: {detail}", hint)


class RateLimitError(RobocodersError):
    """The server answered 429; `retry_after` is in seconds when it said."""

    def __init__(self, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        if retry_after is None:
            hint = "wait a little and try again"
        else:
            hint = f"try again in {retry_after:g} s"
        super().__init__("too many requests: the server is rate limiting this client", hint)


class ServerError(RobocodersError):
    """The server answered with a 5xx status (or another status we cannot use)."""

    default_hint = "the service may be down; try again later"

    def __init__(self, status_code: int, detail: str = "", hint: str | None = None) -> None:
        self.status_code = status_code
        self.detail = detail
        cause = f"the server answered {status_code}"
        if detail:
            cause += f": {detail}"
        super().__init__(cause, hint)


class ProtocolError(RobocodersError):
    """The server answered 200 with something this protocol does not allow."""

    default_hint = "is the base URL a Robocoders server? check --base-url"


class NetworkError(RobocodersError):
    """Connection refused, DNS failure, a timeout, or a stream cut mid-way."""

    default_hint = "check the network, the proxy and the base URL"

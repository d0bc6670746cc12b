"""What every robotui command shares: exit codes and one-line messages on stderr."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

EXIT_OK = 0
EXIT_FAILURE = 1  # anything not covered below, e.g. a file that cannot be written
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_VALIDATION = 4
EXIT_UNAVAILABLE = 5  # network, server error, rate limit
EXIT_INTERRUPTED = 130


def error(message: str) -> None:
    """Print `error: message` on stderr (one line; the caller adds the hint)."""
    print(f"error: {_one_line(message)}", file=sys.stderr, flush=True)


def warning(message: str) -> None:
    """Print `warning: message` on stderr."""
    print(f"warning: {_one_line(message)}", file=sys.stderr, flush=True)


class CommandError(Exception):
    """Raised by a command to end with `error: message` and `exit_code`."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def base_url_from(args: argparse.Namespace) -> str:
    """The server to use: --base-url, else ROBOTUI_BASE_URL, else the hosted service."""
    from robotui.config import default_base_url, is_http_url, normalize_base_url

    url = normalize_base_url(args.base_url) if args.base_url else default_base_url()
    if not is_http_url(url):
        source = "--base-url" if args.base_url else "ROBOTUI_BASE_URL"
        raise CommandError(f"{source} is not an http(s) URL: {url!r}", EXIT_USAGE)
    return url


def fail(message: str, exit_code: int = EXIT_FAILURE) -> NoReturn:
    raise CommandError(message, exit_code)


def _one_line(message: str) -> str:
    return " ".join(str(message).split())

"""`robotui emulator`: run the local Robocoders server in the foreground.

Only argparse and the fault names are imported here; the server (Starlette,
uvicorn) is loaded when the command actually runs.
"""

from __future__ import annotations

import argparse
import math
import sys

from robotui.cli_common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, error
from robotui.emulator.faults import FAULTS, UnknownFaultError, parse_fault_names

__all__ = ["add_parser", "run"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def add_parser(subcommands: argparse._SubParsersAction) -> None:
    """Register `emulator` on the top-level parser."""
    parser = subcommands.add_parser(
        "emulator",
        help="run the built-in Robocoders server (scripted agents, fault injection)",
        description="Run a local server that speaks the Robocoders API: /auth, "
        "/create-session, /chat, /get-session-code, with scripted agents. Point robotui at "
        "it with --base-url or ROBOTUI_BASE_URL. Each request is logged on stderr. A prompt "
        "whose first line is `/fault NAME` injects that fault into its own request.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (%(default)s)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port to listen on (%(default)s)"
    )
    parser.add_argument(
        "--faults",
        default="",
        metavar="NAME,...",
        help=f"faults injected into every request: {', '.join(FAULTS)}",
    )
    parser.add_argument(
        "--token-ttl",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="how long an access token stays valid (%(default)g)",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="X",
        help="1 paces a turn over 1–3 s, 0 sends without delays, larger is faster (%(default)g)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="makes tokens, sessions and agents reproducible"
    )
    parser.set_defaults(handler=run)


def _usage_problem(args: argparse.Namespace) -> str | None:
    if not 0 <= args.port <= 65535:
        return f"--port must be between 0 and 65535, not {args.port}"
    if not (math.isfinite(args.token_ttl) and args.token_ttl > 0):
        return f"--token-ttl must be a positive number of seconds, not {args.token_ttl:g}"
    if not (math.isfinite(args.speed) and args.speed >= 0):
        return f"--speed must be 0 or more, not {args.speed:g}"
    return None


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C; exit 2 on a usage error, 1 if the address cannot be used."""
    try:
        faults = parse_fault_names(args.faults)
    except UnknownFaultError as unknown:
        error(str(unknown))
        return EXIT_USAGE
    problem = _usage_problem(args)
    if problem:
        error(problem)
        return EXIT_USAGE

    from robotui.emulator.config import EmulatorConfig
    from robotui.emulator.server import serve

    config = EmulatorConfig(
        faults=faults, token_ttl=args.token_ttl, speed=args.speed, seed=args.seed
    )
    try:
        serve(config, host=args.host, port=args.port)
    except OSError as failure:
        reason = failure.strerror or str(failure)
        error(f"cannot listen on {args.host}:{args.port}: {reason}")
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("emulator stopped", file=sys.stderr)
        return EXIT_OK
    return EXIT_OK

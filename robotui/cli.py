"""The `robotui` command: the TUI by default, and `ask`, `login`, `logout`,
`history`, `emulator`.

Heavy modules (Textual, the emulator's server, the history store) are imported
only by the command that needs them, so `robotui ask` starts quickly.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from robotui import __version__
from robotui.cli_common import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CommandError,
    base_url_from,
    error,
)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one `error:` line and exit code 2."""

    command = ""  # the command given, so the top level's errors point to its help

    def error(self, message: str) -> NoReturn:
        error(f"{message} — see `{' '.join(filter(None, (self.prog, self.command)))} --help`")
        sys.exit(EXIT_USAGE)


# The commands, and the module whose `add_parser(subcommands)` registers each.
COMMANDS = {
    "ask": "robotui.cli_ask",
    "login": "robotui.cli_ask",
    "logout": "robotui.cli_ask",
    "history": "robotui.cli_history",
    "emulator": "robotui.emulator.cli",
}
# Top-level options that take a value (so the value is not taken for a command).
_VALUED = {"--base-url", "--proxy", "--agent"}


def _command(argv: Sequence[str]) -> str | None:
    """The command named in `argv`, if any ("" for a word that names none)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in _VALUED:
            skip = True
        elif not word.startswith("-"):
            return word if word in COMMANDS else ""
        elif word in ("-h", "--help"):
            return ""
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with `argv`, only the command it names is registered, so opening
    the app does not import every command's module."""
    parser = _Parser(
        prog="robotui",
        description="A terminal app for Robocoders.ai coding agents. "
        "With no command, opens the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"robotui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app against the built-in Robocoders emulator (no account, no network)",
    )
    parser.add_argument("--base-url", metavar="URL", help="the Robocoders server")
    parser.add_argument("--proxy", metavar="URL", help="HTTP(S) proxy")
    parser.add_argument("--agent", metavar="NAME", help="the agent to start with")
    command = _command(argv) if argv is not None else ""
    if command is None:
        return parser
    parser.command = command
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    import importlib

    modules = [COMMANDS[command]] if command else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        importlib.import_module(name).add_parser(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", run_tui)
    try:
        return handler(args)
    except CommandError as failure:
        error(str(failure))
        return failure.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def run_tui(args: argparse.Namespace) -> int:
    """`robotui` with no command: the full-screen app."""
    if args.demo and args.base_url:
        raise CommandError("--demo and --base-url cannot be combined", EXIT_USAGE)
    base_url = None if args.demo else base_url_from(args)
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        raise CommandError("the app needs a terminal — for scripts, use `robotui ask`", EXIT_USAGE)
    # Start-up allocates what lives as long as the app, so the collector's passes
    # over it are wasted (~30 ms of ~240 to the first frame): it stays off until
    # the app's first frame, when the app freezes that heap and turns it back on.
    gc.disable()
    try:
        from robotui.tui.app import RobotuiApp

        RobotuiApp(base_url=base_url, demo=args.demo, proxy=args.proxy, agent=args.agent).run()
    finally:
        gc.enable()
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())

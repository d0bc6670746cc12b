"""`robotui ask`, `robotui login` and `robotui logout`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

from robotui.cli_common import (
    EXIT_AUTH,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNAVAILABLE,
    EXIT_USAGE,
    EXIT_VALIDATION,
    CommandError,
    base_url_from,
    error,
    warning,
)

if TYPE_CHECKING:
    from robotui.client import RobocodersClient, RobocodersError

DEFAULT_AUTO_CONTINUE = 3
DEFAULT_AGENT = "GeneralCodingAgent"


def add_parser(subcommands: argparse._SubParsersAction) -> None:
    """Register `ask`, `login` and `logout`."""
    ask = subcommands.add_parser(
        "ask",
        help="send one prompt and stream the agent's work to stdout",
        description="Send one prompt to an agent and stream its work to stdout. "
        "The prompt is read from stdin when PROMPT is '-' or omitted with stdin piped.",
    )
    ask.add_argument("prompt", nargs="?", metavar="PROMPT", help="the prompt, or '-' for stdin")
    ask.add_argument(
        "--agent",
        metavar="NAME",
        help="GeneralCodingAgent (default; when continuing, the conversation's agent), "
        "RepoAgent, FrontEndAgent, or any name the server knows",
    )
    which = ask.add_mutually_exclusive_group()
    which.add_argument(
        "-c",
        "--continue",
        dest="continue_latest",
        action="store_true",
        help="continue the latest conversation (same agent session: the agent remembers)",
    )
    which.add_argument(
        "--conversation", metavar="ID", help="continue conversation ID (see `robotui history`)"
    )
    ask.add_argument("--no-save", action="store_true", help="do not keep this turn in the history")
    _add_server_arguments(ask)
    ask.add_argument(
        "--no-auto-continue",
        action="store_true",
        help="do not answer 'continue' when the agent stops at its resource limit",
    )
    ask.add_argument("--json", action="store_true", help="print the typed events as NDJSON")
    ask.add_argument(
        "--demo",
        action="store_true",
        help="start the built-in Robocoders emulator and talk to it (no account, no network)",
    )
    ask.set_defaults(handler=run_ask)

    login = subcommands.add_parser(
        "login",
        help="store a token for the server (fetched from /auth unless given)",
        description="Store an access token for the server in the OS keyring. "
        "Without --token, a new token is fetched from the server's /auth page.",
    )
    login.add_argument("--token", metavar="TOKEN", help="the token to store, or '-' to read stdin")
    _add_server_arguments(login)
    login.set_defaults(handler=run_login)

    logout = subcommands.add_parser(
        "logout",
        help="remove the server's token and cached sessions",
        description="Remove the stored token and the cached session ids of the server.",
    )
    logout.add_argument("--base-url", metavar="URL", help="the server (default: $ROBOTUI_BASE_URL)")
    logout.set_defaults(handler=run_logout)


def _add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the Robocoders server (default: $ROBOTUI_BASE_URL or https://api.robocoders.ai)",
    )
    parser.add_argument(
        "--proxy", metavar="URL", help="HTTP(S) proxy (default: $HTTPS_PROXY / $ALL_PROXY)"
    )


# ------------------------------------------------------------------- ask


def run_ask(args: argparse.Namespace) -> int:
    prompt = _read_prompt(args.prompt)
    with _server(args) as base_url:
        return _run_async(_ask(args, base_url, prompt))


async def _ask(args: argparse.Namespace, base_url: str, prompt: str) -> int:
    from robotui.cli_render import TextRenderer

    renderer = None if args.json else TextRenderer(sys.stdout, color=_use_color(sys.stdout))
    with _history(args) as history:
        conversation = history.conversation(prompt, base_url, args.agent) if history else None
        agent = args.agent or (conversation.agent if conversation else "") or DEFAULT_AGENT
        async with _client(args, base_url) as client:
            stream = client.chat(
                prompt,
                agent=agent,
                session_id=conversation.session_id if conversation else None,
                conversation_id=f"conversation:{conversation.id}" if conversation else None,
                auto_continue=0 if args.no_auto_continue else DEFAULT_AUTO_CONTINUE,
            )
            with history.turn(prompt, agent) if history else contextlib.nullcontext() as turn:
                async with stream:
                    async for event in stream:
                        if turn is not None:
                            turn.add(event)
                        if renderer is None:
                            print(json.dumps(event.to_json(), ensure_ascii=False), flush=True)
                        else:
                            renderer.render(event)
                if history and stream.session_id:
                    history.remember_session(stream.session_id)
        if history and sys.stderr.isatty() and not args.json:
            print(
                f"(saved as conversation {history.conversation_id}; "
                "continue with `robotui ask -c`)",
                file=sys.stderr,
            )
        if stream.invalid_lines:
            plural = "s" if stream.invalid_lines != 1 else ""
            warning(f"skipped {stream.invalid_lines} malformed line{plural} from the server")
        if stream.waiting_for_user and renderer is not None:
            if args.no_auto_continue:
                hint = "answer it, or say 'continue'"
            else:
                hint = "it still waits after the automatic continues; say 'continue' to go on"
            print(f"(the agent is waiting for your reply: {hint})", file=sys.stderr)
    return EXIT_OK


class _History:
    """The conversation an `ask` belongs to, and the recording of its turn."""

    def __init__(self, store, continue_latest: bool, conversation_text: str | None) -> None:
        self.store = store
        self.continue_latest = continue_latest
        self.conversation_text = conversation_text
        self.conversation_id: int | None = None
        self._session_id: str | None = None

    def conversation(self, prompt: str, base_url: str, agent: str | None):
        from robotui.cli_history import require_conversation
        from robotui.store import title_from_prompt

        if self.conversation_text is not None:
            conversation = require_conversation(self.store, self.conversation_text)
        elif self.continue_latest:
            conversation = self.store.latest_conversation()
            if conversation is None:
                raise CommandError(
                    "no conversation to continue yet — ask without -c first", EXIT_USAGE
                )
        else:
            conversation = self.store.create_conversation(
                title_from_prompt(prompt), agent or DEFAULT_AGENT, base_url
            )
        if conversation.server and conversation.server != base_url and conversation.session_id:
            warning(
                f"conversation {conversation.id} was with {conversation.server}; "
                "this server may not know its session, and the agent may not remember it"
            )
        self.conversation_id = conversation.id
        self._session_id = conversation.session_id
        return conversation

    def turn(self, prompt: str, agent: str):
        from robotui.store import record_turn

        assert self.conversation_id is not None
        if self.continue_latest or self.conversation_text is not None:
            self.store.set_agent(self.conversation_id, agent)
        return record_turn(self.store, self.conversation_id, prompt, agent)

    def remember_session(self, session_id: str) -> None:
        if session_id != self._session_id and self.conversation_id is not None:
            self.store.set_session_id(self.conversation_id, session_id)


@contextlib.contextmanager
def _history(args: argparse.Namespace) -> Iterator[_History | None]:
    """The history store for this ask (None with --no-save); closed (flushed) after."""
    wants_history = args.continue_latest or args.conversation is not None
    if args.no_save and not wants_history:
        yield None
        return
    if args.no_save:
        raise CommandError("--no-save cannot be combined with -c or --conversation", EXIT_USAGE)
    from robotui.cli_history import open_history

    with open_history() as store:
        yield _History(store, args.continue_latest, args.conversation)


def _read_prompt(argument: str | None) -> str:
    if argument == "-" or (argument is None and not sys.stdin.isatty()):
        try:
            prompt = sys.stdin.read()
        except UnicodeDecodeError:
            raise CommandError("the prompt on stdin is not valid UTF-8", EXIT_USAGE) from None
    elif argument is None:
        raise CommandError(
            'no prompt — give one (robotui ask "...") or pipe it on stdin', EXIT_USAGE
        )
    else:
        prompt = argument
    if not prompt.strip():
        raise CommandError("the prompt is empty", EXIT_USAGE)
    return prompt


# ------------------------------------------------------------ login, logout


def run_login(args: argparse.Namespace) -> int:
    token = args.token
    if token == "-":
        token = sys.stdin.readline().strip()
    if token is not None and not token.strip():
        raise CommandError("the token is empty", EXIT_USAGE)
    base_url = base_url_from(args)
    return _run_async(_login(args, base_url, token))


async def _login(args: argparse.Namespace, base_url: str, token: str | None) -> int:
    from robotui.client import TOKEN_ENV

    async with _client(args, base_url, environment_token=False) as client:
        if token is None:
            token = await client.fetch_token()
        # Prove the token works now rather than at the first prompt.
        await client.create_session(token)
        await client.login(token)
        where = client.credentials.tokens.location  # type: ignore[attr-defined]
    print(f"Logged in to {base_url}; the token is stored in {where}.", file=sys.stderr)
    if os.environ.get(TOKEN_ENV):
        warning(f"{TOKEN_ENV} is set and takes precedence over the stored token")
    return EXIT_OK


def run_logout(args: argparse.Namespace) -> int:
    from robotui.client.credentials import Credentials

    base_url = base_url_from(args)
    credentials = Credentials(on_warning=warning)
    had_token = credentials.tokens.delete(base_url)
    credentials.drop_sessions(base_url)
    if had_token:
        print(f"Logged out of {base_url}: token and cached sessions removed.", file=sys.stderr)
    else:
        print(f"Not logged in to {base_url}; cached sessions cleared.", file=sys.stderr)
    return EXIT_OK


# ------------------------------------------------------------------ shared


@contextlib.contextmanager
def _server(args: argparse.Namespace) -> Iterator[str]:
    """The base URL to talk to; with --demo, of an emulator running meanwhile."""
    if not getattr(args, "demo", False):
        yield base_url_from(args)
        return
    if args.base_url:
        raise CommandError("--demo and --base-url cannot be combined", EXIT_USAGE)
    from robotui.emulator import start_in_thread

    with start_in_thread() as emulator:
        yield emulator.base_url


@contextlib.asynccontextmanager
async def _client(
    args: argparse.Namespace, base_url: str, *, environment_token: bool = True
) -> AsyncIterator[RobocodersClient]:
    from robotui.client import MemoryCredentials, RobocodersClient
    from robotui.client.credentials import Credentials

    # The demo server lives as long as this process; its tokens are not worth keeping.
    credentials = (
        MemoryCredentials() if getattr(args, "demo", False) else Credentials(on_warning=warning)
    )
    proxy = getattr(args, "proxy", None)
    async with RobocodersClient(
        base_url, proxy=proxy, credentials=credentials, environment_token=environment_token
    ) as client:
        yield client


def _run_async(coroutine) -> int:
    """Run a command's coroutine; map client errors to one line and an exit code."""
    from robotui.client import RobocodersError

    try:
        return asyncio.run(coroutine)
    except RobocodersError as failure:
        error(str(failure))
        return exit_code_for(failure)
    except KeyboardInterrupt:
        sys.stdout.flush()
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`robotui ask ... | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def exit_code_for(failure: RobocodersError) -> int:
    """The documented exit code of a client error."""
    from robotui.client import AuthenticationError, ValidationError

    if isinstance(failure, AuthenticationError):
        return EXIT_AUTH
    if isinstance(failure, ValidationError):
        return EXIT_VALIDATION
    return EXIT_UNAVAILABLE


def _use_color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"

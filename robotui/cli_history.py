"""`robotui history ...`: list, search, show, export, import, rename, delete, pin, archive.

Exit codes: 0 done (an empty history too); 1 no such conversation, a file that
cannot be imported or written, a database that cannot be used; 2 usage errors.
Text from the server is printed through `visible()`: escape sequences stored in
a conversation are shown, never obeyed by the terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from robotui.cli_common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, CommandError
from robotui.textsafe import one_line

if TYPE_CHECKING:
    from robotui.store import Conversation, HistoryStore

LIST_HINT = "see `robotui history list`"
EMPTY_HINT = 'no conversations yet — try `robotui ask --demo "hello"`'


def add_parser(subcommands: argparse._SubParsersAction) -> None:
    """Register `history` and its subcommands on the top-level parser."""
    history = subcommands.add_parser(
        "history",
        help="list, search, show, export and import saved conversations",
        description="Every conversation with an agent is saved as it streams. "
        "With no action, lists the most recent ones.",
    )
    history.set_defaults(handler=run_list, search=None, limit=50, json=False, all=False)
    actions = history.add_subparsers(dest="history_command", metavar="ACTION")

    listing = actions.add_parser(
        "list", help="the most recent conversations, or those matching --search"
    )
    listing.add_argument(
        "-s",
        "--search",
        metavar="TEXT",
        help='words that must all appear; "a phrase" in quotes; word* for a prefix',
    )
    listing.add_argument(
        "-n", "--limit", type=_positive, default=50, metavar="N", help="at most N (default 50)"
    )
    listing.add_argument("--all", action="store_true", help="include archived conversations")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.set_defaults(handler=run_list)

    show = actions.add_parser("show", help="print a conversation")
    show.add_argument("id", metavar="ID", help="a conversation id from `history list`")
    show.add_argument("--json", action="store_true", help="the lossless JSON export")
    show.set_defaults(handler=run_show)

    export = actions.add_parser(
        "export", help="export a conversation as Markdown or JSON (stdout unless -o)"
    )
    export.add_argument("id", metavar="ID", help="a conversation id from `history list`")
    export.add_argument(
        "--format", choices=("md", "json"), default="md", help="md (default) or json (lossless)"
    )
    export.add_argument("-o", "--output", metavar="PATH", help="write to this file ('-': stdout)")
    export.add_argument("--force", action="store_true", help="replace PATH if it exists")
    export.set_defaults(handler=run_export)

    importing = actions.add_parser(
        "import",
        help="import a JSON export or a g4f-style message list as a new conversation",
    )
    importing.add_argument("file", metavar="FILE", help="the file to import ('-': stdin)")
    importing.set_defaults(handler=run_import)

    delete = actions.add_parser("delete", help="delete a conversation for good")
    delete.add_argument("id", metavar="ID", help="a conversation id from `history list`")
    delete.set_defaults(handler=run_delete)

    rename = actions.add_parser("rename", help="give a conversation a new title")
    rename.add_argument("id", metavar="ID", help="a conversation id from `history list`")
    rename.add_argument("title", nargs="+", metavar="TITLE", help="the new title")
    rename.set_defaults(handler=run_rename)

    for name, help_text in (
        ("pin", "list a conversation first"),
        ("unpin", "stop listing a conversation first"),
        ("archive", "hide a conversation from lists (see `list --all`)"),
        ("unarchive", "list an archived conversation again"),
    ):
        flag = actions.add_parser(name, help=help_text)
        flag.add_argument("id", metavar="ID", help="a conversation id from `history list`")
        flag.set_defaults(handler=_flag_handler(name))


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


# ------------------------------------------------------------- helpers


@contextmanager
def open_history() -> Iterator[HistoryStore]:
    from robotui.store import ConversationNotFound, HistoryStore, StoreError

    try:
        with HistoryStore.open() as store:
            yield store
    except ConversationNotFound as missing:
        raise CommandError(f"{missing} — {LIST_HINT}", EXIT_FAILURE) from None
    except StoreError as failure:
        raise CommandError(str(failure), EXIT_FAILURE) from None


def _conversation_id(text: str) -> int:
    from robotui.textsafe import visible

    digits = text.strip().removeprefix("#")
    if not digits.isascii() or not digits.isdigit():
        raise CommandError(f"no conversation {visible(text)} — {LIST_HINT}", EXIT_FAILURE)
    return int(digits)


def require_conversation(store: HistoryStore, text: str) -> Conversation:
    from robotui.store import ConversationNotFound

    conversation = store.get_conversation(_conversation_id(text))
    if conversation is None:
        raise ConversationNotFound(text.strip())
    return conversation


def friendly_time(moment: datetime, now: datetime | None = None) -> str:
    """Local time for a list: "today 14:03", "yesterday 09:12", "Mar 04 14:03", "2023-03-04"."""
    local = moment.astimezone()
    today = (now or datetime.now().astimezone()).date()
    if local.date() == today:
        return f"today {local:%H:%M}"
    if local.date() == today - timedelta(days=1):
        return f"yesterday {local:%H:%M}"
    if local.year == today.year:
        return f"{local:%b %d %H:%M}"
    return f"{local:%Y-%m-%d}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _summary(conversation: Conversation) -> dict[str, Any]:
    data: dict[str, Any] = {
        **conversation.fields_json(),
        "turns": conversation.turn_count,
        "events": conversation.event_count,
    }
    if conversation.snippet is not None:
        data["snippet"] = conversation.snippet
    return data


def _table(conversations: list[Conversation]) -> str:
    rows = [
        (
            f"{item.id}{'*' if item.pinned else ''}",
            friendly_time(item.updated_at),
            one_line(item.agent),
            str(item.turn_count),
            one_line(item.title) + (" (archived)" if item.archived else ""),
            item.snippet,
        )
        for item in conversations
    ]
    header = ("ID", "UPDATED", "AGENT", "TURNS", "TITLE")
    widths = [max([len(header[i]), *(len(row[i]) for row in rows)]) for i in range(4)]
    lines = []
    for cells in [(*header, None), *rows]:
        id_, updated, agent, turns, title, snippet = cells
        lines.append(
            f"{id_:>{widths[0]}}  {updated:<{widths[1]}}  {agent:<{widths[2]}}  "
            f"{turns:>{widths[3]}}  {title}"
        )
        if snippet:
            lines.append(f"{'':>{widths[0]}}  {one_line(snippet)}")
    if any(item.pinned for item in conversations):
        lines.append("(* pinned)")
    return "\n".join(lines)


# ------------------------------------------------------------ commands


def run_list(args: argparse.Namespace) -> int:
    from robotui.store.transfer import dumps

    with open_history() as store:
        conversations = store.list_conversations(
            args.limit, search=args.search, include_archived=args.all
        )
    if args.json:
        print(dumps([_summary(item) for item in conversations]))
    elif conversations:
        print(_table(conversations))
    elif args.search is not None:
        print(f"no conversations match {one_line(args.search)!r}", file=sys.stderr)
    else:
        print(EMPTY_HINT, file=sys.stderr)
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    from robotui.store.transfer import dumps

    with open_history() as store:
        conversation = require_conversation(store, args.id)
        if args.json:
            text = dumps(store.export_document(conversation.id))
        else:
            text = store.export_markdown(conversation.id).rstrip("\n")
    print(text)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from robotui.store import StoreError
    from robotui.store.transfer import dumps, write_export

    with open_history() as store:
        conversation = require_conversation(store, args.id)
        if args.format == "json":
            text = dumps(store.export_document(conversation.id)) + "\n"
        else:
            text = store.export_markdown(conversation.id)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_export(Path(args.output), text, force=args.force)
    except StoreError as failure:
        raise CommandError(str(failure), EXIT_FAILURE) from None
    print(f"exported conversation {conversation.id} to {args.output}", file=sys.stderr)
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    with open_history() as store:
        if args.file == "-":
            from robotui.store.transfer import MAX_IMPORT_BYTES, decode_document

            data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
            imported = store.import_document(decode_document(data, source="stdin"), source="stdin")
        else:
            imported = store.import_file(Path(args.file))
    print(
        f"imported conversation {imported.id}: {one_line(imported.title)} "
        f"({_count(imported.turn_count, 'turn')}, {_count(imported.event_count, 'event')})"
    )
    return EXIT_OK


def run_delete(args: argparse.Namespace) -> int:
    with open_history() as store:
        conversation = require_conversation(store, args.id)
        store.delete(conversation.id)
    print(f"deleted conversation {conversation.id}: {one_line(conversation.title)}")
    return EXIT_OK


def run_rename(args: argparse.Namespace) -> int:
    from robotui.store import ConversationNotFound, StoreError

    title = " ".join(args.title)
    with open_history() as store:
        conversation = require_conversation(store, args.id)
        try:
            store.rename(conversation.id, title)
        except ConversationNotFound:
            raise
        except StoreError as failure:
            raise CommandError(str(failure), EXIT_USAGE) from None
        renamed = store.get_conversation(conversation.id) or conversation
    print(f"renamed conversation {renamed.id}: {one_line(renamed.title)}")
    return EXIT_OK


_DONE = {"pin": "pinned", "unpin": "unpinned", "archive": "archived", "unarchive": "unarchived"}


def _flag_handler(action: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        with open_history() as store:
            conversation = require_conversation(store, args.id)
            if action in ("pin", "unpin"):
                store.set_pinned(conversation.id, action == "pin")
            else:
                store.set_archived(conversation.id, action == "archive")
        print(f"{_DONE[action]} conversation {conversation.id}")
        return EXIT_OK

    return run

"""The argument parser: the commands and their flags, the value types, and the screening of secrets.

No flag may be abbreviated, and a secret typed on the command line (``--password=...``, a value after a ``--*-stdin``
flag) is refused in one line that does not repeat it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from datetime import date, datetime, timezone
from typing import Any, Final, NoReturn, TypeVar

from .._version import __version__
from . import _commands, _watch
from ._errors import EXIT_USAGE, PROG
from ._settings import MAX_CONCURRENCY, MAX_TIMEOUT, valid_timeout


def _moment(text: str) -> datetime | date:
    """A date (``2026-01-31``) or an ISO 8601 datetime; a datetime without offset is read as UTC."""
    try:
        if "T" not in text and " " not in text.strip():
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (2026-01-31) or datetime (2026-01-31T09:00Z)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _start(text: str) -> datetime:
    value = _moment(text)
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def _page_size(text: str) -> int:
    value = _positive_int(text)
    if value > 999:
        raise argparse.ArgumentTypeError("the page size is 1 to 999 (Workday's limit)")
    return value


def _timeout(text: str) -> float:
    """``--timeout``: seconds above 0 and at most a day (not 0, negative, nan or inf, which Timeouts refuses)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not valid_timeout(value):
        raise argparse.ArgumentTypeError(f"{text!r}: the timeout must be above 0 and at most {MAX_TIMEOUT:g} seconds")
    return value


def _concurrency(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"{text!r}: at most {MAX_CONCURRENCY} requests in flight")
    return value


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not 0 < value <= 366:
        raise argparse.ArgumentTypeError("--days must be above 0 and at most 366")
    return value


def _interval(text: str) -> float:
    """``--interval``: seconds between polls, above 0 and at most a day."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not valid_timeout(value):
        raise argparse.ArgumentTypeError(f"{text!r}: the interval must be above 0 and at most {MAX_TIMEOUT:g} seconds")
    return value


def _address(text: str) -> tuple[str, int]:
    """``--listen``: ``[HOST:]PORT``, the host 127.0.0.1 unless given."""
    from ..webhooks._listener import parse_address

    try:
        return parse_address(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


#: Words in the name of a flag meant to carry a secret (there is none: every user sees a command line in ``ps``).
_SECRET_FLAG: Final = re.compile(r"pass|pwd|secret|token|credential|api-?key", re.IGNORECASE)
#: While the outermost parser runs: each ``(--*-stdin flag, the word right after it)`` of the command line.
_FLAG_SHAPE: Final = re.compile(r"--[a-z][a-z0-9-]*")
_T = TypeVar("_T")
_UNSPOKEN: ContextVar[tuple[tuple[str, str], ...] | None] = ContextVar("_UNSPOKEN", default=None)


class _Parser(argparse.ArgumentParser):
    """An argument parser that takes no abbreviated flag and never repeats a secret typed on the command line.

    Before parsing, the outermost parser refuses a value attached to a ``--*-stdin`` flag (``--password-stdin=...``)
    and a flag that does not exist but names a secret (``--password``, ``--client-secret``...), in one line that
    leaves the value out. A word right after a ``--*-stdin`` flag is kept out of every later usage error too
    (``--client-secret-stdin hunter2`` would otherwise be "unrecognized arguments: hunter2").
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False  # --pass must not mean --password-stdin (nor anything else)
        super().__init__(*args, **kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        return self._screened(args, lambda argv: super(_Parser, self).parse_args(argv, namespace))

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        return self._screened(args, lambda argv: super(_Parser, self).parse_known_args(argv, namespace))

    def _screened(self, args: Sequence[str] | None, parse: Callable[[list[str]], _T]) -> _T:
        if _UNSPOKEN.get() is not None:  # a command's parser run by the outermost one, or parse_args' own call
            return parse(list(sys.argv[1:] if args is None else args))
        argv = list(sys.argv[1:] if args is None else args)
        token = _UNSPOKEN.set(self._screen(argv))
        try:
            return parse(argv)
        finally:
            _UNSPOKEN.reset(token)

    def _screen(self, argv: Sequence[str]) -> tuple[tuple[str, str], ...]:
        """Refuse a secret given as a flag; return the words following ``--*-stdin`` flags."""
        known = set(_option_strings(self))
        unspoken: list[tuple[str, str]] = []
        for index, arg in enumerate(argv):
            if arg == "--":
                break
            name, attached, _ = arg.partition("=")
            if not name.startswith("--"):
                continue
            if name in known and name.endswith("-stdin"):
                if attached:
                    self._refuse(_no_value(name))
                following = argv[index + 1] if index + 1 < len(argv) else None
                # Anything but a flag (known, or shaped like one: --bogus) may be the secret itself.
                if (
                    following is not None
                    and following.partition("=")[0] not in known
                    and not _FLAG_SHAPE.fullmatch(following)
                ):
                    unspoken.append((name, following))
            elif name not in known and _SECRET_FLAG.search(name):
                self._refuse(
                    f"there is no {name} flag: a secret is never a flag (every user sees a command line in ps); "
                    "pipe it to --password-stdin or --client-secret-stdin, or use the WORKDAY_* variables or the "
                    "config file (what was given is not repeated here)"
                )
        return tuple(unspoken)

    def error(self, message: str) -> NoReturn:
        for flag, word in _UNSPOKEN.get() or ():
            if re.search(rf"(?<![^\s'\"]){re.escape(word)}(?![^\s'\",)])", message):
                self._refuse(_no_value(flag))
        super().error(message)

    def _refuse(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{PROG}: error: {message}\n")


def _no_value(flag: str) -> str:
    what = flag.removeprefix("--").removesuffix("-stdin").replace("-", " ")
    return (
        f"{flag} takes no value: it reads the {what} from stdin, so pipe the {what} in; what was given is not "
        "repeated here"
    )


def _option_strings(parser: argparse.ArgumentParser) -> Iterable[str]:
    """Every flag of the parser and of its commands' parsers."""
    for action in parser._actions:
        yield from action.option_strings
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _option_strings(sub)


#: Defaults of the options every command accepts (given before or after the command).
COMMON_DEFAULTS: Final[Mapping[str, Any]] = {
    "json": False,
    "debug": False,
    "no_progress": False,
    "config": None,
    "profile": None,
    "wsdl_url": None,
    "username": None,
    "password_stdin": False,
    "client_id": None,
    "client_secret_stdin": False,
    "token_url": None,
    "timeout": None,
    "allow_insecure_http": False,
    "concurrency": None,
}


def _common_options() -> argparse.ArgumentParser:
    common = _Parser(add_help=False, argument_default=argparse.SUPPRESS)
    output = common.add_argument_group("output")
    output.add_argument("--json", action="store_true", help="machine-readable output (JSON Lines for lists)")
    output.add_argument("--debug", action="store_true", help="show tracebacks and the SDK's DEBUG log (redacted)")
    output.add_argument("--no-progress", action="store_true", help="no progress bars (they show only on a terminal)")
    conn = common.add_argument_group("connection (flags override WORKDAY_* variables, which override the config file)")
    conn.add_argument(
        "--config", metavar="PATH", help="TOML config file (default ~/.config/workday-recruiting/config.toml)"
    )
    conn.add_argument("--profile", metavar="NAME", help="config file profile (default: 'default', or WORKDAY_PROFILE)")
    conn.add_argument("--wsdl-url", metavar="URL", help="the Recruiting WSDL URL (WORKDAY_WSDL_URL)")
    conn.add_argument("--username", metavar="ISU", help="the ISU's user name (WORKDAY_USERNAME)")
    conn.add_argument("--password-stdin", action="store_true", help="read the ISU's password from stdin")
    conn.add_argument("--client-id", metavar="ID", help="OAuth API client id (WORKDAY_CLIENT_ID)")
    conn.add_argument("--client-secret-stdin", action="store_true", help="read the OAuth client secret from stdin")
    conn.add_argument("--token-url", metavar="URL", help="OAuth token endpoint (WORKDAY_TOKEN_URL)")
    conn.add_argument("--timeout", type=_timeout, metavar="SECONDS", help="read timeout per request (default 120)")
    conn.add_argument(
        "--concurrency", type=_concurrency, metavar="N", help="requests in flight at once (1-64, default 4)"
    )
    conn.add_argument("--allow-insecure-http", action="store_true", help="allow http:// to a non-loopback test server")
    return common


def _add_filters(parser: argparse.ArgumentParser, *, applications: bool = True) -> None:
    parser.add_argument("--updated-from", type=_moment, metavar="WHEN", help="changed at or after (date or datetime)")
    parser.add_argument("--updated-to", type=_moment, metavar="WHEN", help="changed at or before")
    if applications:
        parser.add_argument("--requisition", metavar="ID", help="applied to this requisition (R-00008)")
        parser.add_argument("--stage", metavar="ID", help="has an application in this stage (INTERVIEW)")
        parser.add_argument("--applied-from", type=_moment, metavar="WHEN", help="applied at or after")
        parser.add_argument("--applied-to", type=_moment, metavar="WHEN", help="applied at or before")


def _add_paging(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max", type=_positive_int, metavar="N", help="stop after N records")
    parser.add_argument("--page-size", type=_page_size, default=100, metavar="N", help="records per request (1-999)")


def _add_watch(interviews: Any, leaf: Callable[..., argparse.ArgumentParser]) -> None:
    """``interviews watch`` (docs/cli.md, docs/push.md) and its dead-letter commands."""
    watch = leaf(interviews, "watch", _watch.cmd_interviews_watch, "print or push every change to upcoming interviews")
    watch.add_argument("--state", required=True, metavar="PATH", help="the feed's state (SQLite file, made if missing)")
    watch.add_argument("--days", type=_days, default=14.0, help="window length in days (default 14)")
    watch.add_argument("--interval", type=_interval, default=60.0, metavar="SECONDS", help="between polls (default 60)")
    watch.add_argument("--once", action="store_true", help="poll (and deliver) once, then exit")
    push = watch.add_argument_group("push to a webhook (signed per Standard Webhooks; docs/push.md)")
    push.add_argument("--webhook-url", metavar="URL", help="POST each change there (WORKDAY_WEBHOOK_URL)")
    push.add_argument(
        "--webhook-secret-stdin", action="store_true", help="read the whsec_ secret from stdin (WORKDAY_WEBHOOK_SECRET)"
    )
    notify = watch.add_argument_group("Workday notifications as a trigger")
    notify.add_argument(
        "--listen", type=_address, metavar="[HOST:]PORT", help="accept Workday's notifications (host 127.0.0.1)"
    )
    notify.add_argument(
        "--notification-user", metavar="NAME", help="the user name Workday sends (WORKDAY_NOTIFICATION_USER)"
    )
    notify.add_argument(
        "--notification-password-stdin",
        action="store_true",
        help="read its password from stdin (WORKDAY_NOTIFICATION_PASSWORD)",
    )
    letters = leaf(interviews, "dead-letters", _watch.cmd_interviews_dead_letters, "changes a webhook refused for good")
    letters.add_argument("--state", required=True, metavar="PATH", help="the feed's state (as for watch)")
    again = leaf(interviews, "redeliver", _watch.cmd_interviews_redeliver, "queue dead letters to be sent again")
    again.add_argument("--state", required=True, metavar="PATH", help="the feed's state (as for watch)")
    again.add_argument("ids", nargs="*", metavar="ID", help="the change IDs (ic_...)")
    again.add_argument("--all", action="store_true", help="every dead letter")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``workday-recruiting``."""
    common = _common_options()
    parser = _Parser(  # every command's parser is a _Parser too (add_subparsers makes them of the same class)
        prog=PROG,
        description="Read Workday Recruiting: candidates, applications, interviews and requisitions.",
        epilog="Exit codes: 0 ok, 1 failure, 2 configuration or usage error, 3 authentication or permission error.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def leaf(
        group: Any, name: str, func: Callable[[_commands.Context], int], help_text: str
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = group.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(func=func)
        return sub

    demo = leaf(commands, "demo", _commands.cmd_demo, "start a local FakeTenant and show the upcoming interviews")
    demo.add_argument("--candidates", type=int, default=300, metavar="N", help="candidates in the fake (default 300)")
    demo.add_argument("--seed", type=int, default=0, help="seed of the fake's data (default 0)")
    demo.add_argument("--days", type=_days, default=7.0, help="window length in days (default 7)")

    leaf(commands, "check", _commands.cmd_check, "check the Workday setup: which step of the admin guide to fix")

    interviews = commands.add_parser("interviews", help="interview sessions").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    upcoming = leaf(interviews, "upcoming", _commands.cmd_interviews_upcoming, "interview sessions of the next days")
    upcoming.add_argument("--days", type=_days, default=7.0, help="window length in days (default 7)")
    upcoming.add_argument("--start", type=_start, metavar="WHEN", help="window start (default now)")
    upcoming.add_argument("--stage", metavar="ID", help="only applications in this recruiting stage")
    upcoming.add_argument("--requisition", metavar="ID", help="only candidates of this requisition")
    upcoming.add_argument("--no-meeting-links", action="store_true", help="skip the web-conference requests")
    _add_watch(interviews, leaf)

    candidates = commands.add_parser("candidates", help="candidates").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    c_list = leaf(candidates, "list", _commands.cmd_candidates_list, "list candidates")
    c_list.add_argument("--email", help="the candidate's email address")
    c_list.add_argument("--name", help="'First Last'")
    _add_filters(c_list)
    _add_paging(c_list)
    c_get = leaf(candidates, "get", _commands.cmd_candidates_get, "show one candidate")
    c_get.add_argument("id", help="Candidate_ID (CAND-1187) or WID")

    applications = commands.add_parser("applications", help="job applications").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    a_list = leaf(applications, "list", _commands.cmd_applications_list, "list job applications")
    _add_filters(a_list)
    _add_paging(a_list)

    requisitions = commands.add_parser("requisitions", help="job requisitions").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    r_list = leaf(requisitions, "list", _commands.cmd_requisitions_list, "list job requisitions")
    r_list.add_argument("--status", metavar="ID", help="requisition status (OPEN, FILLED...)")
    _add_filters(r_list, applications=False)
    _add_paging(r_list)
    r_get = leaf(requisitions, "get", _commands.cmd_requisitions_get, "show one job requisition")
    r_get.add_argument("id", help="Job_Requisition_ID (R-00008) or WID")

    exporter = leaf(commands, "export", _commands.cmd_export, "export a record family to JSON Lines or CSV (resumable)")
    exporter.add_argument("family", choices=("candidates", "applications", "requisitions", "interviews"))
    exporter.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default jsonl)")
    exporter.add_argument("--output", "-o", required=True, metavar="FILE", help="output file ('-': stdout)")
    exporter.add_argument("--resume", action="store_true", help="continue an interrupted export to FILE")
    exporter.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    exporter.add_argument("--status", metavar="ID", help="requisitions: only this status")
    exporter.add_argument("--requisition", metavar="ID", help="only candidates of this requisition")
    exporter.add_argument("--stage", metavar="ID", help="only candidates with an application in this stage")
    exporter.add_argument("--updated-from", type=_moment, metavar="WHEN", help="changed at or after")
    exporter.add_argument("--updated-to", type=_moment, metavar="WHEN", help="changed at or before")
    exporter.add_argument("--page-size", type=_page_size, default=100, metavar="N", help="records per request")

    loader = leaf(commands, "load", _commands.cmd_load, "load the tenant into a database with dlt (DuckDB by default)")
    loader.add_argument("--destination", default="duckdb", metavar="NAME", help="a dlt destination (default duckdb)")
    loader.add_argument("--dataset", default="recruiting", metavar="NAME", help="dataset to load (default recruiting)")
    loader.add_argument("--output", "-o", metavar="FILE", help="duckdb: the file (workday_recruiting_TENANT.duckdb)")
    loader.add_argument("--resources", metavar="NAMES", help="comma-separated tables to load (default all five)")
    loader.add_argument("--interview-days", type=_days, default=14.0, metavar="DAYS", help="interviews' window (14)")
    loader.add_argument("--page-size", type=_page_size, default=100, metavar="N", help="records per request")
    loader.add_argument("--pipelines-dir", metavar="DIR", help="dlt's working folder (default ~/.dlt/pipelines)")
    loader.add_argument("--demo", action="store_true", help="load an embedded FakeTenant, from scratch")
    loader.add_argument("--candidates", type=int, default=300, metavar="N", help="--demo: candidates (default 300)")
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments of the command line, with the defaults of the options every command accepts.

    Raises:
        SystemExit: ``--help``, ``--version`` or a usage error (argparse printed it).
    """
    args = build_parser().parse_args(argv)
    for name, value in COMMON_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    return args

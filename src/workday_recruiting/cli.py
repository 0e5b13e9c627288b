"""The ``workday-recruiting`` command line (also ``python -m workday_recruiting``).

Commands::

    workday-recruiting demo                       # a FakeTenant: the upcoming interviews of the next 7 days
    workday-recruiting check                      # the setup check (which step of the admin guide to fix)
    workday-recruiting interviews upcoming        # sessions of the next --days days, with names and links
    workday-recruiting candidates list|get        # candidates (filters: --updated-from, --email, --stage...)
    workday-recruiting applications list          # job applications
    workday-recruiting requisitions list|get      # job requisitions
    workday-recruiting export FAMILY --format jsonl|csv --output FILE [--resume]

Credentials come from flags, then environment variables (``WORKDAY_WSDL_URL``, ``WORKDAY_USERNAME``,
``WORKDAY_PASSWORD``, or ``WORKDAY_CLIENT_ID``, ``WORKDAY_CLIENT_SECRET``, ``WORKDAY_REFRESH_TOKEN``,
``WORKDAY_TOKEN_URL`` for OAuth), then a TOML config file (``--config``, default
``~/.config/workday-recruiting/config.toml``; profiles with ``--profile``). There is no password flag (a flag is
visible to every user in ``ps``): use ``--password-stdin``, the environment or the config file.

Exit codes: 0 success; 1 any other failure (a failing setup check, a record not found, a network error);
2 configuration or usage error; 3 authentication or permission error; 130 interrupted; 141 stdout closed early
(``| head``: a broken pipe, 128 + SIGPIPE, quietly).
Expected errors print one line on stderr; ``--debug`` adds the traceback and the SDK's DEBUG log (redacted).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import math
import os
import re
import shutil
import stat
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Final, NoReturn, TextIO, TypeVar

import attrs

from ._config import Timeouts
from ._errors import AuthenticationError, ConfigurationError, PermissionDeniedError, WorkdayError
from ._version import __version__

__all__ = ["EXIT_AUTH", "EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

PROG: Final = "workday-recruiting"
EXIT_OK: Final = 0
EXIT_ERROR: Final = 1
EXIT_USAGE: Final = 2
EXIT_AUTH: Final = 3
EXIT_INTERRUPTED: Final = 130
#: 128 + SIGPIPE: what a shell reports for a process whose reader went away (``| head``).
EXIT_BROKEN_PIPE: Final = 141

#: Setting -> environment variable.
ENVIRONMENT: Final[Mapping[str, str]] = {
    "wsdl_url": "WORKDAY_WSDL_URL",
    "username": "WORKDAY_USERNAME",
    "password": "WORKDAY_PASSWORD",
    "client_id": "WORKDAY_CLIENT_ID",
    "client_secret": "WORKDAY_CLIENT_SECRET",
    "refresh_token": "WORKDAY_REFRESH_TOKEN",
    "token_url": "WORKDAY_TOKEN_URL",
}
_SECRETS: Final = frozenset({"password", "client_secret", "refresh_token"})
_CONFIG_KEYS: Final = frozenset({*ENVIRONMENT, "timeout", "allow_insecure_http"})
_DEFAULT_PROFILE: Final = "default"
#: The longest ``--timeout`` (a day): beyond it a socket timeout overflows the platform's time_t.
_MAX_TIMEOUT: Final = 86400.0
#: The most requests in flight ``--concurrency`` allows (a tenant is shared with the customer's other integrations).
_MAX_CONCURRENCY: Final = 64

log = logging.getLogger("workday_recruiting")


# -- settings ------------------------------------------------------------------------------------------------------


def default_config_path(environ: Mapping[str, str]) -> Path:
    """``$WORKDAY_CONFIG``, else ``$XDG_CONFIG_HOME/workday-recruiting/config.toml`` (``~/.config`` by default)."""
    if environ.get("WORKDAY_CONFIG"):
        return Path(environ["WORKDAY_CONFIG"]).expanduser()
    base = Path(environ["XDG_CONFIG_HOME"]) if environ.get("XDG_CONFIG_HOME") else Path.home() / ".config"
    return base / "workday-recruiting" / "config.toml"


def _toml() -> Any:
    return importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")


def load_config(path: Path, profile: str, *, explicit: bool) -> dict[str, Any]:
    """The settings of one profile of a TOML config file.

    Top-level keys apply to every profile; a table ``[name]`` holds a profile's own keys.

    On POSIX the file must be safe to trust: a file other users can write (they could point ``wsdl_url`` at a
    server of theirs, which would receive the credentials) or that another user owns is refused, and so is a file
    holding a secret that anyone but its owner can read or write. Each refusal names the fix.

    Raises:
        ConfigurationError: The file is missing (when given explicitly), unreadable, unsafe (see above), not TOML,
            or names an unknown key or profile.
    """
    if not path.exists():
        if explicit:
            raise ConfigurationError(f"the config file {path} does not exist")
        return {}
    try:
        with path.open("rb") as handle:
            # The mode and owner of the very file read (not of whatever the path names a moment later).
            status = os.fstat(handle.fileno())
            raw = handle.read()
    except OSError as exc:
        raise ConfigurationError(f"cannot read the config file {path}: {exc.strerror}") from None
    _check_trusted(path, status)
    try:
        data = _toml().loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"the config file {path} is not valid TOML: {exc}") from None
    values = {key: value for key, value in data.items() if not isinstance(value, dict)}
    profiles = {key: value for key, value in data.items() if isinstance(value, dict)}
    if profile in profiles:
        values.update(profiles[profile])
    elif profile != _DEFAULT_PROFILE:
        known = ", ".join(sorted(profiles)) or "none"
        raise ConfigurationError(f"the config file {path} has no profile [{profile}] (profiles: {known})")
    unknown = sorted(set(values) - _CONFIG_KEYS)
    if unknown:
        raise ConfigurationError(
            f"unknown key(s) {', '.join(unknown)} in {path}; the keys are {', '.join(sorted(_CONFIG_KEYS))}"
        )
    held = sorted({key for key in data if key in _SECRETS} | {k for t in profiles.values() for k in t if k in _SECRETS})
    if held and os.name == "posix" and status.st_mode & 0o077:
        raise ConfigurationError(
            f"the config file {path} holds a secret ({', '.join(held)}) and other users have access to it "
            f"(mode {stat.S_IMODE(status.st_mode):03o}); run: chmod 600 {path}"
        )
    _check_values(path, values)
    return values


def _check_trusted(path: Path, status: os.stat_result) -> None:
    """Refuse a config file that someone else can change: writable by group or others, or another user's."""
    if os.name != "posix":
        return
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ConfigurationError(
            f"the config file {path} can be changed by other users (mode {stat.S_IMODE(status.st_mode):03o}): "
            f"they could point wsdl_url at a server of theirs; run: chmod 600 {path}"
        )
    if status.st_uid not in (0, os.geteuid()):
        raise ConfigurationError(
            f"the config file {path} belongs to another user (uid {status.st_uid}); use a config file of your own"
        )


def _check_values(path: Path, values: Mapping[str, Any]) -> None:
    """Refuse config values of the wrong type (``timeout = 0``, ``allow_insecure_http = "no"``)."""
    timeout = values.get("timeout")
    number = isinstance(timeout, (int, float)) and not isinstance(timeout, bool)
    if timeout is not None and not (number and _valid_timeout(timeout)):
        raise ConfigurationError(
            f"timeout in {path} must be a number of seconds above 0 and at most {_MAX_TIMEOUT:g} (got {timeout!r})"
        )
    insecure = values.get("allow_insecure_http")
    if insecure is not None and not isinstance(insecure, bool):
        raise ConfigurationError(f"allow_insecure_http in {path} must be true or false (got {insecure!r})")


@attrs.frozen
class Settings:
    """Where and how to connect, merged from flags, environment and config file (secrets hidden from repr)."""

    wsdl_url: str | None = None
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = attrs.field(default=None, repr=False)
    refresh_token: str | None = attrs.field(default=None, repr=False)
    token_url: str | None = None
    timeout: float | None = None
    allow_insecure_http: bool = False
    concurrency: int | None = None

    @property
    def oauth(self) -> bool:
        """True when an OAuth client id is configured."""
        return bool(self.client_id)

    def secrets(self) -> list[str]:
        """The secret values (for log redaction)."""
        return [s for s in (self.password, self.client_secret, self.refresh_token) if s]

    def validate(self) -> None:
        """Refuse missing or contradictory credentials, naming the variables that provide them."""
        if not self.wsdl_url:
            raise ConfigurationError(
                "no WSDL URL: pass --wsdl-url, set WORKDAY_WSDL_URL, or put wsdl_url in the config file"
            )
        if self.oauth:
            if self.username or self.password:
                raise ConfigurationError(
                    "both ISU (username/password) and OAuth (client id) credentials are configured; keep one"
                )
            missing = [ENVIRONMENT[k] for k in ("client_secret", "refresh_token") if not getattr(self, k)]
            if missing:
                raise ConfigurationError(f"OAuth needs {' and '.join(missing)} (or the config file's keys)")
            return
        if not self.username:
            raise ConfigurationError(
                "no credentials: set WORKDAY_USERNAME and WORKDAY_PASSWORD (or --username and --password-stdin), "
                "or WORKDAY_CLIENT_ID, WORKDAY_CLIENT_SECRET and WORKDAY_REFRESH_TOKEN for OAuth"
            )
        if not self.password:
            raise ConfigurationError(
                "no password: pipe it to --password-stdin, set WORKDAY_PASSWORD, or put it in the config file"
            )

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments shared by both ways of building a client."""
        options: dict[str, Any] = {"allow_insecure_http": self.allow_insecure_http}
        if self.timeout is not None:
            options["timeouts"] = Timeouts(connect=min(10.0, self.timeout), read=self.timeout)
        if self.concurrency is not None:
            options["max_concurrency"] = self.concurrency
        return options


def resolve_settings(args: argparse.Namespace, environ: Mapping[str, str], stdin: TextIO) -> Settings:
    """Merge flags over environment variables over the config file."""
    explicit = args.config is not None
    path = Path(args.config).expanduser() if explicit else default_config_path(environ)
    profile = args.profile or environ.get("WORKDAY_PROFILE") or _DEFAULT_PROFILE
    config = load_config(path, profile, explicit=explicit or bool(args.profile))
    values: dict[str, Any] = {}
    for key, variable in ENVIRONMENT.items():
        flag = getattr(args, key, None)
        if flag:
            values[key] = flag
        elif environ.get(variable):
            values[key] = environ[variable]
        elif config.get(key) is not None:
            values[key] = str(config[key])
    if args.password_stdin and args.client_secret_stdin:
        raise ConfigurationError("--password-stdin and --client-secret-stdin both read stdin; use one")
    if args.password_stdin or args.client_secret_stdin:
        line = stdin.readline().rstrip("\r\n")
        if not line:
            raise ConfigurationError("nothing was read from stdin")
        values["client_secret" if args.client_secret_stdin else "password"] = line
    timeout = args.timeout if args.timeout is not None else config.get("timeout")
    insecure = args.allow_insecure_http or bool(config.get("allow_insecure_http", False))
    try:
        return Settings(
            **values,
            timeout=float(timeout) if timeout is not None else None,
            allow_insecure_http=insecure,
            concurrency=args.concurrency,
        )
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"invalid setting: {exc}") from None


def build_client(settings: Settings) -> Any:
    """A :class:`RecruitingClient` for the settings (ISU or OAuth)."""
    from ._client import RecruitingClient

    settings.validate()
    if settings.oauth:
        return RecruitingClient.from_oauth(
            wsdl_url=settings.wsdl_url or "",
            client_id=settings.client_id or "",
            client_secret=settings.client_secret or "",
            refresh_token=settings.refresh_token or "",
            token_url=settings.token_url,
            **settings.client_options(),
        )
    return RecruitingClient(
        wsdl_url=settings.wsdl_url or "",
        username=settings.username or "",
        password=settings.password or "",
        **settings.client_options(),
    )


# -- output helpers --------------------------------------------------------------------------------------------------


@attrs.define
class Context:
    """What a command needs: parsed arguments, streams, environment and a progress-bar factory."""

    args: argparse.Namespace
    out: TextIO
    err: TextIO
    environ: Mapping[str, str]
    stdin: TextIO
    secrets: list[str] = attrs.Factory(list)

    @property
    def as_json(self) -> bool:
        """Whether ``--json`` was given."""
        return bool(self.args.json)

    def settings(self) -> Settings:
        settings = resolve_settings(self.args, self.environ, self.stdin)
        self.secrets.extend(settings.secrets())
        return settings

    def progress(self, desc: str, unit: str) -> Any:
        from ._notebook import ProgressBar

        enabled = not self.args.no_progress and _isatty(self.err)
        return ProgressBar(desc, unit=unit, enabled=enabled, leave=False, file=self.err)

    def emit(self, record: Mapping[str, Any]) -> None:
        self.out.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _cut(text: object, width: int) -> str:
    value = "" if text is None else str(text)
    return value if len(value) <= width else value[: width - 1] + "…"


def _table(ctx: Context, rows: Iterable[Sequence[object]], header: Sequence[str], widths: Sequence[int]) -> int:
    """Print a streamed table with fixed column widths (the last column is not cut); return the row count.

    The header is printed with the first row (or at the end when there is none), so an error before any record
    arrives leaves stdout empty.
    """

    def line(cells: Sequence[object]) -> str:
        parts = [_cut(c, w).ljust(w) for c, w in zip(cells[:-1], widths[:-1], strict=True)]
        return "  ".join([*parts, "" if cells[-1] is None else str(cells[-1])]).rstrip()

    count = 0
    for row in rows:
        if count == 0:
            ctx.out.write(line(header) + "\n")
        ctx.out.write(line(row) + "\n")
        count += 1
    if count == 0:
        ctx.out.write(line(header) + "\n")
    return count


def _listing(
    ctx: Context,
    records: Iterable[Any],
    row: Callable[[Any], Sequence[object]],
    header: Sequence[str],
    widths: Sequence[int],
    noun: str,
) -> int:
    """Stream records: JSON Lines of ``to_dict()`` with ``--json``, else a table, and a count line on stderr."""
    if ctx.as_json:
        for record in records:
            ctx.emit(record.to_dict())
        return EXIT_OK
    count = _table(ctx, (row(record) for record in records), header, widths)
    ctx.err.write(f"{count} {noun}{'' if count == 1 else 's'}\n")
    return EXIT_OK


def _ref_text(ref: Any) -> str:
    """``R-00026 Senior Recruiter``: the ID and the display name, without repeating the ID."""
    if ref is None:
        return ""
    ident, name = ref.id or "", ref.descriptor or ""
    if name.startswith(ident) or not ident:
        return name or ident
    return f"{ident} {name}".strip()


def _local_when(start: datetime, end: datetime, zone: str | None) -> str:
    offset = start.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    name = f"{zone} ({offset})" if zone else offset
    return f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M} {name}"


def session_record(item: Any) -> dict[str, Any]:
    """The JSON form of one upcoming interview session (a :class:`ScheduledInterview`), flat and compact."""
    candidate = item.candidate
    session = item.session
    return {
        "start": item.start.isoformat(),
        "end": item.end.isoformat(),
        "time_zone": item.time_zone,
        "local_start": session.local_start.isoformat(),
        "candidate_id": candidate.candidate_id,
        "candidate_name": candidate.name,
        "email": candidate.primary_email,
        "phone": candidate.primary_phone,
        "application_id": item.application.application_id,
        "requisition_id": item.requisition.id if item.requisition else None,
        "requisition": item.requisition.descriptor if item.requisition else None,
        "interviewers": [{"name": i.name, "email": i.email} for i in item.interviewers],
        "meeting_url": item.meeting_url,
        "meeting_id": item.meeting.meeting_id if item.meeting is not None else None,
        "interview_wid": item.interview.wid,
        "session_wid": session.wid,
    }


def _print_session(out: TextIO, item: Any) -> None:
    session = item.session
    candidate = item.candidate
    interviewers = ", ".join(str(i) for i in item.interviewers) or "(none listed)"
    lines = [
        _local_when(session.local_start, session.local_end, item.time_zone),
        f"  Candidate     {candidate.name or '(no name)'} ({candidate.candidate_id or candidate.wid})",
        f"  Email         {candidate.primary_email or '-'}",
        f"  Phone         {candidate.primary_phone or '-'}",
        f"  Requisition   {_ref_text(item.requisition) or '-'}",
        f"  Interviewers  {interviewers}",
        f"  Meeting       {item.meeting_url or '-'}",
    ]
    out.write("\n".join(lines) + "\n\n")


def _show_upcoming(ctx: Context, client: Any, *, start: datetime | None, days: float, **filters: Any) -> int:
    with ctx.progress("Scanning candidates", "candidates") as bar:
        sessions = list(client.interviews.upcoming(start=start, days=days, progress=bar, **filters))
    if ctx.as_json:
        for item in sessions:
            ctx.emit(session_record(item))
        return EXIT_OK
    for item in sessions:
        _print_session(ctx.out, item)
    span = f"{days:g} day{'' if days == 1 else 's'}"
    ctx.out.write(f"{len(sessions)} interview session{'' if len(sessions) == 1 else 's'} in the next {span}.\n")
    return EXIT_OK


# -- commands --------------------------------------------------------------------------------------------------------


def cmd_demo(ctx: Context) -> int:
    """Start an embedded FakeTenant and show the upcoming interviews of the next days."""
    from ._client import RecruitingClient
    from .testing import FakeTenant

    args = ctx.args
    if args.candidates < 0:
        raise ConfigurationError("--candidates must be 0 or more")
    info = ctx.err if ctx.as_json else ctx.out
    with FakeTenant(candidates=args.candidates, seed=args.seed) as fake:
        info.write(
            f"Started FakeTenant {fake.tenant!r} at {fake.base_url} ({args.candidates} candidates, seed {args.seed}); "
            f"reading the interviews of the next {args.days:g} days.\n\n"
        )
        ctx.secrets.append(fake.password)
        with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client:
            return _show_upcoming(ctx, client, start=None, days=args.days)


def cmd_interviews_upcoming(ctx: Context) -> int:
    """The interview sessions of the next days, with candidate, requisition, interviewers and meeting link."""
    args = ctx.args
    with build_client(ctx.settings()) as client:
        return _show_upcoming(
            ctx,
            client,
            start=args.start,
            days=args.days,
            stage=args.stage,
            requisition=args.requisition,
            meeting_links=not args.no_meeting_links,
        )


def _candidate_filters(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "updated_from": args.updated_from,
        "updated_to": args.updated_to,
        "requisition": args.requisition,
        "stage": args.stage,
        "applied_from": args.applied_from,
        "applied_to": args.applied_to,
    }


def cmd_candidates_list(ctx: Context) -> int:
    """List candidates (streamed)."""
    args = ctx.args
    with build_client(ctx.settings()) as client:
        pager = client.candidates.list(
            email=args.email,
            name=args.name,
            max_results=args.max,
            page_size=args.page_size,
            **_candidate_filters(args),
        )
        return _listing(
            ctx,
            pager,
            lambda c: (c.candidate_id, c.name, c.primary_email, c.primary_phone, len(c.applications)),
            ("ID", "Name", "Email", "Phone", "Applications"),
            (12, 28, 36, 22, 12),
            "candidate",
        )


def _show_record(ctx: Context, record: Any, extra: Iterable[tuple[str, str]] = ()) -> None:
    from ._notebook import summary

    if ctx.as_json:
        ctx.emit(record.to_dict())
        return
    rows = [(name.replace("_", " ").capitalize(), text) for name, text in summary(record).items()]
    rows += extra
    width = max(len(name) for name, _ in rows) if rows else 10
    for name, text in rows:
        ctx.out.write(f"{name:<{width}}  {text}\n")


def cmd_candidates_get(ctx: Context) -> int:
    """Show one candidate."""
    with build_client(ctx.settings()) as client:
        candidate = client.candidates.get(ctx.args.id)
        extra = [
            (
                f"Application {a.application_id or a.wid}",
                f"{_ref_text(a.requisition)} · {a.stage}" + (f" · {a.disposition}" if a.disposition else ""),
            )
            for a in candidate.applications
        ]
        _show_record(ctx, candidate, extra)
    return EXIT_OK


def cmd_applications_list(ctx: Context) -> int:
    """List job applications (streamed)."""
    args = ctx.args
    with build_client(ctx.settings()) as client:
        pager = client.job_applications.list(max_results=args.max, page_size=args.page_size, **_candidate_filters(args))
        return _listing(
            ctx,
            pager,
            lambda a: (
                a.application_id,
                a.candidate,
                _ref_text(a.requisition),
                a.stage,
                a.applied_at.date().isoformat() if a.applied_at else "",
                a.disposition or "",
            ),
            ("Application", "Candidate", "Requisition", "Stage", "Applied", "Disposition"),
            (24, 24, 34, 14, 10, 20),
            "application",
        )


def cmd_requisitions_list(ctx: Context) -> int:
    """List job requisitions (streamed)."""
    args = ctx.args
    with build_client(ctx.settings()) as client:
        pager = client.requisitions.list(
            status=args.status,
            updated_from=args.updated_from,
            updated_to=args.updated_to,
            max_results=args.max,
            page_size=args.page_size,
        )
        return _listing(
            ctx,
            pager,
            lambda r: (r.requisition_id, r.title, r.status or "", r.primary_location or "", r.hiring_manager or ""),
            ("ID", "Title", "Status", "Location", "Hiring manager"),
            (10, 34, 12, 24, 24),
            "requisition",
        )


def cmd_requisitions_get(ctx: Context) -> int:
    """Show one job requisition."""
    with build_client(ctx.settings()) as client:
        _show_record(ctx, client.requisitions.get(ctx.args.id))
    return EXIT_OK


def cmd_check(ctx: Context) -> int:
    """Run the setup check; exit 0 only when no row FAILs."""
    from ._setup_check import check_setup

    settings = ctx.settings()
    if not settings.wsdl_url:
        settings.validate()  # raises: no URL to check
    if settings.oauth:
        settings.validate()
        report = check_setup(
            wsdl_url=settings.wsdl_url or "",
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            refresh_token=settings.refresh_token,
            token_url=settings.token_url,
            **settings.client_options(),
        )
    else:
        if not settings.username or not settings.password:
            settings.validate()
        report = check_setup(
            wsdl_url=settings.wsdl_url or "",
            username=settings.username,
            password=settings.password,
            **settings.client_options(),
        )
    if ctx.as_json:
        ctx.out.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    else:
        color = _isatty(ctx.out) and not ctx.environ.get("NO_COLOR")
        width = min(120, shutil.get_terminal_size((100, 24)).columns)
        ctx.out.write(report.format(color=color, width=width) + "\n")
    return report.exit_code


def cmd_export(ctx: Context) -> int:
    """Export one family to JSON Lines or CSV, streamed and resumable."""
    from ._export import export

    args = ctx.args
    output = None if args.output == "-" else Path(args.output)
    filters: dict[str, Any] = {"updated_from": args.updated_from, "updated_to": args.updated_to}
    if args.family in ("candidates", "applications", "interviews"):
        filters.update(requisition=args.requisition, stage=args.stage)
    elif args.requisition or args.stage:
        raise ConfigurationError("--requisition and --stage filter candidates, applications and interviews only")
    if args.family == "requisitions" and args.status:
        filters["status"] = args.status
    elif args.status:
        raise ConfigurationError("--status filters requisitions only")
    filters = {key: value for key, value in filters.items() if value is not None}
    with build_client(ctx.settings()) as client:
        unit = "requisitions" if args.family == "requisitions" else "candidates"
        with ctx.progress(f"Exporting {args.family}", unit) as bar:
            result = export(
                client,
                args.family,
                args.format,
                output,
                filters=filters,
                page_size=args.page_size,
                resume=args.resume,
                overwrite=args.overwrite,
                progress=bar,
            )
    where = str(result.path) if result.path is not None else "stdout"
    message = (
        f"{'Resumed and finished' if result.resumed else 'Exported'} {args.family}: {result.records} "
        f"{'row' if args.format == 'csv' else 'line'}{'' if result.records == 1 else 's'} in {where} "
        f"({result.pages} page{'' if result.pages == 1 else 's'} read)"
    )
    if ctx.as_json and output is not None:
        ctx.emit({**attrs.asdict(result), "path": where})
    else:
        ctx.err.write(message + "\n")
    return EXIT_OK


# -- parsing ---------------------------------------------------------------------------------------------------------


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


def _valid_timeout(value: float) -> bool:
    return math.isfinite(value) and 0 < value <= _MAX_TIMEOUT


def _timeout(text: str) -> float:
    """``--timeout``: seconds above 0 and at most a day (not 0, negative, nan or inf, which Timeouts refuses)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not _valid_timeout(value):
        raise argparse.ArgumentTypeError(f"{text!r}: the timeout must be above 0 and at most {_MAX_TIMEOUT:g} seconds")
    return value


def _concurrency(text: str) -> int:
    value = _positive_int(text)
    if value > _MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"{text!r}: at most {_MAX_CONCURRENCY} requests in flight")
    return value


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not 0 < value <= 366:
        raise argparse.ArgumentTypeError("--days must be above 0 and at most 366")
    return value


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
_COMMON_DEFAULTS: Final[Mapping[str, Any]] = {
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

    def leaf(group: Any, name: str, func: Callable[[Context], int], help_text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = group.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(func=func)
        return sub

    demo = leaf(commands, "demo", cmd_demo, "start a local FakeTenant and show the upcoming interviews")
    demo.add_argument("--candidates", type=int, default=300, metavar="N", help="candidates in the fake (default 300)")
    demo.add_argument("--seed", type=int, default=0, help="seed of the fake's data (default 0)")
    demo.add_argument("--days", type=_days, default=7.0, help="window length in days (default 7)")

    leaf(commands, "check", cmd_check, "check the Workday setup: which step of the admin guide to fix")

    interviews = commands.add_parser("interviews", help="interview sessions").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    upcoming = leaf(interviews, "upcoming", cmd_interviews_upcoming, "interview sessions of the next days")
    upcoming.add_argument("--days", type=_days, default=7.0, help="window length in days (default 7)")
    upcoming.add_argument("--start", type=_start, metavar="WHEN", help="window start (default now)")
    upcoming.add_argument("--stage", metavar="ID", help="only applications in this recruiting stage")
    upcoming.add_argument("--requisition", metavar="ID", help="only candidates of this requisition")
    upcoming.add_argument("--no-meeting-links", action="store_true", help="skip the web-conference requests")

    candidates = commands.add_parser("candidates", help="candidates").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    c_list = leaf(candidates, "list", cmd_candidates_list, "list candidates")
    c_list.add_argument("--email", help="the candidate's email address")
    c_list.add_argument("--name", help="'First Last'")
    _add_filters(c_list)
    _add_paging(c_list)
    c_get = leaf(candidates, "get", cmd_candidates_get, "show one candidate")
    c_get.add_argument("id", help="Candidate_ID (CAND-1187) or WID")

    applications = commands.add_parser("applications", help="job applications").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    a_list = leaf(applications, "list", cmd_applications_list, "list job applications")
    _add_filters(a_list)
    _add_paging(a_list)

    requisitions = commands.add_parser("requisitions", help="job requisitions").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    r_list = leaf(requisitions, "list", cmd_requisitions_list, "list job requisitions")
    r_list.add_argument("--status", metavar="ID", help="requisition status (OPEN, FILLED...)")
    _add_filters(r_list, applications=False)
    _add_paging(r_list)
    r_get = leaf(requisitions, "get", cmd_requisitions_get, "show one job requisition")
    r_get.add_argument("id", help="Job_Requisition_ID (R-00008) or WID")

    exporter = leaf(commands, "export", cmd_export, "export a record family to JSON Lines or CSV (resumable)")
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
    return parser


# -- logging and errors ----------------------------------------------------------------------------------------------


class _RedactingFormatter(logging.Formatter):
    """Formats records, then masks every known secret value (belt and braces: the SDK never logs one)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value replaced by ``********``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "********")
    return text


def _exit_code(exc: WorkdayError) -> int:
    if isinstance(exc, ConfigurationError):
        return EXIT_USAGE
    if isinstance(exc, (AuthenticationError, PermissionDeniedError)):
        return EXIT_AUTH
    return EXIT_ERROR


@attrs.define
class _Logging:
    handler: logging.Handler | None = None
    level: int = logging.NOTSET

    def close(self) -> None:
        if self.handler is not None:
            log.removeHandler(self.handler)
            log.setLevel(self.level)


def _setup_logging(debug: bool, err: TextIO, secrets: list[str]) -> _Logging:
    if not debug:
        return _Logging()
    handler = logging.StreamHandler(err)
    handler.setFormatter(_RedactingFormatter(secrets))
    state = _Logging(handler, log.level)
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    return state


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the command line; return the exit code (the console script exits with it).

    When the reader of stdout goes away early (``| head``), the command stops quietly with :data:`EXIT_BROKEN_PIPE`
    (141): no traceback, and no "Exception ignored" message at interpreter shutdown.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).
        environ: The environment (default: ``os.environ``).
        stdin: Where ``--password-stdin`` reads (default: ``sys.stdin``).
    """
    try:
        code = _main(argv, environ, stdin)
        # What is still buffered is written now, so a closed pipe shows here rather than in the interpreter's final
        # flush (which would print "Exception ignored ... BrokenPipeError" and exit 120).
        sys.stdout.flush()
    except BrokenPipeError:
        # https://docs.python.org/3/library/signal.html#note-on-sigpipe
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    return code


def _main(argv: Sequence[str] | None, environ: Mapping[str, str] | None, stdin: TextIO | None) -> int:
    out, err = sys.stdout, sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors (argparse printed them)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    for name, value in _COMMON_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    ctx = Context(
        args=args, out=out, err=err, environ=os.environ if environ is None else environ, stdin=stdin or sys.stdin
    )
    logging_state = _setup_logging(args.debug, err, ctx.secrets)
    try:
        code: int = args.func(ctx)
        return code
    except WorkdayError as exc:
        if args.debug:
            err.write(redact(traceback.format_exc(), ctx.secrets))
        err.write(f"{PROG}: error: {redact(str(exc), ctx.secrets)}\n")
        return _exit_code(exc)
    except BrokenPipeError:
        raise  # the reader of stdout went away: main stops quietly
    except OSError as exc:
        if args.debug:
            err.write(redact(traceback.format_exc(), ctx.secrets))
        where = f" {exc.filename}" if exc.filename else ""
        err.write(f"{PROG}: error:{where} {exc.strerror or exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.write(f"{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    finally:
        logging_state.close()


def _silence_stdout() -> None:
    """After a closed pipe (``| head``), point stdout at devnull so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

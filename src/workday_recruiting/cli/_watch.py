"""``interviews watch``, ``interviews dead-letters`` and ``interviews redeliver``: the interview feed, on the CLI.

``watch`` polls the feed kept in ``--state`` and either prints each change as a JSON line, acknowledging what it
printed once stdout is flushed, or, with ``--webhook-url``, delivers each change to the webhook (signed, retried,
acknowledged on a 2xx). ``--listen`` adds an endpoint for Workday's notifications, each one a poll at once.

Stopping: SIGTERM finishes the request in hand (a poll, a delivery) and exits 0; a second SIGTERM, or Ctrl-C
(SIGINT), abandons it at once and exits 130. Either way the state is consistent (a poll commits in one transaction)
and whatever was not acknowledged is printed or delivered again by the next run.

The webhook's and the listener's secrets follow the command line's rule: never a flag. ``WORKDAY_WEBHOOK_SECRET``
or ``--webhook-secret-stdin``; ``WORKDAY_NOTIFICATION_PASSWORD`` or ``--notification-password-stdin``.
"""

from __future__ import annotations

import argparse
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

import attrs

from .._errors import ConfigurationError
from ._commands import Context
from ._errors import EXIT_ERROR, EXIT_OK, PROG, for_cli, redact
from ._output import Column
from ._settings import build_client

#: Environment variables of the watch command's settings.
WEBHOOK_URL = "WORKDAY_WEBHOOK_URL"
WEBHOOK_SECRET = "WORKDAY_WEBHOOK_SECRET"  # noqa: S105 - a variable's name, not a secret
NOTIFICATION_USER = "WORKDAY_NOTIFICATION_USER"
NOTIFICATION_PASSWORD = "WORKDAY_NOTIFICATION_PASSWORD"  # noqa: S105 - a variable's name, not a secret
_STDIN_FLAGS = {
    "password_stdin": "--password-stdin",
    "client_secret_stdin": "--client-secret-stdin",
    "webhook_secret_stdin": "--webhook-secret-stdin",
    "notification_password_stdin": "--notification-password-stdin",
}


@attrs.frozen
class PushSettings:
    """Where ``watch`` delivers and listens, from flags over environment variables (secrets hidden from repr)."""

    webhook_url: str | None = None
    webhook_secret: str | None = attrs.field(default=None, repr=False)
    listen: tuple[str, int] | None = None
    notification_user: str | None = None
    notification_password: str | None = attrs.field(default=None, repr=False)

    def secrets(self) -> list[str]:
        """The secret values (for redaction)."""
        return [s for s in (self.webhook_secret, self.notification_password) if s]


def resolve_push(args: argparse.Namespace, environ: Mapping[str, str], stdin: TextIO) -> PushSettings:
    """The webhook and listener settings of ``watch``: each flag, else its environment variable.

    Raises:
        ConfigurationError: Two flags reading stdin, a webhook URL without its secret, a listener without its user
            name or password, or a flag that needs another one.
    """
    reading = [flag for name, flag in _STDIN_FLAGS.items() if getattr(args, name, False)]
    if len(reading) > 1:
        raise ConfigurationError(
            f"{' and '.join(reading)} all read stdin; pipe one secret and give the others in their WORKDAY_* variables"
        )

    def piped() -> str:
        line = stdin.readline().rstrip("\r\n")
        if not line:
            raise ConfigurationError("nothing was read from stdin")
        return line

    url = args.webhook_url or environ.get(WEBHOOK_URL) or None
    secret = piped() if args.webhook_secret_stdin else environ.get(WEBHOOK_SECRET) or None
    if url and not secret:
        raise ConfigurationError(
            f"--webhook-url needs the signing secret: set {WEBHOOK_SECRET} or pipe it to --webhook-secret-stdin"
        )
    if args.webhook_secret_stdin and not url:
        raise ConfigurationError(f"--webhook-secret-stdin without a webhook: pass --webhook-url (or {WEBHOOK_URL})")
    user = args.notification_user or environ.get(NOTIFICATION_USER) or None
    password = piped() if args.notification_password_stdin else environ.get(NOTIFICATION_PASSWORD) or None
    if args.listen is None:
        if args.notification_user or args.notification_password_stdin:
            raise ConfigurationError("--notification-user and --notification-password-stdin need --listen")
        user = password = None
    elif not user or not password:
        raise ConfigurationError(
            f"--listen needs the user name and password Workday sends: --notification-user (or {NOTIFICATION_USER}) "
            f"and {NOTIFICATION_PASSWORD} (or --notification-password-stdin)"
        )
    return PushSettings(url, secret, args.listen, user, password)


def cmd_interviews_watch(ctx: Context) -> int:
    """Print (or push to a webhook) every change to the interview sessions of the next days; see the module."""
    from ..webhooks import NotificationListener, Watcher, WebhookSink

    args = ctx.args
    push = resolve_push(args, ctx.environ, ctx.stdin)
    ctx.secrets.extend(push.secrets())
    settings = ctx.settings()
    err = ctx.output.err
    with ExitStack() as stack:
        sink = None
        if push.webhook_url is not None and push.webhook_secret is not None:
            sink = stack.enter_context(
                WebhookSink(push.webhook_url, push.webhook_secret, allow_insecure_http=settings.allow_insecure_http)
            )
        client = stack.enter_context(build_client(settings))
        feed = stack.enter_context(client.interviews.feed(args.state, days=args.days))
        watcher = Watcher(
            feed,
            interval=args.interval,
            on_batch=None if sink is not None else _printer(ctx.output.out),
            sink=sink,
            interviews=client.interviews,
            on_attempt=_attempt_printer(err) if sink is not None else None,
            on_error=_warner(err, ctx.secrets),
        )
        listening = ""
        if push.listen is not None and push.notification_user and push.notification_password:
            host, port = push.listen
            listener = stack.enter_context(
                NotificationListener(
                    watcher.notify,
                    user=push.notification_user,
                    password=push.notification_password,
                    host=host,
                    port=port,
                )
            )
            listening = f"; Workday notifications on {listener.url}"
            if not listener.loopback:
                err.write(
                    f"{PROG}: warning: the notification listener on {listener.url} is plain HTTP beyond loopback: put "
                    "a TLS-terminating proxy in front of it (Workday sends the password with every notification)\n"
                )
        where = f"delivering to {sink.url}" if sink is not None else "printing JSON Lines"
        err.write(
            f"Watching the interviews of the next {args.days:g} days of tenant {feed.tenant!r} (state {args.state}), "
            f"{'one poll' if args.once else f'polling every {args.interval:g}s'}, {where}{listening}.\n"
        )
        err.flush()
        with _stopped_by_sigterm(watcher):
            watcher.run(once=args.once)
        if watcher.stopping:
            err.write(f"{PROG}: stopped\n")
        elif args.once and watcher.last_report is not None:
            err.write(f"{watcher.last_report}\n")
    return EXIT_OK


def _printer(out: TextIO) -> Any:
    def on_batch(batch: Any) -> None:
        if not batch:
            return
        for change in batch:
            out.write(change.to_json() + "\n")
        out.flush()  # printed for sure (a closed pipe raises here) before it is acknowledged
        batch.ack()

    return on_batch


def _warner(err: TextIO, secrets: list[str]) -> Any:
    def on_error(exc: Exception) -> None:
        err.write(f"{PROG}: warning: {redact(for_cli(str(exc)), secrets)}; trying again shortly\n")
        err.flush()

    return on_error


def _attempt_printer(err: TextIO) -> Any:
    def on_attempt(attempt: Any) -> None:
        if attempt.outcome == "delivered":
            err.write(f"delivered {attempt.change_id} ({attempt.kind}, {attempt.detail})\n")
        elif attempt.outcome == "retry":
            wait = max(0.0, (attempt.next_attempt or time.time()) - time.time())
            err.write(
                f"not delivered {attempt.change_id} ({attempt.detail}); attempt {attempt.attempts}, "
                f"next in {wait:.1f}s\n"
            )
        else:
            err.write(f"dead letter {attempt.change_id} ({attempt.detail})\n")
        err.flush()

    return on_attempt


@contextmanager
def _stopped_by_sigterm(watcher: Any) -> Iterator[None]:
    """While the watcher runs: SIGTERM stops it after the request in hand; a second one abandons it (Ctrl-C)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, frame: FrameType | None) -> None:
        if watcher.stopping:
            raise KeyboardInterrupt
        watcher.stop()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# -- dead letters ------------------------------------------------------------------------------------------------

_LETTER_COLUMNS = (
    Column("ID", 36, lambda s: s.change_id),
    Column("Kind", 12, lambda s: s.kind),
    Column("Attempts", 9, lambda s: s.attempts),
    Column("Last error", 60, lambda s: s.last_error or ""),
)


@contextmanager
def _existing_feed(ctx: Context) -> Iterator[Any]:
    state = Path(ctx.args.state)
    if not state.is_file():
        raise ConfigurationError(f"there is no feed state at {state} (the --state of interviews watch)")
    with build_client(ctx.settings()) as client, client.interviews.feed(state) as feed:
        yield feed


def cmd_interviews_dead_letters(ctx: Context) -> int:
    """List the changes a webhook receiver refused for good (or that were given up on)."""
    with _existing_feed(ctx) as feed:
        letters = feed.store.dead_letters()
    if ctx.output.as_json:
        for letter in letters:
            ctx.output.emit(
                {
                    "id": letter.change_id,
                    "kind": letter.kind,
                    "interview_wid": letter.event_wid,
                    "session_wid": letter.session_wid,
                    "attempts": letter.attempts,
                    "last_error": letter.last_error,
                }
            )
        return EXIT_OK
    count = ctx.output.table(([c.cell(letter) for c in _LETTER_COLUMNS] for letter in letters), _LETTER_COLUMNS)
    ctx.output.err.write(f"{count} dead letter{'' if count == 1 else 's'}\n")
    return EXIT_OK


def cmd_interviews_redeliver(ctx: Context) -> int:
    """Queue dead letters (or changes waiting for a retry) to be sent at once by the next watch."""
    args = ctx.args
    if bool(args.ids) == bool(args.all):
        raise ConfigurationError("name the change IDs to send again, or pass --all (for every dead letter)")
    with _existing_feed(ctx) as feed:
        ids = [letter.change_id for letter in feed.store.dead_letters()] if args.all else list(args.ids)
        queued = feed.store.requeue(ids)
    err = ctx.output.err
    err.write(
        f"{queued} change{'' if queued == 1 else 's'} queued: the next interviews watch --webhook-url sends "
        f"{'it' if queued == 1 else 'them'} at once\n"
    )
    missing = len(set(ids)) - queued
    if missing > 0:
        err.write(f"{PROG}: error: {missing} of the IDs are not in the outbox (delivered already, or never queued)\n")
        return EXIT_ERROR
    return EXIT_OK

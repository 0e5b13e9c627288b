"""``main``: parse, run the command, turn every expected failure into one error line and an exit code."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Mapping, Sequence
from typing import TextIO

import attrs

from .._errors import WorkdayError
from ._commands import Context
from ._errors import EXIT_BROKEN_PIPE, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_USAGE, PROG, exit_code, for_cli, redact
from ._output import Output
from ._parser import parse

log = logging.getLogger("workday_recruiting")


class _RedactingFormatter(logging.Formatter):
    """Formats records, then masks every known secret value (belt and braces: the SDK never logs one)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


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
    try:
        args = parse(argv)
    except SystemExit as exc:  # --help, --version, usage errors (argparse printed them)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    ctx = Context(
        args=args,
        output=Output(out, err, as_json=bool(args.json)),
        environ=os.environ if environ is None else environ,
        stdin=stdin or sys.stdin,
    )
    logging_state = _setup_logging(args.debug, err, ctx.secrets)
    try:
        code: int = args.func(ctx)
        return code
    except WorkdayError as exc:
        if args.debug:
            err.write(redact(traceback.format_exc(), ctx.secrets))
        err.write(f"{PROG}: error: {redact(for_cli(str(exc)), ctx.secrets)}\n")
        return exit_code(exc)
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

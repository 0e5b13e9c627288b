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
Expected errors print one line on stderr, in flags rather than Python arguments; ``--debug`` adds the traceback and
the SDK's DEBUG log (redacted).

The package keeps its parts apart: ``_settings`` (flags, environment, the TOML config file and its safety checks,
the one client builder), ``_parser`` (commands, flags, value types, secret screening), ``_commands`` (one function
per command), ``_output`` (tables, JSON Lines, records, sessions), ``_errors`` (exit codes and the error line) and
``_main`` (:func:`main`).
"""

from __future__ import annotations

from ._errors import EXIT_AUTH, EXIT_BROKEN_PIPE, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from ._main import main
from ._parser import build_parser

__all__ = [
    "EXIT_AUTH",
    "EXIT_BROKEN_PIPE",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "main",
]

"""Exit codes, and the error line a command-line user reads: flags instead of Python arguments, IDs instead of names.

The SDK's messages address a Python caller (``pass allow_insecure_http=True``). :func:`for_cli` rewrites the
phrases of :data:`PYTHON_TO_CLI`, the one table of argument -> flag. :func:`invalid_filter_id` turns Workday's
"Invalid ID value" fault for a filter flag (``--status Open``) into a line saying which ID type the flag takes and
which IDs this tenant uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import Any, Final

from .._errors import AuthenticationError, ConfigurationError, PermissionDeniedError, ValidationError, WorkdayError

PROG: Final = "workday-recruiting"
EXIT_OK: Final = 0
EXIT_ERROR: Final = 1
EXIT_USAGE: Final = 2
EXIT_AUTH: Final = 3
EXIT_INTERRUPTED: Final = 130
#: 128 + SIGPIPE: what a shell reports for a process whose reader went away (``| head``).
EXIT_BROKEN_PIPE: Final = 141

#: What an SDK message tells a Python caller -> what a command-line user does instead.
PYTHON_TO_CLI: Final[Mapping[str, str]] = {
    "pass allow_insecure_http=True": "pass --allow-insecure-http",
    "pass ('First', 'Last')": "pass --name 'First Last'",
    "pass username and password separately": (
        "give the user name and password separately (--username and --password-stdin, or WORKDAY_USERNAME and "
        "WORKDAY_PASSWORD)"
    ),
    "updated_from/updated_to": "--updated-from/--updated-to",
    "applied_from/applied_to": "--applied-from/--applied-to",
}


def for_cli(message: str) -> str:
    """``message`` with every Python argument of :data:`PYTHON_TO_CLI` replaced by its flag."""
    for python, cli in PYTHON_TO_CLI.items():
        message = message.replace(python, cli)
    return message


def exit_code(exc: WorkdayError) -> int:
    """2 for a configuration error, 3 for refused credentials or a missing permission, else 1."""
    if isinstance(exc, ConfigurationError):
        return EXIT_USAGE
    if isinstance(exc, (AuthenticationError, PermissionDeniedError)):
        return EXIT_AUTH
    return EXIT_ERROR


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value replaced by ``********``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "********")
    return text


# -- a name where a filter takes an ID -------------------------------------------------------------------------------

#: Workday's wording of a reference it cannot resolve (the fake tenant's too).
_INVALID_ID: Final = re.compile(r"'(?P<value>[^']*)' is not a valid ID value for type = '(?P<type>\w+)'")
#: How many of the tenant's IDs the hint shows.
_SHOWN: Final = 8
#: One cheap read: the first page.
_PAGE: Final = 100


def _statuses(client: Any) -> Iterator[Any]:
    return (r.status for r in client.requisitions.list(max_results=_PAGE, page_size=_PAGE))


def _requisitions(client: Any) -> Iterator[Any]:
    return (r.reference for r in client.requisitions.list(max_results=_PAGE, page_size=_PAGE))


def _stages(client: Any) -> Iterator[Any]:
    return (a.stage for a in client.job_applications.list(max_results=_PAGE, page_size=_PAGE))


#: The ID type a filter flag takes -> (the flag, its argument, the references of the first page that carry one).
FILTER_IDS: Final[Mapping[str, tuple[str, str, Callable[[Any], Iterator[Any]]]]] = {
    "Job_Requisition_Status_ID": ("--status", "status", _statuses),
    "Recruiting_Stage_ID": ("--stage", "stage", _stages),
    "Job_Requisition_ID": ("--requisition", "requisition", _requisitions),
}


def invalid_filter_id(exc: ValidationError, args: Any, client: Any) -> ValidationError | None:
    """The error to show when Workday refused the value of a filter flag as an ID, or ``None`` for any other error.

    The line names the flag, the ID type it takes and up to eight IDs (with their names) read from the first page of
    the tenant's records, so ``--status Open`` leads to ``--status OPEN``.
    """
    texts = [exc.message, *(part for issue in exc.issues for part in (issue.message, issue.detail) if part)]
    for match in (m for text in texts for m in _INVALID_ID.finditer(text)):
        value, id_type = match["value"], match["type"]
        if id_type not in FILTER_IDS:
            continue
        flag, dest, seen = FILTER_IDS[id_type]
        if getattr(args, dest, None) != value:
            continue
        message = f"{flag} {value!r} is not a {id_type} (Workday: Invalid ID value); {flag} takes an ID, not a name"
        try:
            known = _known_ids(seen(client), id_type)
        except WorkdayError:  # the hint is a courtesy: the ISU may not read that family
            known = []
        if known:
            message += f": this tenant uses {', '.join(known)}"
        return ValidationError(message, operation=exc.operation, issues=exc.issues)
    return None


def _known_ids(references: Iterable[Any], id_type: str) -> list[str]:
    """``OPEN (Open)``, ``R-00001 (Senior Data Analyst)``: each distinct ID of ``id_type`` in ``references``, a few."""
    shown: dict[str, str] = {}
    for ref in references:
        ident = ref.get(id_type) if ref is not None else None
        if ident and ident not in shown:
            name = (ref.descriptor or "").removeprefix(ident).strip()  # "R-00001 Senior Data Analyst"
            shown[ident] = f"{ident} ({name})" if name else ident
    return list(islice(shown.values(), _SHOWN))

"""The commands: each takes a :class:`Context` and returns the exit code.

Every command that reads a tenant opens its client with :func:`open_client`, the one way from settings to a
client (the setup check takes the same :meth:`Settings.client_arguments`); a name given where a filter flag takes
an ID is explained there, while the client is still open to list the IDs this tenant uses.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import attrs

from .._errors import ConfigurationError, ValidationError, WorkdayError
from . import _output
from ._errors import EXIT_OK, for_cli, invalid_filter_id
from ._output import Output, isatty
from ._settings import Settings, build_client, resolve_settings


@attrs.define
class Context:
    """What a command needs: parsed arguments, where to write, environment, stdin, and the secrets to redact."""

    args: argparse.Namespace
    output: Output
    environ: Mapping[str, str]
    stdin: TextIO
    secrets: list[str] = attrs.Factory(list)

    def settings(self) -> Settings:
        """The merged settings; their secrets are redacted from every later line."""
        settings = resolve_settings(self.args, self.environ, self.stdin)
        self.secrets.extend(settings.secrets())
        return settings

    def progress(self, desc: str, unit: str) -> Any:
        """A progress bar on stderr, shown only on a terminal and without ``--no-progress``."""
        from .._notebook import ProgressBar

        enabled = not self.args.no_progress and isatty(self.output.err)
        return ProgressBar(desc, unit=unit, enabled=enabled, leave=False, file=self.output.err)


@contextmanager
def open_client(ctx: Context) -> Iterator[Any]:
    """The client of the settings, closed on the way out; a filter flag's invalid ID becomes a line naming the IDs."""
    with build_client(ctx.settings()) as client:
        try:
            yield client
        except ValidationError as exc:
            explained = invalid_filter_id(exc, ctx.args, client)
            if explained is None:
                raise
            raise explained from exc


def _show_upcoming(ctx: Context, client: Any, *, start: datetime | None, days: float, **filters: Any) -> int:
    with ctx.progress("Scanning candidates", "candidates") as bar:
        sessions = list(client.interviews.upcoming(start=start, days=days, progress=bar, **filters))
    ctx.output.sessions(sessions, days)
    return EXIT_OK


def cmd_demo(ctx: Context) -> int:
    """Start an embedded FakeTenant and show the upcoming interviews of the next days."""
    from .._client import RecruitingClient
    from ..testing import FakeTenant

    args = ctx.args
    if args.candidates < 0:
        raise ConfigurationError("--candidates must be 0 or more")
    info = ctx.output.err if ctx.output.as_json else ctx.output.out
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
    with open_client(ctx) as client:
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
    with open_client(ctx) as client:
        pager = client.candidates.list(
            email=args.email,
            name=args.name,
            max_results=args.max,
            page_size=args.page_size,
            **_candidate_filters(args),
        )
        _output.candidates(ctx.output, pager)
    return EXIT_OK


def cmd_candidates_get(ctx: Context) -> int:
    """Show one candidate."""
    with open_client(ctx) as client:
        candidate = client.candidates.get(ctx.args.id)
        ctx.output.record(candidate, _output.candidate_applications(candidate))
    return EXIT_OK


def cmd_applications_list(ctx: Context) -> int:
    """List job applications (streamed)."""
    args = ctx.args
    with open_client(ctx) as client:
        pager = client.job_applications.list(max_results=args.max, page_size=args.page_size, **_candidate_filters(args))
        _output.applications(ctx.output, pager)
    return EXIT_OK


def cmd_requisitions_list(ctx: Context) -> int:
    """List job requisitions (streamed)."""
    args = ctx.args
    with open_client(ctx) as client:
        pager = client.requisitions.list(
            status=args.status,
            updated_from=args.updated_from,
            updated_to=args.updated_to,
            max_results=args.max,
            page_size=args.page_size,
        )
        _output.requisitions(ctx.output, pager)
    return EXIT_OK


def cmd_requisitions_get(ctx: Context) -> int:
    """Show one job requisition."""
    with open_client(ctx) as client:
        ctx.output.record(client.requisitions.get(ctx.args.id))
    return EXIT_OK


def cmd_check(ctx: Context) -> int:
    """Run the setup check; exit 0 only when no row FAILs."""
    from .._setup_check import check_setup

    report = check_setup(**ctx.settings().client_arguments())
    # The rows explain what is wrong as the SDK does; a command-line user reads the flags.
    checks = tuple(attrs.evolve(row, detail=for_cli(row.detail)) for row in report.checks)
    report = attrs.evolve(report, checks=checks)
    out = ctx.output.out
    if ctx.output.as_json:
        out.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    else:
        color = isatty(out) and not ctx.environ.get("NO_COLOR")
        width = min(120, shutil.get_terminal_size((100, 24)).columns)
        out.write(report.format(color=color, width=width) + "\n")
    return report.exit_code


def cmd_export(ctx: Context) -> int:
    """Export one family to JSON Lines or CSV, streamed and resumable."""
    from .._export import export

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
    with open_client(ctx) as client:
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
    if ctx.output.as_json and output is not None:
        ctx.output.emit({**attrs.asdict(result), "path": where})
    else:
        ctx.output.err.write(message + "\n")
    return EXIT_OK


@contextmanager
def _load_client(ctx: Context) -> Iterator[tuple[str, Any]]:
    """``(tenant name for the pipeline, client)``: the settings' tenant, or an embedded FakeTenant (``--demo``)."""
    if not ctx.args.demo:
        with open_client(ctx) as client:
            yield re.sub(r"[^a-z0-9_]", "_", client.tenant.lower()), client
        return
    from .._client import RecruitingClient
    from ..testing import FakeTenant

    if ctx.args.candidates < 0:
        raise ConfigurationError("--candidates must be 0 or more")
    with FakeTenant(candidates=ctx.args.candidates) as fake:
        ctx.secrets.append(fake.password)
        with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client:
            yield "demo", client


def cmd_load(ctx: Context) -> int:
    """Load the tenant's candidates, applications, requisitions, interviews and postings into a database with dlt."""
    try:
        from ..dlt import RESOURCES
        from ..dlt._tenants import load_client
    except ImportError as exc:  # the message names the extra to install
        raise ConfigurationError(str(exc)) from None
    from dlt.common.exceptions import DltException

    args = ctx.args
    resources = [name.strip() for name in args.resources.split(",") if name.strip()] if args.resources else None
    unknown = sorted(set(resources or ()) - set(RESOURCES))
    if unknown:
        raise ConfigurationError(f"--resources: unknown {', '.join(unknown)}; choose from {', '.join(RESOURCES)}")
    if args.output and args.destination != "duckdb":
        raise ConfigurationError("--output names the DuckDB file: it goes with --destination duckdb only")
    with _load_client(ctx) as (name, client):
        database = Path(args.output or f"workday_recruiting_{name}.duckdb").resolve()
        try:
            import dlt

            destination = dlt.destinations.duckdb(str(database)) if args.destination == "duckdb" else args.destination
            result = load_client(
                client,
                name=name,
                destination=destination,
                dataset_name=args.dataset,
                pipelines_dir=args.pipelines_dir,
                resources=resources,
                fresh=args.demo,
                interview_days=args.interview_days,
                page_size=args.page_size,
            )
        except DltException as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise WorkdayError(f"the load into {args.destination} failed: {first}") from exc
    where = f"{args.destination} dataset {args.dataset}" + (f" in {database}" if args.destination == "duckdb" else "")
    if ctx.output.as_json:
        ctx.output.emit(
            {
                "tenant": name,
                "pipeline": result.pipeline_name,
                "destination": args.destination,
                "dataset": args.dataset,
                "database": str(database) if args.destination == "duckdb" else None,
                "rows": dict(result.rows),
            }
        )
    else:
        counts = ", ".join(f"{count} {table}" for table, count in result.rows.items() if "__" not in table)
        ctx.output.err.write(f"Loaded {name} into {where}: {counts or 'nothing changed'}\n")
    return EXIT_OK

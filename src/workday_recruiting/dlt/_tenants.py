"""Many tenants: one pipeline per tenant, several loading at once, each failing alone.

A :class:`Tenant` names a tenant and holds its connection settings; :func:`tenant_pipeline` is its pipeline
(``workday_recruiting_<name>``) and :meth:`Tenant.source` its source. :func:`load_tenant` runs one tenant's load and
raises the SDK's typed error when it fails (what an Airflow or Dagster task wants); :func:`load_tenants` runs several
on a thread pool, ``max_parallel`` at a time, and returns one :class:`TenantLoad` per tenant, failed ones included.

Two layouts (``layout=``):

* ``"dataset"`` (default): a dataset per tenant, ``<dataset_name>_<tenant>`` (``recruiting_acme``). Nothing is shared.
* ``"column"``: every tenant in one dataset, ``<dataset_name>``, each row carrying a ``tenant`` column that is part of
  every primary key. The tenants still have a pipeline (and a state) each; their load steps into the shared dataset
  run one at a time, while their reads from Workday run in parallel.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, Final, Literal

import attrs
import dlt
from dlt.common.pipeline import LoadInfo, NormalizeInfo
from dlt.extract import DltSource

from .._client import DEFAULT_CONCURRENCY, RecruitingClient
from .._errors import ConfigurationError, WorkdayError
from ._source import RESOURCES, recruiting_source

__all__ = [
    "DEFAULT_DATASET",
    "Layout",
    "Tenant",
    "TenantLoad",
    "load_client",
    "load_tenant",
    "load_tenants",
    "run_load",
    "tenant_pipeline",
]

log = logging.getLogger("workday_recruiting")

#: ``"dataset"``: a dataset per tenant; ``"column"``: one dataset, a ``tenant`` column in every table.
Layout = Literal["dataset", "column"]
#: The dataset name (the prefix of each tenant's, in the ``"dataset"`` layout).
DEFAULT_DATASET: Final = "recruiting"
_NAME: Final = re.compile(r"[a-z0-9][a-z0-9_]*")


def _check_name(_instance: Any, _attribute: Any, value: str) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise ConfigurationError(
            f"a tenant's name goes into pipeline and dataset names: use lower-case letters, digits and _ "
            f"(such as 'acme' or 'acme_impl'), got {value!r}"
        )


def _dataset(name: str, base: str, layout: Layout) -> str:
    if layout not in ("dataset", "column"):
        raise ConfigurationError(f"layout must be 'dataset' or 'column', got {layout!r}")
    return base if layout == "column" else f"{base}_{name}"


@attrs.frozen
class Tenant:
    """One tenant to load: its name and its connection settings (ISU or OAuth).

    Secrets are kept out of ``repr``. Keep them in dlt's secrets (``dlt.secrets["workday.acme.password"]``), your
    orchestrator's or the environment, and build the tenants where the load runs.

    Attributes:
        name: Lower-case letters, digits and ``_``: the pipeline is ``workday_recruiting_<name>``.
        wsdl_url: The tenant's Recruiting WSDL URL.
        username: The ISU's user name.
        password: The ISU's password.
        client_id: The OAuth API client's id.
        client_secret: The OAuth API client's secret.
        refresh_token: The OAuth refresh token.
        token_url: The OAuth token endpoint (default: derived from the WSDL URL).
        max_concurrency: Requests in flight at once to this tenant.
        client_options: Other keyword arguments of :class:`~workday_recruiting.RecruitingClient` (``timeouts``,
            ``retry``, ``allow_insecure_http`` ...).
    """

    name: str = attrs.field(validator=_check_name)
    wsdl_url: str
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = attrs.field(default=None, repr=False)
    refresh_token: str | None = attrs.field(default=None, repr=False)
    token_url: str | None = None
    max_concurrency: int = DEFAULT_CONCURRENCY
    client_options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)

    @property
    def pipeline_name(self) -> str:
        """``workday_recruiting_<name>``: the tenant's pipeline (and its state) is named so."""
        return f"workday_recruiting_{self.name}"

    def dataset_name(self, base: str = DEFAULT_DATASET, layout: Layout = "dataset") -> str:
        """The tenant's dataset: ``<base>_<name>`` in the ``"dataset"`` layout, ``<base>`` in the ``"column"`` one."""
        return _dataset(self.name, base, layout)

    def source(self, *, layout: Layout = "dataset", **source_options: Any) -> DltSource:
        """The tenant's :func:`~workday_recruiting.dlt.recruiting_source` (in the ``"column"`` layout, with its
        ``tenant`` column holding :attr:`name`).

        Args:
            layout: The layout its pipeline writes.
            source_options: Other arguments of ``recruiting_source`` (``interview_days``, ``page_size`` ...).
        """
        if layout == "column":
            source_options.setdefault("tenant_column", self.name)
        return recruiting_source(
            wsdl_url=self.wsdl_url,
            username=self.username,
            password=self.password,
            client_id=self.client_id,
            client_secret=self.client_secret,
            refresh_token=self.refresh_token,
            token_url=self.token_url,
            max_concurrency=self.max_concurrency,
            **self.client_options,
            **source_options,
        )


def tenant_pipeline(
    tenant: Tenant | str,
    *,
    destination: Any = "duckdb",
    dataset_name: str = DEFAULT_DATASET,
    layout: Layout = "dataset",
    pipelines_dir: str | Path | None = None,
    **pipeline_options: Any,
) -> dlt.Pipeline:
    """The tenant's dlt pipeline: ``workday_recruiting_<name>``, into its dataset (see the module docstring).

    With ``destination="duckdb"`` dlt writes ``workday_recruiting_<name>.duckdb``: a file per tenant. Pass
    ``dlt.destinations.duckdb("workday.duckdb")`` to share one file (name the file unlike the dataset: DuckDB finds
    ``recruiting`` ambiguous in ``recruiting.duckdb``).

    Args:
        tenant: The tenant, or only its name (an orchestrator builds the pipeline where it holds no secrets).
        destination: Any dlt destination (a name such as ``"postgres"``, or a configured destination).
        dataset_name: The dataset, or the prefix of each tenant's (``"dataset"`` layout).
        layout: ``"dataset"`` or ``"column"``.
        pipelines_dir: Where dlt keeps the pipeline's working files (default: dlt's, ``~/.dlt/pipelines``).
        pipeline_options: Other arguments of ``dlt.pipeline`` (``progress``, ``staging`` ...).
    """
    name = tenant.name if isinstance(tenant, Tenant) else tenant
    _check_name(None, None, name)
    if pipelines_dir is not None:
        pipeline_options["pipelines_dir"] = str(pipelines_dir)
    pipeline: dlt.Pipeline = dlt.pipeline(
        pipeline_name=f"workday_recruiting_{name}",
        destination=destination,
        dataset_name=_dataset(name, dataset_name, layout),
        **pipeline_options,
    )
    return pipeline


@attrs.frozen
class TenantLoad:
    """How one tenant's load went.

    Attributes:
        tenant: The tenant's name.
        pipeline_name: Its pipeline.
        dataset_name: The dataset it loads.
        rows: Rows this run read and loaded, by table, in the source's order (child tables such as
            ``candidates__tags`` too; dlt's own left out).
        pending_packages: Load packages an earlier run extracted but did not load (it died), loaded by this run
            before its own read; their rows are not in :attr:`rows`.
        error: Why the load failed (the SDK's typed error, a :class:`~workday_recruiting.WorkdayError`, when the
            tenant answered wrongly or not at all), or ``None``.
    """

    tenant: str
    pipeline_name: str
    dataset_name: str
    rows: Mapping[str, int] = attrs.field(factory=dict)
    pending_packages: int = 0
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """Whether the load succeeded."""
        return self.error is None

    def raise_for_error(self) -> None:
        """Raise :attr:`error`, if any."""
        if self.error is not None:
            raise self.error


def _workday_error(exc: BaseException) -> WorkdayError | None:
    """The SDK's error inside what dlt raised (it wraps a resource's exception in its own), if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, WorkdayError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _loaded_rows(info: NormalizeInfo | None, into: dict[str, int]) -> None:
    for table, count in (info.row_counts if info is not None else {}).items():
        if not table.startswith("_dlt"):
            into[table] = into.get(table, 0) + count


def _in_order(rows: Mapping[str, int]) -> dict[str, int]:
    """The tables in the source's order, each followed by its child tables (``candidates``, ``candidates__tags``)."""

    def position(table: str) -> tuple[int, str]:
        root = table.partition("__")[0]
        return (RESOURCES.index(root) if root in RESOURCES else len(RESOURCES), table)

    return {table: rows[table] for table in sorted(rows, key=position)}


def _file_format(pipeline: dlt.Pipeline) -> Any:
    """JSON Lines where the destination takes them in place of its preferred INSERT statements (DuckDB): faster."""
    capabilities = pipeline.destination.capabilities()
    if (
        capabilities.preferred_loader_file_format == "insert_values"
        and "jsonl" in capabilities.supported_loader_file_formats
    ):
        return "jsonl"
    return None


def run_load(
    pipeline: dlt.Pipeline,
    source: DltSource,
    *,
    tenant: str,
    load_lock: AbstractContextManager[Any] | None = None,
    refresh: Literal["drop_sources"] | None = None,
) -> TenantLoad:
    """Run ``source`` with ``pipeline``: finish the packages an earlier run left unloaded, then extract and load.

    A run that dies after extracting leaves its package in the pipeline (with the state that goes with it); dlt's
    ``run`` would only load it and stop. This loads it, then reads what changed since, in one call.

    Args:
        pipeline: The tenant's pipeline.
        source: The tenant's source.
        tenant: The tenant's name (for the result).
        load_lock: Held around each load step (for a dataset or a file several pipelines write).
        refresh: ``"drop_sources"``: drop the source's tables and state before extracting (dlt's ``refresh``).

    Raises:
        WorkdayError: The tenant refused or failed a request (the SDK's typed error; the state was left as it was).
        Exception: What dlt raised for any other failure (``PipelineStepFailed``).
    """
    guard: AbstractContextManager[Any] = load_lock if load_lock is not None else nullcontext()
    rows: dict[str, int] = {}
    pending = 0
    failure: WorkdayError | None = None
    try:
        with guard:
            # Restores the state from the destination when the working folder is new, loads any pending package.
            finished: LoadInfo | None = pipeline.run()
        pending = len(finished.loads_ids) if finished is not None else 0
        pipeline.extract(source, loader_file_format=_file_format(pipeline), refresh=refresh)
        _loaded_rows(pipeline.normalize(), rows)
        with guard:
            pipeline.load()
    except Exception as exc:
        failure = _workday_error(exc)
        if failure is None:
            raise
    if failure is not None:
        raise failure  # outside the handler: the SDK's error as it was raised, not chained to dlt's wrapper
    return TenantLoad(
        tenant=tenant,
        pipeline_name=pipeline.pipeline_name,
        dataset_name=pipeline.dataset_name,
        rows=_in_order(rows),
        pending_packages=pending,
    )


def load_client(
    client: RecruitingClient,
    *,
    name: str,
    destination: Any = "duckdb",
    dataset_name: str = DEFAULT_DATASET,
    pipelines_dir: str | Path | None = None,
    resources: Sequence[str] | None = None,
    fresh: bool = False,
    **source_options: Any,
) -> TenantLoad:
    """Load one tenant through a client you opened (the command line's ``load``), as ``workday_recruiting_<name>``.

    Args:
        client: The client (kept open).
        name: The tenant's name in the pipeline's (lower-case letters, digits and ``_``).
        destination: Any dlt destination.
        dataset_name: The dataset.
        pipelines_dir: As for :func:`tenant_pipeline`.
        resources: Load only these resources (default: all five).
        fresh: Drop the source's tables and state first (a load from scratch).
        source_options: Other arguments of ``recruiting_source``.

    Raises:
        WorkdayError: As for :func:`load_tenant`.
    """
    _check_name(None, None, name)
    options: dict[str, Any] = {"pipelines_dir": str(pipelines_dir)} if pipelines_dir is not None else {}
    pipeline: dlt.Pipeline = dlt.pipeline(
        pipeline_name=f"workday_recruiting_{name}", destination=destination, dataset_name=dataset_name, **options
    )
    source = recruiting_source(client=client, **source_options)
    if resources is not None:
        source = source.with_resources(*resources)
    return run_load(pipeline, source, tenant=name, refresh="drop_sources" if fresh else None)


def load_tenant(
    tenant: Tenant,
    *,
    destination: Any = "duckdb",
    dataset_name: str = DEFAULT_DATASET,
    layout: Layout = "dataset",
    pipelines_dir: str | Path | None = None,
    resources: Sequence[str] | None = None,
    load_lock: AbstractContextManager[Any] | None = None,
    **source_options: Any,
) -> TenantLoad:
    """Load one tenant: the task an Airflow DAG or a Dagster job runs per tenant.

    Args:
        tenant: The tenant.
        destination: As for :func:`tenant_pipeline`.
        dataset_name: As for :func:`tenant_pipeline`.
        layout: As for :func:`tenant_pipeline`.
        pipelines_dir: As for :func:`tenant_pipeline`.
        resources: Load only these resources (default: all five).
        load_lock: Held around each load step (see :func:`run_load`).
        source_options: Other arguments of ``recruiting_source`` (``interview_days``, ``page_size`` ...).

    Raises:
        WorkdayError: The SDK's typed error (``AuthenticationError``, ``PermissionDeniedError``, ``ConnectError``
            ...) when the tenant refused or failed; the tenant's state is left as it was.
    """
    pipeline = tenant_pipeline(
        tenant, destination=destination, dataset_name=dataset_name, layout=layout, pipelines_dir=pipelines_dir
    )
    source = tenant.source(layout=layout, **source_options)
    if resources is not None:
        source = source.with_resources(*resources)
    result = run_load(pipeline, source, tenant=tenant.name, load_lock=load_lock)
    log.info("%s: loaded %d rows into %s", tenant.name, sum(result.rows.values()), result.dataset_name)
    return result


def _single_writer(destination: Any) -> bool:
    """Whether the destination is DuckDB (a file takes one writer at a time): ``"duckdb"`` or its factory."""
    name = destination if isinstance(destination, str) else getattr(destination, "destination_name", "")
    return isinstance(name, str) and name.partition(".")[0] == "duckdb"


def load_tenants(
    tenants: Iterable[Tenant],
    *,
    max_parallel: int = 4,
    destination: Any = "duckdb",
    dataset_name: str = DEFAULT_DATASET,
    layout: Layout = "dataset",
    pipelines_dir: str | Path | None = None,
    resources: Sequence[str] | None = None,
    **source_options: Any,
) -> list[TenantLoad]:
    """Load several tenants, ``max_parallel`` at a time; one that fails does not stop the others.

    Each tenant has its own pipeline, state and client (at most its ``max_concurrency`` requests in flight). In the
    ``"column"`` layout, and into DuckDB (one writer per file), the load steps run one at a time.

    Args:
        tenants: The tenants (distinct names).
        max_parallel: Tenants loading at once.
        destination: As for :func:`tenant_pipeline`.
        dataset_name: As for :func:`tenant_pipeline`.
        layout: As for :func:`tenant_pipeline`.
        pipelines_dir: As for :func:`tenant_pipeline`.
        resources: Load only these resources (default: all five).
        source_options: Other arguments of ``recruiting_source``.

    Returns:
        One :class:`TenantLoad` per tenant, in the order given; a failed one holds its :attr:`~TenantLoad.error`.

    Raises:
        ConfigurationError: Two tenants share a name, or ``max_parallel`` is below 1 (before any load).
    """
    chosen = list(tenants)
    names = [tenant.name for tenant in chosen]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ConfigurationError(f"tenant names must be distinct (each names a pipeline): {', '.join(repeated)}")
    if not isinstance(max_parallel, int) or max_parallel < 1:
        raise ConfigurationError(f"max_parallel must be 1 or more, got {max_parallel!r}")
    if not chosen:
        return []
    lock = threading.Lock() if layout == "column" or _single_writer(destination) else None

    def one(tenant: Tenant) -> TenantLoad:
        try:
            return load_tenant(
                tenant,
                destination=destination,
                dataset_name=dataset_name,
                layout=layout,
                pipelines_dir=pipelines_dir,
                resources=resources,
                load_lock=lock,
                **source_options,
            )
        except Exception as exc:
            log.warning("%s: the load failed, its state is unchanged: %s", tenant.name, exc)
            return TenantLoad(
                tenant=tenant.name,
                pipeline_name=tenant.pipeline_name,
                dataset_name=tenant.dataset_name(dataset_name, layout),
                error=exc,
            )

    with ThreadPoolExecutor(max_workers=min(max_parallel, len(chosen)), thread_name_prefix="workday-load") as pool:
        return list(pool.map(one, chosen))

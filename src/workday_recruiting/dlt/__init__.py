"""A tenant's recruiting data into any database with `dlt <https://dlthub.com>`_: DuckDB, Postgres, BigQuery, ...

Needs the ``dlt`` extra: ``pip install 'workday-recruiting[dlt]'`` (dlt with DuckDB). ``import workday_recruiting``
never imports dlt; this module does, and says which extra to install when dlt is missing.

One tenant::

    import dlt
    from workday_recruiting.dlt import recruiting_source

    pipeline = dlt.pipeline("workday_recruiting_acme", destination="duckdb", dataset_name="recruiting")
    pipeline.run(recruiting_source(wsdl_url=url, username="ISU_Recruiting", password=password))

Run it again and it loads what changed since: the candidates, job applications and requisitions Workday's
transaction log lists, the interview sessions of the window, the postings (see :func:`recruiting_source`).

Many tenants, one pipeline each, several at once::

    from workday_recruiting.dlt import Tenant, load_tenants

    results = load_tenants([Tenant("acme", wsdl_url=..., username=..., password=...), ...], max_parallel=4)
    failed = [result for result in results if not result.ok]   # the others were loaded all the same

See ``docs/dlt.md`` for the tables, the tenant layouts and running under Airflow or Dagster.
"""

from __future__ import annotations

try:
    import dlt as _dlt  # noqa: F401 - the real dlt package (absolute import), checked before anything needs it
except ModuleNotFoundError as exc:  # pragma: no cover - the tests run with dlt installed
    if exc.name is None or exc.name.partition(".")[0] != "dlt":
        raise
    raise ImportError(
        "workday_recruiting.dlt needs dlt: pip install 'workday-recruiting[dlt]' (or pip install 'dlt[duckdb]')"
    ) from None

from ._source import DEFAULT_INTERVIEW_DAYS, RESOURCES, SOURCE_NAME, recruiting_source
from ._tenants import Layout, Tenant, TenantLoad, load_tenant, load_tenants, tenant_pipeline

__all__ = [
    "DEFAULT_INTERVIEW_DAYS",
    "RESOURCES",
    "SOURCE_NAME",
    "Layout",
    "Tenant",
    "TenantLoad",
    "load_tenant",
    "load_tenants",
    "recruiting_source",
    "tenant_pipeline",
]

"""pytest fixtures for testing against a :class:`~workday_recruiting.testing.FakeTenant`.

Registered through the package's ``pytest11`` entry point, so installing ``workday-recruiting`` makes
these fixtures available in any test suite. Importing this module starts nothing: a tenant starts
only when a test asks for a fixture.

* ``fake_tenant``: a fresh, running tenant per test (50 candidates unless told otherwise), closed
  afterwards. Change its construction with the ``fake_tenant`` marker, whose keyword arguments go to
  :class:`~workday_recruiting.testing.FakeTenant`::

      @pytest.mark.fake_tenant(candidates=200, seed=7, fault_rate=0.1)
      def test_sync_survives_faults(fake_tenant): ...

* ``fake_tenant_factory``: a function taking FakeTenant's keyword arguments, for tests needing several
  tenants or different settings; every tenant it made is closed after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Final

import pytest

if TYPE_CHECKING:
    from ._server import FakeTenant

#: The size of the data set the fixtures build when not told otherwise.
DEFAULT_CANDIDATES: Final = 50


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``fake_tenant`` marker (so ``--strict-markers`` accepts it)."""
    config.addinivalue_line(
        "markers",
        "fake_tenant(**kwargs): FakeTenant keyword arguments for the fake_tenant fixture",
    )


def _start(**kwargs: Any) -> FakeTenant:
    from ._server import FakeTenant  # deferred: keep the plugin import light

    kwargs.setdefault("candidates", DEFAULT_CANDIDATES)
    return FakeTenant(**kwargs)


@pytest.fixture
def fake_tenant(request: pytest.FixtureRequest) -> Iterator[FakeTenant]:
    """A running FakeTenant for one test (configure it with ``@pytest.mark.fake_tenant(...)``)."""
    marker = request.node.get_closest_marker("fake_tenant")
    tenant = _start(**(marker.kwargs if marker is not None else {}))
    try:
        yield tenant
    finally:
        tenant.close()


@pytest.fixture
def fake_tenant_factory() -> Iterator[Callable[..., FakeTenant]]:
    """A function starting FakeTenants (FakeTenant's keyword arguments); all are closed after the test."""
    started: list[FakeTenant] = []

    def start(**kwargs: Any) -> FakeTenant:
        tenant = _start(**kwargs)
        started.append(tenant)
        return tenant

    try:
        yield start
    finally:
        for tenant in started:
            tenant.close()

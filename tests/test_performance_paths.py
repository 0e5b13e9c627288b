"""The paths the benchmarks made fast still behave: the fake's page cache and TCP settings, lazy imports, the shared
schema, the collector left alone, shared references, models built in the caller's thread, early prefetch, and a pager
that does not hold on to pages. Behaviour only: no timing assertions here (see benchmarks/)."""

from __future__ import annotations

import gc
import json
import socket
import subprocess
import sys
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from lxml import etree

from workday_recruiting import Pager, PermissionDeniedError, RecruitingClient, RetryPolicy
from workday_recruiting._ns import wd
from workday_recruiting._paging import PageResult
from workday_recruiting._soap import Held
from workday_recruiting.models import ModelParseError
from workday_recruiting.models._base import ReferenceCache
from workday_recruiting.services import candidates as _candidates_service
from workday_recruiting.testing import ALL_DOMAINS, MANAGE_CANDIDATES, FakeTenant, _operations

NO_WAIT = RetryPolicy(attempts=3, initial_backoff=0, jitter=0, max_backoff=0)


def _client(fake: FakeTenant, **options: Any) -> RecruitingClient:
    return RecruitingClient(
        wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password, retry=NO_WAIT, **options
    )


def _past() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=5)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the requests the fake actually renders (its operations' entry point), by operation tag."""
    seen: list[str] = []
    real = _operations.handle

    def counting(fake: FakeTenant, request: Any, isu: Any, path_version: str | None) -> bytes:
        seen.append(request.body.tag.rpartition("}")[2])
        return real(fake, request, isu, path_version)

    monkeypatch.setattr(_operations, "handle", counting)
    return seen


def test_a_repeated_request_for_a_pinned_past_snapshot_is_not_rendered_again(
    fake_tenant: FakeTenant, renders: list[str]
) -> None:
    """The fake answers the same page of a past As_Of_Entry_DateTime from its page cache, with the same data."""
    as_of = _past()
    with _client(fake_tenant, max_concurrency=1) as client:
        first = list(client.candidates.list(page_size=20, as_of=as_of))
        rendered = len(renders)
        second = list(client.candidates.list(page_size=20, as_of=as_of))
    assert rendered == 3
    assert len(renders) == rendered
    assert second == first


def test_requests_without_a_pinned_moment_are_rendered_every_time(fake_tenant: FakeTenant, renders: list[str]) -> None:
    """A request with no As_Of_Entry_DateTime reads the live data, so the fake renders it every time."""
    request = {"Response_Group": {"Include_Reference": True, "Exclude_All_Attachments": True}}
    with _client(fake_tenant) as client:
        client.call("Get_Candidates", request)
        client.call("Get_Candidates", request)
    assert renders == ["Get_Candidates_Request", "Get_Candidates_Request"]


def test_a_change_after_the_pinned_moment_shows_in_a_new_snapshot_but_not_in_the_cached_one(
    fake_tenant: FakeTenant,
) -> None:
    """Caching keeps snapshot semantics: the old moment still reads the old data, a new moment the new data."""
    as_of = _past()
    with _client(fake_tenant, max_concurrency=1) as client:
        old = list(client.candidates.list(page_size=50, as_of=as_of))
        target = old[0].candidate_id
        assert target is not None
        fake_tenant.dataset.update_candidate(target, first_name="Renamed")
        again = list(client.candidates.list(page_size=50, as_of=as_of))
        fresh = list(client.candidates.list(page_size=50))
    assert again == old
    assert fresh[0].legal_name is not None
    assert fresh[0].legal_name.first == "Renamed"


def test_clear_cache_forgets_rendered_pages(fake_tenant: FakeTenant, renders: list[str]) -> None:
    """After clear_cache() the fake renders a cached page again."""
    as_of = _past()
    with _client(fake_tenant, max_concurrency=1) as client:
        list(client.candidates.list(page_size=50, as_of=as_of))
        fake_tenant.clear_cache()
        list(client.candidates.list(page_size=50, as_of=as_of))
    assert renders == ["Get_Candidates_Request", "Get_Candidates_Request"]


def test_a_cached_page_is_not_served_to_an_isu_that_lost_the_domain(fake_tenant: FakeTenant) -> None:
    """Revoking a domain takes effect at once, even for a request whose answer is cached."""
    as_of = _past()
    with _client(fake_tenant) as client:
        list(client.candidates.list(page_size=50, as_of=as_of))
        fake_tenant.add_isu(fake_tenant.isu.name, fake_tenant.password, domains=ALL_DOMAINS - {MANAGE_CANDIDATES})
        with pytest.raises(PermissionDeniedError):
            list(client.candidates.list(page_size=50, as_of=as_of))


def test_a_cached_page_does_not_bypass_max_page_size(fake_tenant: FakeTenant) -> None:
    """A page cached at Count 50 is still refused once max_page_size is 10; the pager splits it and loses nothing."""
    as_of = _past()
    with _client(fake_tenant, max_concurrency=1) as client:
        whole = list(client.candidates.list(page_size=50, as_of=as_of))
        fake_tenant.max_page_size = 10
        split = list(client.candidates.list(page_size=50, as_of=as_of))
    assert split == whole
    assert any(record.fault == "connection_reset" for record in fake_tenant.requests)


def test_the_fake_tenant_sends_without_nagle_delay(fake_tenant: FakeTenant) -> None:
    """The fake's connections set TCP_NODELAY, so a response is never held back waiting for a delayed ACK."""
    with socket.create_connection((fake_tenant.host, fake_tenant.port), timeout=5) as conn:
        conn.sendall(f"GET /ccx/service/{fake_tenant.tenant}/Recruiting?wsdl HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert conn.recv(12).startswith(b"HTTP/1.1 200")
        server_side = list(fake_tenant._httpd.connections)
        assert server_side
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in server_side)


def test_importing_the_package_does_not_import_zeep_or_tenacity() -> None:
    """zeep and tenacity load on first use, keeping `import workday_recruiting` cheap for many-tenant backends."""
    code = "import json, sys, workday_recruiting; print(json.dumps(sorted({'zeep', 'tenacity'} & set(sys.modules))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_clients_of_different_tenants_share_one_parsed_schema() -> None:
    """The bundled WSDL is parsed once per process: every client builds requests from the same zeep binding."""
    clients = [
        RecruitingClient(
            wsdl_url=f"https://wd5-services1.myworkday.com/ccx/service/tenant{n}/Recruiting",
            username="ISU",
            password="pw",
        )
        for n in range(3)
    ]
    bindings = [client._transport._binding() for client in clients]
    assert bindings[0] is bindings[1] is bindings[2]
    for client in clients:
        client.close()


@pytest.mark.fake_tenant(candidates=60)
@pytest.mark.parametrize("concurrency", [1, 4])
def test_the_pager_does_not_keep_pages_it_has_yielded(fake_tenant: FakeTenant, concurrency: int) -> None:
    """Memory stays bounded by the prefetch window: a page the caller dropped is freed while iteration goes on."""
    with _client(fake_tenant, max_concurrency=concurrency) as client:
        pages = client.candidates.list(page_size=5, as_of=_past()).pages
        refs = []
        for page in pages:
            refs.append(weakref.ref(page.items[0]))
            del page
            gc.collect()
            assert all(ref() is None for ref in refs[:-2])
        assert len(refs) == 12


# -- the host process left alone ---------------------------------------------------------------------------------


@pytest.mark.fake_tenant(candidates=30)
@pytest.mark.parametrize("concurrency", [1, 4])
def test_reading_pages_never_touches_the_garbage_collector(
    fake_tenant: FakeTenant, monkeypatch: pytest.MonkeyPatch, concurrency: int
) -> None:
    """The collector is process-wide (the host's other threads share it): a read neither disables nor freezes it."""
    switched: list[str] = []
    for name in ("disable", "enable", "freeze", "unfreeze", "set_threshold"):
        monkeypatch.setattr(gc, name, lambda *args, name=name: switched.append(name))
    with _client(fake_tenant, max_concurrency=concurrency) as client:
        found = list(client.candidates.list(page_size=5, as_of=_past()))
    assert len(found) == 30
    assert switched == []


@pytest.mark.fake_tenant(candidates=40)
def test_prefetched_pages_wait_as_bytes_and_are_parsed_in_the_callers_thread(
    fake_tenant: FakeTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page waiting for its turn keeps its response's bytes, not its tree (several times larger): every page is
    parsed once, in the caller's thread, when its turn comes, and its models read that tree."""
    parsed_in: list[str] = []
    real = Held.read

    def recording(held: Held) -> Any:
        parsed_in.append(threading.current_thread().name)
        return real(held)

    monkeypatch.setattr(Held, "read", recording)
    with _client(fake_tenant, max_concurrency=4) as client:
        pages = list(client.candidates.list(page_size=5, as_of=_past()).pages)
    assert len(pages) == 8
    assert parsed_in == [threading.current_thread().name] * 8
    for page in pages:
        assert page.raw is not None
        assert page.items[0].raw.getroottree().getroot() is page.raw.getroottree().getroot()


# -- shared references -----------------------------------------------------------------------------------------


def test_equal_references_on_a_page_are_one_object(fake_tenant: FakeTenant) -> None:
    """A page's repeated references (the same stage, source, requisition) are built once and shared."""
    with _client(fake_tenant) as client:
        candidates = list(client.candidates.list(page_size=50))
    stages: dict[tuple[str | None, str | None], set[int]] = {}
    for candidate in candidates:
        for application in candidate.applications:
            stage = application.stage
            stages.setdefault((stage.wid, stage.descriptor), set()).add(id(stage))
    assert len(stages) < sum(len(c.applications) for c in candidates)
    assert all(len(objects) == 1 for objects in stages.values())


def _reference(wid: str | None, candidate_id: str, descriptor: str | None) -> etree._Element:
    ref = etree.Element(wd("Candidate_Reference"))
    if descriptor is not None:
        ref.set(wd("Descriptor"), descriptor)
    for id_type, value in (("WID", wid), ("Candidate_ID", candidate_id)):
        if value is not None:
            etree.SubElement(ref, wd("ID")).set(wd("type"), id_type)
            ref[-1].text = value
    return ref


def test_references_with_the_same_wid_but_other_ids_are_not_merged() -> None:
    """Sharing needs equal values: the same WID with different IDs gives two references."""
    refs = ReferenceCache()
    one = refs.read(_reference("a" * 32, "CAND-1", "Ann"))
    other = refs.read(_reference("a" * 32, "CAND-2", "Ann"))
    again = refs.read(_reference("a" * 32, "CAND-2", "Ann"))
    assert one.ids["Candidate_ID"] == "CAND-1"
    assert other.ids["Candidate_ID"] == "CAND-2"
    assert again is other


def test_references_without_a_wid_are_never_shared() -> None:
    """A reference with no WID has no identity to share by; each is its own object (still equal by value)."""
    refs = ReferenceCache()
    one = refs.read(_reference(None, "CAND-1", None))
    two = refs.read(_reference(None, "CAND-1", None))
    assert one == two
    assert one is not two


def test_references_are_shared_within_one_parse_only() -> None:
    """Each parse has its own cache: nothing process-wide, so no client or tenant sees another's objects."""
    element = _reference("a" * 32, "CAND-1", "Ann")
    assert ReferenceCache().read(element) is not ReferenceCache().read(element)


# -- where the work happens -----------------------------------------------------------------------------------


@pytest.mark.fake_tenant(candidates=40)
def test_models_are_built_in_the_thread_that_iterates(fake_tenant: FakeTenant, monkeypatch: pytest.MonkeyPatch) -> None:
    """Prefetching threads fetch and parse XML; the models are built in the caller's thread as each page is used."""
    builders: list[str] = []
    real = _candidates_service.parse_candidates

    def recording(body: Any) -> Any:
        builders.append(threading.current_thread().name)
        return real(body)

    monkeypatch.setattr(_candidates_service, "parse_candidates", recording)
    with _client(fake_tenant, max_concurrency=4) as client:
        found = list(client.candidates.list(page_size=5, as_of=_past()))
    assert len(found) == 40
    assert builders == [threading.current_thread().name] * 8


@pytest.mark.fake_tenant(candidates=20)
def test_a_model_error_on_a_prefetched_page_names_the_operation(
    fake_tenant: FakeTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page whose models cannot be built raises ModelParseError naming Get_Candidates, as before prefetching."""

    def broken(body: Any) -> Any:
        raise ModelParseError("invalid boolean in Withdrawn: 'maybe'")

    monkeypatch.setattr(_candidates_service, "parse_candidates", broken)
    with _client(fake_tenant, max_concurrency=4) as client, pytest.raises(ModelParseError) as caught:
        list(client.candidates.list(page_size=5))
    assert caught.value.operation == "Get_Candidates"


def test_the_next_pages_are_requested_before_the_caller_gets_the_current_one() -> None:
    """With concurrency, page 2 is already on its way while the caller works through page 1."""
    second_requested = threading.Event()

    def fetch(page: int, count: int, as_of: datetime) -> PageResult[int]:
        if page > 1:
            second_requested.set()
        items = list(range((page - 1) * count, min(page * count, 30)))
        return PageResult(total_results=30, total_pages=3, page_results=len(items), items=items)

    with ThreadPoolExecutor(max_workers=2) as pool:
        pages = Pager(fetch, page_size=10, concurrency=2, executor=pool).pages
        first = next(pages)
        assert first.items[0] == 0
        assert second_requested.wait(10)
        assert [page.items[0] for page in pages] == [10, 20]


@pytest.mark.fake_tenant(candidates=30)
def test_iterating_items_holds_one_page_of_models_at_a_time(
    fake_tenant: FakeTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a page's models are built, the previous page's are already freed (all but the one in the caller's hand)."""
    refs: list[weakref.ref[Any]] = []
    alive_when_building: list[int] = []
    real = _candidates_service.parse_candidates

    def recording(body: Any) -> Any:
        alive_when_building.append(sum(ref() is not None for ref in refs))
        built = real(body)
        refs.extend(weakref.ref(candidate) for candidate in built)
        return built

    monkeypatch.setattr(_candidates_service, "parse_candidates", recording)
    with _client(fake_tenant, max_concurrency=4) as client:
        count = 0
        for _candidate in client.candidates.list(page_size=5, as_of=_past()):
            count += 1
    assert count == 30
    assert alive_when_building == [0, 1, 1, 1, 1, 1]

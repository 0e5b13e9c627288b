"""What every service shares: the requestor it is built on, reading a response's records, the incremental read."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import ClassVar, Generic, TypeVar

from lxml import etree

from .._errors import ResponseParseError
from .._ns import WD
from .._paging import Pager
from .._sync import DEFAULT_OVERLAP, ChangeSet, Watermark, collect_changes
from .._xml import text_of
from ._requestor import Requestor

__all__ = ["IncrementalService", "Service", "response_items", "server_time"]

T = TypeVar("T")

_RESPONSE_DATA = f"{{{WD}}}Response_Data"
_TIMESTAMP_DATA = f"{{{WD}}}Server_Timestamp_Data"


def response_items(body: etree._Element, tag: str) -> list[etree._Element]:
    """The ``Response_Data`` children named ``tag`` (the records of a Get response)."""
    data = body.find(_RESPONSE_DATA)
    return [] if data is None else [child for child in data if child.tag == tag]


def response_data(body: etree._Element) -> etree._Element | None:
    """A response's ``Response_Data`` element, if any."""
    return body.find(_RESPONSE_DATA)


def server_time(requestor: Requestor) -> datetime:
    """The tenant's current time (``Get_Server_Timestamp``), as an aware datetime."""
    body = requestor.call("Get_Server_Timestamp", {})
    element = body.find(_TIMESTAMP_DATA)
    value = text_of(element) if element is not None else None
    if value is None:
        raise ResponseParseError("Server_Timestamp has no Server_Timestamp_Data", operation="Get_Server_Timestamp")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ResponseParseError(
            f"Server_Timestamp_Data is not a dateTime: {value[:40]!r}",
            operation="Get_Server_Timestamp",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Service:
    """A service: a group of operations on one :class:`Requestor`.

    Args:
        requestor: Sends the requests and opens the pagers.
        owner: How the service's ``repr`` names what it belongs to (the client's ``repr``).
    """

    def __init__(self, requestor: Requestor, *, owner: str = "") -> None:
        self._requestor = requestor
        self._owner = owner or repr(requestor)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._owner}>"

    def _server_time(self) -> datetime:
        return server_time(self._requestor)


class IncrementalService(Service, Generic[T]):
    """A service whose records Workday's transaction log can list by change window: it has :meth:`changes`."""

    #: The resource a watermark of this service tracks (``"candidates"``, ``"requisitions"``).
    _RESOURCE: ClassVar[str]

    def list(
        self,
        *,
        updated_from: datetime | date | None = None,
        updated_to: datetime | date | None = None,
        page_size: int = 100,
        max_results: int | None = None,
        start_page: int = 1,
        as_of: datetime | None = None,
    ) -> Pager[T]:  # pragma: no cover - every subclass overrides it
        """The records, optionally by change window (each subclass adds its own filters)."""
        raise NotImplementedError

    def _changed(self, updated_from: datetime, updated_to: datetime, as_of: datetime, page_size: int) -> Pager[T]:
        return self.list(updated_from=updated_from, updated_to=updated_to, as_of=as_of, page_size=page_size)

    @staticmethod
    def _key(record: T) -> str | None:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def changes(
        self, *, since: datetime | Watermark, overlap: timedelta = DEFAULT_OVERLAP, page_size: int = 100
    ) -> ChangeSet[T]:
        """Records created or changed since ``since``, each once in its latest version, and the next watermark.

        Reads Workday's transaction log up to the tenant's clock (``Get_Server_Timestamp``), with
        ``As_Of_Entry_DateTime`` pinned to it, reaching back ``overlap`` before ``since``; versions the previous
        call already delivered (from its watermark) are left out. See ``docs/reliability.md``.

        Args:
            since: A timezone-aware datetime (first call) or the previous call's ``next_watermark``.
            overlap: How far the window reaches back before ``since``; keep it the same between calls.
            page_size: Records per request, 1 to 999.

        Raises:
            ConfigurationError: ``since`` is naive or another resource's watermark (before any request).
        """
        return collect_changes(
            resource=self._RESOURCE,
            since=since,
            overlap=overlap,
            page_size=page_size,
            server_time=self._server_time,
            fetch=self._changed,
            key=self._key,
        )

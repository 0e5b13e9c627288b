"""Workday's own notifications as a trigger: :class:`NotificationListener`, a small authenticated HTTP endpoint.

Workday can push a notification to an external endpoint when a business process or a transaction happens (Edit
Subscriptions -> External Endpoints, or ``Put_Subscription`` in the Integrations web service: a subscriber URL,
user name and password). The body of those notifications is not publicly documented, so the SDK reads none of it
as data: an authenticated notification is a **hint** that something changed, and the watcher polls at once
(re-reading first whatever WID in it it can place). The listener:

* binds ``127.0.0.1`` unless told otherwise (put a TLS-terminating proxy in front of it for Workday: Workday calls
  ``https://`` endpoints, and the password travels in the ``Authorization`` header);
* checks HTTP Basic credentials in constant time (``hmac.compare_digest`` of SHA-256 digests, so neither the values
  nor their lengths leak) and keeps only those digests; wrong or missing credentials get ``401`` with an empty body
  and nothing else: the body is not read, nothing is triggered;
* reads at most ``max_body_bytes`` (a longer ``Content-Length`` gets ``413`` unread; no chunked bodies: ``411``),
  within a per-connection timeout, and at most ``max_connections`` connections at once;
* parses the body with the SDK's hardened XML parser (no DTDs, no entities, no network), or as JSON, or not at all,
  only to find WIDs (32 hexadecimal digits) and typed IDs (``wd:ID wd:type="..."``) in it; a body it cannot parse is
  still a hint;
* answers ``202 Accepted`` to an authenticated ``POST``, ``405`` to any other method.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import re
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Final, Literal

import attrs
from lxml import etree

from .._config import is_loopback
from .._errors import ConfigurationError
from .._xml import parse_bytes

__all__ = ["MAX_NOTIFICATION_BYTES", "Notification", "NotificationListener", "parse_address", "read_notification"]

log = logging.getLogger("workday_recruiting")

#: The largest notification body read by default.
MAX_NOTIFICATION_BYTES: Final = 256 * 1024
#: At most this many WIDs and typed IDs are kept from one notification.
_MAX_FOUND: Final = 50
_WID: Final = re.compile(r"(?<![0-9A-Fa-f])[0-9a-f]{32}(?![0-9A-Fa-f])")
_TYPE_ATTRIBUTES: Final = ("{urn:com.workday/bsvc}type", "type")


@attrs.frozen
class Notification:
    """An authenticated notification, as the listener read it (a hint, not data).

    Attributes:
        received_at: When it arrived (UTC).
        wids: The WIDs found in the body (32 hexadecimal digits), in order, each once.
        ids: The typed IDs found (``("Candidate_ID", "CAND-1187")``, from ``wd:ID wd:type="..."``).
        format: ``"xml"`` or ``"json"`` (parsed), or ``"other"`` (not parsed: searched as text, or empty).
        size: The body's size in bytes.
    """

    received_at: datetime
    wids: tuple[str, ...] = ()
    ids: tuple[tuple[str, str], ...] = ()
    format: Literal["xml", "json", "other"] = "other"
    size: int = 0


def read_notification(body: bytes, *, received_at: datetime | None = None) -> Notification:
    """What a notification body names: its WIDs and typed IDs (see the module docstring for how it is parsed)."""
    when = received_at or datetime.now(timezone.utc)
    found = _Found()
    stripped = body.lstrip()
    kind: Literal["xml", "json", "other"] = "other"
    if stripped.startswith(b"<"):
        try:
            root = parse_bytes(body)
        except etree.XMLSyntaxError:
            found.text(body.decode("utf-8", "replace"))
        else:
            kind = "xml"
            _walk_xml(root, found)
    elif stripped[:1] in (b"{", b"["):
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            found.text(body.decode("utf-8", "replace"))
        else:
            kind = "json"
            for text in _json_strings(data):
                found.text(text)
    elif stripped:
        found.text(body.decode("utf-8", "replace"))
    return Notification(when, tuple(found.wids), tuple(found.ids), kind, len(body))


class _Found:
    def __init__(self) -> None:
        self.wids: dict[str, None] = {}
        self.ids: dict[tuple[str, str], None] = {}

    def text(self, value: str) -> None:
        for match in _WID.finditer(value):
            if len(self.wids) < _MAX_FOUND:
                self.wids.setdefault(match.group(0))

    def typed(self, id_type: str, value: str) -> None:
        if id_type == "WID":
            self.text(value)
        elif len(self.ids) < _MAX_FOUND and value:
            self.ids.setdefault((id_type, value))


def _walk_xml(root: etree._Element, found: _Found) -> None:
    for el in root.iter(etree.Element):  # elements only: no comments or processing instructions
        id_type = next((el.get(name) for name in _TYPE_ATTRIBUTES if el.get(name)), None)
        if etree.QName(el).localname == "ID" and id_type and el.text:
            found.typed(id_type, el.text.strip())
            continue
        for value in el.attrib.values():
            found.text(str(value))
        if el.text:
            found.text(el.text)


def _json_strings(value: Any, depth: int = 0) -> Iterator[str]:
    if depth > 64:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _json_strings(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, depth + 1)


def _digest(value: str | bytes) -> bytes:
    return hashlib.sha256(value.encode("utf-8") if isinstance(value, str) else value).digest()


class NotificationListener:
    """An HTTP endpoint for Workday's notifications: each authenticated ``POST`` calls ``on_notification``.

    It starts serving (in a daemon thread) when constructed and stops on :meth:`close` (or leaving a ``with`` block).

    Args:
        on_notification: Called with each :class:`Notification`, in the listener's thread: keep it short (the
            watcher's :meth:`~workday_recruiting.webhooks.Watcher.notify` only sets a flag).
        user: The user name Workday sends (the subscription's ``Subscription_User_Name``).
        password: The password Workday sends; kept only as a SHA-256 digest.
        host: The address to bind: loopback unless told otherwise.
        port: The TCP port (0 picks a free one; see :attr:`port`).
        max_body_bytes: The largest body read.
        timeout: Seconds a connection may take to send its request.
        max_connections: Connections served at once (more are closed at once).

    Raises:
        ConfigurationError: No user name or password, or a malformed argument.
        OSError: The address cannot be bound.
    """

    def __init__(
        self,
        on_notification: Callable[[Notification], None],
        *,
        user: str,
        password: str,
        host: str = "127.0.0.1",
        port: int = 0,
        max_body_bytes: int = MAX_NOTIFICATION_BYTES,
        timeout: float = 10.0,
        max_connections: int = 32,
    ) -> None:
        if not user or not isinstance(user, str):
            raise ConfigurationError("the notification listener needs the user name Workday sends")
        if not password or not isinstance(password, str):
            raise ConfigurationError("the notification listener needs the password Workday sends")
        if ":" in user:
            raise ConfigurationError("an HTTP Basic user name cannot hold ':'")
        if not 0 <= port <= 65535:
            raise ConfigurationError(f"port must be 0 to 65535, got {port}")
        if max_body_bytes < 1 or timeout <= 0 or max_connections < 1:
            raise ConfigurationError("max_body_bytes, timeout and max_connections must be positive")
        self._callback = on_notification
        self._user = _digest(user)
        self._password = _digest(password)
        self.max_body_bytes = max_body_bytes
        self.timeout = timeout
        self.refused = 0
        self.received = 0
        self._count_lock = threading.Lock()
        self._server = _Server((host, port), self, max_connections)
        self.host: Final = host
        self.port: Final[int] = int(self._server.server_address[1])
        self.loopback: Final = is_loopback(host)
        self._closed = False
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="workday-recruiting-notifications",
            daemon=True,
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """``http://HOST:PORT/``: where this listener answers (Workday needs an https URL in front of it)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def __repr__(self) -> str:
        return f"<NotificationListener {self.url}{' closed' if self._closed else ''}>"

    def __enter__(self) -> NotificationListener:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop listening (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- used by the handler ---------------------------------------------------------------------------------------

    def authorized(self, header: str | None) -> bool:
        """Whether an ``Authorization`` header holds the right Basic credentials (constant time)."""
        user, password, well_formed = b"", b"", False
        if header:
            scheme, _, value = header.strip().partition(" ")
            if scheme.lower() == "basic":
                try:
                    decoded = base64.b64decode(value.strip(), validate=True)
                except (binascii.Error, ValueError):
                    decoded = b""
                user, sep, password = decoded.partition(b":")
                well_formed = bool(sep)
        user_ok = hmac.compare_digest(_digest(user), self._user)
        password_ok = hmac.compare_digest(_digest(password), self._password)
        return well_formed & user_ok & password_ok

    def _count(self, refused: bool) -> None:
        with self._count_lock:
            if refused:
                self.refused += 1
            else:
                self.received += 1

    def _deliver(self, notification: Notification) -> None:
        self._count(False)
        self._callback(notification)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], listener: NotificationListener, max_connections: int) -> None:
        self.listener = listener
        self._slots = threading.BoundedSemaphore(max_connections)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)  # too many at once: closed unanswered
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.listener.timeout)

    def version_string(self) -> str:
        return "workday-recruiting"

    def log_message(self, format: str, *args: object) -> None:
        log.debug("notification listener: %s", format % args)

    def _answer(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _handle(self, post: bool) -> None:
        listener = self.server.listener
        if not listener.authorized(self.headers.get("Authorization")):
            listener._count(True)
            log.info("refused a notification with wrong or missing credentials from %s", self.client_address[0])
            self._answer(401, {"WWW-Authenticate": 'Basic realm="workday-recruiting", charset="UTF-8"'})
            return
        if not post:
            self._answer(405, {"Allow": "POST"})
            return
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self._answer(411)
            return
        declared = (self.headers.get("Content-Length") or "0").strip()
        if not declared.isdigit():
            self._answer(411)
            return
        length = int(declared)
        if length > listener.max_body_bytes:
            self._answer(413)
            return
        try:
            body = self.rfile.read(length) if length else b""
        except OSError:  # the timeout, or the peer went away
            self.close_connection = True
            return
        if len(body) < length:
            self.close_connection = True
            return
        notification = read_notification(body)
        try:
            listener._deliver(notification)
        except Exception:
            log.exception("the notification callback failed")
            self._answer(500)
            return
        self._answer(202)

    def do_POST(self) -> None:
        self._handle(True)

    def do_GET(self) -> None:
        self._handle(False)

    def do_HEAD(self) -> None:
        self._handle(False)

    def do_PUT(self) -> None:
        self._handle(False)

    def do_DELETE(self) -> None:
        self._handle(False)

    def do_PATCH(self) -> None:
        self._handle(False)

    def do_OPTIONS(self) -> None:
        self._handle(False)


def parse_address(text: str) -> tuple[str, int]:
    """``[HOST:]PORT`` -> ``(host, port)``; the host defaults to ``127.0.0.1`` (IPv6 in brackets: ``[::1]:8080``).

    Raises:
        ConfigurationError: Not such an address.
    """
    value = text.strip()
    host, port_text = "127.0.0.1", value
    if value.startswith("["):
        inside, _, rest = value[1:].partition("]")
        host, port_text = inside, rest.removeprefix(":")
    elif ":" in value:
        host, _, port_text = value.rpartition(":")
        host = host or "127.0.0.1"
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535 or not host:
        raise ConfigurationError(f"{text!r} is not [HOST:]PORT (127.0.0.1:8080, 8080, [::1]:8080)")
    return host, int(port_text)

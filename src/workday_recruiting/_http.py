"""The HTTP session a client owns when the caller does not pass one.

It differs from a plain ``requests.Session`` in three ways:

* **The environment is read once per host**, not on every request. requests looks up proxies (``HTTPS_PROXY``,
  ``NO_PROXY``, ...) and CA bundles (``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``) by scanning ``os.environ`` on every
  call, which cost a quarter of the client's CPU time for a small request. The settings are the same as requests'
  own (``NO_PROXY`` still applies host by host), with one exception: a ``verify`` given to the client (``False`` or
  a CA bundle path) is not overridden by ``REQUESTS_CA_BUNDLE``. A change to the environment after a host's first
  request is not seen by that client.
* **``~/.netrc`` is never consulted**, on a request or on a redirect. requests would otherwise add an
  ``Authorization: Basic`` header from a ``.netrc`` entry for the Workday host (or the host a redirect leads to),
  replacing the OAuth bearer token and sending unrelated credentials.
  The SDK's credentials travel only in the WS-Security header or the bearer token.
* Its connections never print ``http.client`` debug output (:class:`~workday_recruiting._soap.QuietHTTPAdapter`),
  and its pool holds enough connections for ``max_concurrency`` requests in flight.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase

from ._soap import QuietHTTPAdapter
from ._version import __version__

__all__ = ["ClientSession"]


class _NoNetrc(AuthBase):
    """Session-level auth that adds nothing: its presence keeps requests from reading ``~/.netrc``."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request

    def __repr__(self) -> str:
        return "<no netrc>"


class ClientSession(requests.Session):
    """A pooled session for one client: environment settings cached per host, no ``.netrc``, quiet connections.

    Args:
        max_concurrency: The client's requests in flight; the pool keeps at least twice as many connections.
    """

    def __init__(self, *, max_concurrency: int = 1) -> None:
        super().__init__()
        adapter = QuietHTTPAdapter(pool_connections=2, pool_maxsize=max(10, max_concurrency * 2), max_retries=0)
        self.mount("https://", adapter)
        self.mount("http://", adapter)
        self.headers["User-Agent"] = f"workday-recruiting/{__version__} {requests.utils.default_user_agent()}"
        self.auth = _NoNetrc()
        self._environment: dict[tuple[Any, ...], dict[str, Any]] = {}

    def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
        """On a redirect, drop ``Authorization`` when the host changes, as requests does, but add nothing from
        ``~/.netrc`` (requests would)."""
        original = response.request
        headers = prepared_request.headers
        if (
            "Authorization" in headers
            and original is not None
            and original.url is not None
            and prepared_request.url is not None
            and self.should_strip_auth(original.url, prepared_request.url)  # type: ignore[no-untyped-call]
        ):
            del headers["Authorization"]

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> Any:
        """requests' own merge of the request, session and environment settings, computed once per host."""
        if verify is None and self.verify is not True:
            verify = self.verify  # the client's verify argument, not REQUESTS_CA_BUNDLE (requests' order)
        if not self.trust_env or proxies:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url.decode() if isinstance(url, bytes) else (url or ""))
        key = (
            parts.scheme,
            parts.netloc,
            stream,
            verify,
            cert,
            self.stream,
            self.verify,
            self.cert,
            tuple(sorted(self.proxies.items())),
        )
        settings = self._environment.get(key)
        if settings is None:
            settings = self._environment[key] = dict(
                super().merge_environment_settings(url, proxies, stream, verify, cert)
            )
        # A copy: requests and adapters may adjust what they are given.
        return {**settings, "proxies": dict(settings["proxies"])}

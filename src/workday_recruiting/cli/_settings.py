"""Where and how to connect: flags over ``WORKDAY_*`` variables over a TOML config file, and the one client builder.

A config file is read only when it is safe to trust (see :func:`load_config`). :func:`client_arguments` makes the
ISU-or-OAuth choice once, for :func:`build_client` and the setup check alike.
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, TextIO

import attrs

from .._config import Timeouts
from .._errors import ConfigurationError

#: Setting -> environment variable.
ENVIRONMENT: Final[Mapping[str, str]] = {
    "wsdl_url": "WORKDAY_WSDL_URL",
    "username": "WORKDAY_USERNAME",
    "password": "WORKDAY_PASSWORD",
    "client_id": "WORKDAY_CLIENT_ID",
    "client_secret": "WORKDAY_CLIENT_SECRET",
    "refresh_token": "WORKDAY_REFRESH_TOKEN",
    "token_url": "WORKDAY_TOKEN_URL",
}
_SECRETS: Final = frozenset({"password", "client_secret", "refresh_token"})
_CONFIG_KEYS: Final = frozenset({*ENVIRONMENT, "timeout", "allow_insecure_http"})
_DEFAULT_PROFILE: Final = "default"
#: The longest ``--timeout`` (a day): beyond it a socket timeout overflows the platform's time_t.
MAX_TIMEOUT: Final = 86400.0
#: The most requests in flight ``--concurrency`` allows (a tenant is shared with the customer's other integrations).
MAX_CONCURRENCY: Final = 64


def valid_timeout(value: float) -> bool:
    """Whether ``value`` is a usable timeout: above 0 and at most :data:`MAX_TIMEOUT` (not nan or inf)."""
    return math.isfinite(value) and 0 < value <= MAX_TIMEOUT


def default_config_path(environ: Mapping[str, str]) -> Path:
    """``$WORKDAY_CONFIG``, else ``$XDG_CONFIG_HOME/workday-recruiting/config.toml`` (``~/.config`` by default)."""
    if environ.get("WORKDAY_CONFIG"):
        return Path(environ["WORKDAY_CONFIG"]).expanduser()
    base = Path(environ["XDG_CONFIG_HOME"]) if environ.get("XDG_CONFIG_HOME") else Path.home() / ".config"
    return base / "workday-recruiting" / "config.toml"


def _toml() -> Any:
    return importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")


def load_config(path: Path, profile: str, *, explicit: bool) -> dict[str, Any]:
    """The settings of one profile of a TOML config file.

    Top-level keys apply to every profile; a table ``[name]`` holds a profile's own keys.

    On POSIX the file must be safe to trust: a file other users can write (they could point ``wsdl_url`` at a
    server of theirs, which would receive the credentials) or that another user owns is refused, and so is a file
    holding a secret that anyone but its owner can read or write. Each refusal names the fix.

    Raises:
        ConfigurationError: The file is missing (when given explicitly), unreadable, unsafe (see above), not TOML,
            or names an unknown key or profile.
    """
    if not path.exists():
        if explicit:
            raise ConfigurationError(f"the config file {path} does not exist")
        return {}
    try:
        with path.open("rb") as handle:
            # The mode and owner of the very file read (not of whatever the path names a moment later).
            status = os.fstat(handle.fileno())
            raw = handle.read()
    except OSError as exc:
        raise ConfigurationError(f"cannot read the config file {path}: {exc.strerror}") from None
    _check_trusted(path, status)
    try:
        data = _toml().loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"the config file {path} is not valid TOML: {exc}") from None
    values = {key: value for key, value in data.items() if not isinstance(value, dict)}
    profiles = {key: value for key, value in data.items() if isinstance(value, dict)}
    if profile in profiles:
        values.update(profiles[profile])
    elif profile != _DEFAULT_PROFILE:
        known = ", ".join(sorted(profiles)) or "none"
        raise ConfigurationError(f"the config file {path} has no profile [{profile}] (profiles: {known})")
    unknown = sorted(set(values) - _CONFIG_KEYS)
    if unknown:
        raise ConfigurationError(
            f"unknown key(s) {', '.join(unknown)} in {path}; the keys are {', '.join(sorted(_CONFIG_KEYS))}"
        )
    held = sorted({key for key in data if key in _SECRETS} | {k for t in profiles.values() for k in t if k in _SECRETS})
    if held and os.name == "posix" and status.st_mode & 0o077:
        raise ConfigurationError(
            f"the config file {path} holds a secret ({', '.join(held)}) and other users have access to it "
            f"(mode {stat.S_IMODE(status.st_mode):03o}); run: chmod 600 {path}"
        )
    _check_values(path, values)
    return values


def _check_trusted(path: Path, status: os.stat_result) -> None:
    """Refuse a config file that someone else can change: writable by group or others, or another user's."""
    if os.name != "posix":
        return
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ConfigurationError(
            f"the config file {path} can be changed by other users (mode {stat.S_IMODE(status.st_mode):03o}): "
            f"they could point wsdl_url at a server of theirs; run: chmod 600 {path}"
        )
    if status.st_uid not in (0, os.geteuid()):
        raise ConfigurationError(
            f"the config file {path} belongs to another user (uid {status.st_uid}); use a config file of your own"
        )


def _check_values(path: Path, values: Mapping[str, Any]) -> None:
    """Refuse config values of the wrong type (``timeout = 0``, ``allow_insecure_http = "no"``)."""
    timeout = values.get("timeout")
    number = isinstance(timeout, (int, float)) and not isinstance(timeout, bool)
    if timeout is not None and not (number and valid_timeout(timeout)):
        raise ConfigurationError(
            f"timeout in {path} must be a number of seconds above 0 and at most {MAX_TIMEOUT:g} (got {timeout!r})"
        )
    insecure = values.get("allow_insecure_http")
    if insecure is not None and not isinstance(insecure, bool):
        raise ConfigurationError(f"allow_insecure_http in {path} must be true or false (got {insecure!r})")


@attrs.frozen
class Settings:
    """Where and how to connect, merged from flags, environment and config file (secrets hidden from repr)."""

    wsdl_url: str | None = None
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = attrs.field(default=None, repr=False)
    refresh_token: str | None = attrs.field(default=None, repr=False)
    token_url: str | None = None
    timeout: float | None = None
    allow_insecure_http: bool = False
    concurrency: int | None = None

    @property
    def oauth(self) -> bool:
        """True when an OAuth client id is configured."""
        return bool(self.client_id)

    def secrets(self) -> list[str]:
        """The secret values (for log redaction)."""
        return [s for s in (self.password, self.client_secret, self.refresh_token) if s]

    def validate(self) -> None:
        """Refuse missing or contradictory credentials, naming the variables that provide them."""
        if not self.wsdl_url:
            raise ConfigurationError(
                "no WSDL URL: pass --wsdl-url, set WORKDAY_WSDL_URL, or put wsdl_url in the config file"
            )
        if self.oauth:
            if self.username or self.password:
                raise ConfigurationError(
                    "both ISU (username/password) and OAuth (client id) credentials are configured; keep one"
                )
            missing = [ENVIRONMENT[k] for k in ("client_secret", "refresh_token") if not getattr(self, k)]
            if missing:
                raise ConfigurationError(f"OAuth needs {' and '.join(missing)} (or the config file's keys)")
            return
        if not self.username:
            raise ConfigurationError(
                "no credentials: set WORKDAY_USERNAME and WORKDAY_PASSWORD (or --username and --password-stdin), "
                "or WORKDAY_CLIENT_ID, WORKDAY_CLIENT_SECRET and WORKDAY_REFRESH_TOKEN for OAuth"
            )
        if not self.password:
            raise ConfigurationError(
                "no password: pipe it to --password-stdin, set WORKDAY_PASSWORD, or put it in the config file"
            )

    def client_arguments(self) -> dict[str, Any]:
        """The keyword arguments of a client (and of the setup check) for these settings, validated first.

        With a client id: the OAuth credentials (:meth:`RecruitingClient.from_oauth`), else the ISU's user name and
        password; then the URL and the options (timeouts, concurrency, plain http).

        Raises:
            ConfigurationError: See :meth:`validate`.
        """
        self.validate()
        if self.oauth:
            credentials = {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "refresh_token": self.refresh_token,
                "token_url": self.token_url,
            }
        else:
            credentials = {"username": self.username, "password": self.password}
        arguments: dict[str, Any] = {
            "wsdl_url": self.wsdl_url,
            **credentials,
            "allow_insecure_http": self.allow_insecure_http,
        }
        if self.timeout is not None:
            arguments["timeouts"] = Timeouts(connect=min(10.0, self.timeout), read=self.timeout)
        if self.concurrency is not None:
            arguments["max_concurrency"] = self.concurrency
        return arguments


def resolve_settings(args: argparse.Namespace, environ: Mapping[str, str], stdin: TextIO) -> Settings:
    """Merge flags over environment variables over the config file."""
    explicit = args.config is not None
    path = Path(args.config).expanduser() if explicit else default_config_path(environ)
    profile = args.profile or environ.get("WORKDAY_PROFILE") or _DEFAULT_PROFILE
    config = load_config(path, profile, explicit=explicit or bool(args.profile))
    values: dict[str, Any] = {}
    for key, variable in ENVIRONMENT.items():
        flag = getattr(args, key, None)
        if flag:
            values[key] = flag
        elif environ.get(variable):
            values[key] = environ[variable]
        elif config.get(key) is not None:
            values[key] = str(config[key])
    if args.password_stdin and args.client_secret_stdin:
        raise ConfigurationError("--password-stdin and --client-secret-stdin both read stdin; use one")
    if args.password_stdin or args.client_secret_stdin:
        line = stdin.readline().rstrip("\r\n")
        if not line:
            raise ConfigurationError("nothing was read from stdin")
        values["client_secret" if args.client_secret_stdin else "password"] = line
    timeout = args.timeout if args.timeout is not None else config.get("timeout")
    insecure = args.allow_insecure_http or bool(config.get("allow_insecure_http", False))
    try:
        return Settings(
            **values,
            timeout=float(timeout) if timeout is not None else None,
            allow_insecure_http=insecure,
            concurrency=args.concurrency,
        )
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"invalid setting: {exc}") from None


def build_client(settings: Settings) -> Any:
    """A :class:`RecruitingClient` for the settings: :meth:`RecruitingClient.from_oauth` with a client id, else ISU."""
    from .._client import RecruitingClient

    arguments = settings.client_arguments()
    return RecruitingClient.from_oauth(**arguments) if settings.oauth else RecruitingClient(**arguments)

"""``workday-recruiting interviews watch``: JSON Lines acknowledged once printed, resumable, stopped cleanly by
SIGTERM or Ctrl-C; with ``--webhook-url`` a signed push whose dead letters ``interviews dead-letters`` lists and
``interviews redeliver`` queues again; secrets only from the environment or stdin, never shown.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from test_webhooks import SECRET, Receiver
from workday_recruiting import RecruitingClient
from workday_recruiting.cli import main
from workday_recruiting.feed import PAYLOAD_SCHEMA
from workday_recruiting.testing import FakeTenant

Factory = Callable[..., FakeTenant]
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def tenant(fake_tenant_factory: Factory) -> FakeTenant:
    return fake_tenant_factory(candidates=300)


@pytest.fixture
def env(tenant: FakeTenant, tmp_path: Path) -> dict[str, str]:
    return {
        "WORKDAY_WSDL_URL": tenant.wsdl_url,
        "WORKDAY_USERNAME": tenant.username,
        "WORKDAY_PASSWORD": tenant.password,
        "XDG_CONFIG_HOME": str(tmp_path / "config-home"),
    }


@pytest.fixture
def state(tmp_path: Path) -> str:
    return str(tmp_path / "feed.sqlite")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], env: dict[str, str]) -> Run:
    def run(*argv: str, environ: Mapping[str, str] | None = None, stdin: str = "") -> tuple[int, str, str]:
        code = main(list(argv), environ=env if environ is None else environ, stdin=io.StringIO(stdin))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def _window(tenant: FakeTenant) -> set[str | None]:
    with RecruitingClient(wsdl_url=tenant.wsdl_url, username=tenant.username, password=tenant.password) as client:
        return {s.session.wid for s in client.interviews.upcoming(days=14)}


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


# -- printing ------------------------------------------------------------------------------------------------------


def test_watch_once_prints_every_session_of_the_window_then_only_what_changed(
    cli: Run, tenant: FakeTenant, state: str
) -> None:
    """The first run prints each session as a 'scheduled' JSON line; the next prints nothing (acknowledged); after
    an interview moves, its sessions come as 'rescheduled'."""
    code, out, err = cli("interviews", "watch", "--state", state, "--once")
    assert code == 0, err
    first = _lines(out)
    assert {line["data"]["session_wid"] for line in first} == _window(tenant)
    assert {line["type"] for line in first} == {"interview.scheduled"} and first[0]["schema"] == PAYLOAD_SCHEMA
    assert "printing JSON Lines" in err

    code, out, _ = cli("interviews", "watch", "--state", state, "--once")
    assert (code, out) == (0, "")

    moved = first[0]["data"]["interview_wid"]
    tenant.dataset.move_interview(moved, timedelta(hours=2))
    code, out, _ = cli("interviews", "watch", "--state", state, "--once")
    later = _lines(out)
    assert later and {line["type"] for line in later} == {"interview.rescheduled"}
    assert {line["data"]["interview_wid"] for line in later} == {moved}


class _GoneReader(io.StringIO):
    """A stdout whose reader has gone: writes are buffered, the flush fails with a broken pipe."""

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_changes_whose_printing_failed_are_printed_again_by_the_next_run(
    cli: Run, env: dict[str, str], state: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When stdout cannot be flushed (the reader went away), nothing is acknowledged: exit 141, and the next run
    prints every change again, with the same IDs."""
    monkeypatch.setattr(sys, "stdout", _GoneReader())
    assert main(["interviews", "watch", "--state", state, "--once"], environ=env, stdin=io.StringIO()) == 141
    lost = [json.loads(line)["id"] for line in sys.stdout.getvalue().splitlines()]
    monkeypatch.undo()
    code, out, _ = cli("interviews", "watch", "--state", state, "--once")
    assert code == 0 and lost and [line["id"] for line in _lines(out)] == lost


# -- stopping ------------------------------------------------------------------------------------------------------


class _Process:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        full = {k: v for k, v in os.environ.items() if not k.startswith("WORKDAY_")}
        full.update(env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "workday_recruiting", *argv],
            env=full,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self._threads = [
            threading.Thread(target=lambda: self.out.extend(self.process.stdout or ()), daemon=True),
            threading.Thread(target=lambda: self.err.extend(self.process.stderr or ()), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.process.poll() is None, f"exited early: {''.join(self.err)}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}: {''.join(self.err)}"
            time.sleep(0.05)

    def finish(self, sig: int | None = None) -> int:
        if sig is not None:
            self.process.send_signal(sig)
        code = self.process.wait(60)
        for thread in self._threads:
            thread.join(5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return code


@pytest.fixture
def slow_tenant(fake_tenant_factory: Factory) -> FakeTenant:
    """A tenant answering each request after 0.15 s, so a poll lasts a few seconds."""
    return fake_tenant_factory(candidates=300, latency=0.15)


def _env_of(tenant: FakeTenant, tmp_path: Path) -> dict[str, str]:
    return {
        "WORKDAY_WSDL_URL": tenant.wsdl_url,
        "WORKDAY_USERNAME": tenant.username,
        "WORKDAY_PASSWORD": tenant.password,
        "XDG_CONFIG_HOME": str(tmp_path / "config-home"),
    }


def test_sigterm_during_a_poll_finishes_it_prints_acknowledges_and_exits_0(
    slow_tenant: FakeTenant, tmp_path: Path, cli: Run
) -> None:
    """SIGTERM while the first poll runs: the poll completes, its changes are printed and acknowledged, exit 0."""
    env = _env_of(slow_tenant, tmp_path)
    state = str(tmp_path / "feed.sqlite")
    watch = _Process(["interviews", "watch", "--state", state, "--interval", "300"], env)
    watch.wait_for(lambda: any("Watching" in line for line in watch.err), "the start")
    time.sleep(0.5)  # inside the first poll (it takes seconds against this tenant)
    assert watch.out == []
    code = watch.finish(signal.SIGTERM)
    assert code == 0, "".join(watch.err)
    assert {json.loads(line)["data"]["session_wid"] for line in watch.out} == _window(slow_tenant)
    assert "stopped" in "".join(watch.err)
    assert cli("interviews", "watch", "--state", state, "--once", environ=env)[1] == ""


def test_ctrl_c_during_a_poll_abandons_it_exits_130_and_loses_nothing(
    slow_tenant: FakeTenant, tmp_path: Path, cli: Run
) -> None:
    """SIGINT while the first poll runs: it is abandoned (nothing printed, nothing written), exit 130; the next run
    prints the whole window."""
    env = _env_of(slow_tenant, tmp_path)
    state = str(tmp_path / "feed.sqlite")
    watch = _Process(["interviews", "watch", "--state", state, "--interval", "300"], env)
    watch.wait_for(lambda: any("Watching" in line for line in watch.err), "the start")
    time.sleep(0.5)
    code = watch.finish(signal.SIGINT)
    assert code == 130 and watch.out == [], "".join(watch.err)
    assert "interrupted" in "".join(watch.err) and "Traceback" not in "".join(watch.err)
    code, out, _ = cli("interviews", "watch", "--state", state, "--once", environ=env)
    assert code == 0 and {line["data"]["session_wid"] for line in _lines(out)} == _window(slow_tenant)


def test_sigterm_while_waiting_for_the_next_poll_exits_0_at_once(tenant: FakeTenant, tmp_path: Path) -> None:
    """Between two polls, SIGTERM ends the watch right away (it does not wait out the interval)."""
    watch = _Process(
        ["interviews", "watch", "--state", str(tmp_path / "f.sqlite"), "--interval", "300"], _env_of(tenant, tmp_path)
    )
    watch.wait_for(lambda: len(watch.out) >= len(_window(tenant)), "the first batch")
    assert watch.finish(signal.SIGTERM) == 0


# -- pushing -------------------------------------------------------------------------------------------------------


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def test_watch_pushes_each_change_to_the_webhook_signed(
    cli: Run, env: dict[str, str], state: str, receiver: Receiver, tenant: FakeTenant
) -> None:
    """With --webhook-url and WORKDAY_WEBHOOK_SECRET: each change is one signed POST, nothing on stdout."""
    code, out, err = cli(
        "interviews", "watch", "--state", state, "--once", "--webhook-url", receiver.url,
        environ={**env, "WORKDAY_WEBHOOK_SECRET": SECRET},
    )  # fmt: skip
    assert code == 0, err
    assert out == ""
    assert all(r.verified for r in receiver.received)
    assert {r.payload["data"]["session_wid"] for r in receiver.received} == _window(tenant)
    assert f"{len(receiver.received)} delivered" in err and SECRET not in err


def test_the_secret_can_be_piped(cli: Run, state: str, receiver: Receiver) -> None:
    """--webhook-secret-stdin reads the secret from stdin instead."""
    code, _, err = cli(
        "interviews", "watch", "--state", state, "--once", "--webhook-url", receiver.url, "--webhook-secret-stdin",
        stdin=SECRET + "\n",
    )  # fmt: skip
    assert code == 0, err
    assert receiver.received and all(r.verified for r in receiver.received)


def test_dead_letters_are_listed_and_sent_again(cli: Run, env: dict[str, str], state: str, receiver: Receiver) -> None:
    """A receiver answering 410 makes every change a dead letter; dead-letters lists them (table and JSON);
    redeliver --all queues them; the next watch delivers them."""
    pushing = {**env, "WORKDAY_WEBHOOK_SECRET": SECRET}
    receiver.behave = lambda n, i: "410"
    push = ("interviews", "watch", "--state", state, "--once", "--webhook-url", receiver.url)
    code, _, err = cli(*push, environ=pushing)
    assert code == 0 and "dead letter" in err
    code, out, err = cli("interviews", "dead-letters", "--state", state)
    refused = {r.id for r in receiver.received}
    assert code == 0 and out.startswith("ID") and f"{len(refused)} dead letters" in err and "HTTP 410" in out
    code, out, _ = cli("interviews", "dead-letters", "--state", state, "--json")
    letters = _lines(out)
    assert {letter["id"] for letter in letters} == refused and letters[0]["last_error"] == "HTTP 410"

    receiver.behave = lambda n, i: "ok"
    code, _, err = cli("interviews", "redeliver", "--state", state, "--all")
    assert code == 0 and f"{len(refused)} changes queued" in err
    code, _, err = cli(*push, environ=pushing)
    assert code == 0 and set(receiver.acknowledged_ids()) == refused
    assert cli("interviews", "dead-letters", "--state", state, "--json")[1] == ""


def test_redeliver_needs_ids_or_all_and_says_which_ids_are_unknown(cli: Run, state: str) -> None:
    """Neither IDs nor --all is a usage error; an ID not in the outbox exits 1 naming how many; a missing state is
    refused rather than created."""
    assert cli("interviews", "redeliver", "--state", state)[0] == 2
    assert not Path(state).exists()
    assert cli("interviews", "watch", "--state", state, "--once")[0] == 0
    code, _, err = cli("interviews", "redeliver", "--state", state, "ic_nope")
    assert code == 1 and "1 of the IDs are not in the outbox" in err


# -- settings and secrets ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "environ", "words"),
    [
        (["--webhook-url", "https://hooks.example.com/x"], {}, ["WORKDAY_WEBHOOK_SECRET"]),
        (
            ["--webhook-url", "http://hooks.example.com/x"],
            {"WORKDAY_WEBHOOK_SECRET": SECRET},
            ["--allow-insecure-http"],
        ),
        (["--webhook-url", "https://hooks.example.com/x"], {"WORKDAY_WEBHOOK_SECRET": "whsec_bad!"}, ["whsec_"]),
        (["--listen", "127.0.0.1:0"], {}, ["--notification-user", "WORKDAY_NOTIFICATION_PASSWORD"]),
        (["--notification-user", "wd"], {}, ["--listen"]),
        (["--webhook-secret-stdin"], {}, ["--webhook-url"]),
        (["--webhook-secret-stdin", "--password-stdin", "--webhook-url", "https://h.example.com/"], {}, ["stdin"]),
    ],
)
def test_incomplete_or_unsafe_push_settings_are_one_line_exit_2(
    cli: Run, env: dict[str, str], state: str, argv: list[str], environ: dict[str, str], words: list[str]
) -> None:
    """A webhook without its secret, plain http beyond loopback, a malformed secret, a listener without its
    credentials, two secrets from stdin: one error line, exit 2, nothing sent or created."""
    code, out, err = cli(
        "interviews", "watch", "--state", state, "--once", *argv, environ={**env, **environ}, stdin="x\ny\n"
    )
    assert code == 2 and out == "", err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workday-recruiting: error: "), err
    for word in words:
        assert word in lines[0]
    assert "whsec_bad!" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--webhook-secret", SECRET],
        [f"--webhook-secret={SECRET}"],
        [f"--webhook-secret-stdin={SECRET}"],
        ["--notification-password", "hunter22"],
        ["--listen", "nonsense"],
    ],
)
def test_secrets_on_the_command_line_are_refused_without_being_echoed(cli: Run, state: str, argv: list[str]) -> None:
    """No secret is a flag: refused (exit 2) in a line that does not repeat it."""
    code, out, err = cli("interviews", "watch", "--state", state, *argv)
    assert code == 2 and out == ""
    assert SECRET not in err and "hunter22" not in err


def test_no_secret_shows_in_debug_output_even_when_deliveries_fail(
    cli: Run, env: dict[str, str], state: str, receiver: Receiver
) -> None:
    """--debug with a failing receiver: the log and the error lines never hold the webhook secret (nor its key)."""
    receiver.behave = lambda n, i: "echo"
    code, out, err = cli(
        "--debug", "interviews", "watch", "--state", state, "--once", "--webhook-url", receiver.url,
        environ={**env, "WORKDAY_WEBHOOK_SECRET": SECRET},
    )  # fmt: skip
    assert code == 0 and "dead letter" in err
    assert SECRET not in out + err and SECRET.removeprefix("whsec_") not in out + err

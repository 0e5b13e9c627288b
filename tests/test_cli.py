"""The ``workday-recruiting`` command line, run in-process against FakeTenant (and once as a real subprocess)."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from workday_recruiting import RecruitingClient, __version__
from workday_recruiting._export import CSV_COLUMNS, export, state_path
from workday_recruiting.cli import main
from workday_recruiting.testing import ALL_DOMAINS, MANAGE_CANDIDATES, FakeTenant

Factory = Callable[..., FakeTenant]
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def tenant(fake_tenant_factory: Factory) -> FakeTenant:
    """A tenant of 40 candidates."""
    return fake_tenant_factory(candidates=40)


@pytest.fixture
def env(tenant: FakeTenant, tmp_path: Path) -> dict[str, str]:
    """The environment of an ISU on the tenant (no config file: XDG_CONFIG_HOME is an empty folder)."""
    return {
        "WORKDAY_WSDL_URL": tenant.wsdl_url,
        "WORKDAY_USERNAME": tenant.username,
        "WORKDAY_PASSWORD": tenant.password,
        "XDG_CONFIG_HOME": str(tmp_path / "config-home"),
    }


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], env: dict[str, str]) -> Run:
    """Run ``main(argv)`` with the tenant's environment (or another one); return (exit code, stdout, stderr)."""

    def run(*argv: str, environ: Mapping[str, str] | None = None, stdin: str | None = None) -> tuple[int, str, str]:
        code = main(list(argv), environ=env if environ is None else environ, stdin=io.StringIO(stdin or ""))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of ``text`` parsed as JSON."""
    return [json.loads(line) for line in text.splitlines()]


def closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def assert_one_error_line(err: str, *words: str) -> None:
    """stderr is exactly one 'workday-recruiting: error:' line containing ``words``, without a traceback."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("workday-recruiting: error: ") and "Traceback" not in err
    for word in words:
        assert word in lines[0]


# -- basics --------------------------------------------------------------------------------------------------------


def test_version(cli: Run) -> None:
    """--version prints the package version and exits 0."""
    code, out, _ = cli("--version")
    assert code == 0 and out.strip() == f"workday-recruiting {__version__}"


@pytest.mark.parametrize(
    "argv",
    [
        ("nonsense",),
        ("export", "candidates"),
        ("export", "people", "--output", "x.jsonl"),
        ("candidates", "list", "--page-size", "1000"),
    ],
)
def test_usage_errors_exit_2(cli: Run, argv: tuple[str, ...]) -> None:
    """Unknown commands, missing or invalid arguments exit 2 with argparse's message."""
    code, _, err = cli(*argv)
    assert code == 2 and "usage:" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("candidates", "list", "--max", "1", "--time", "30"),  # --timeout
        ("--time", "30", "candidates", "list", "--max", "1"),
        ("candidates", "list", "--max", "1", "--page", "5"),  # --page-size
        ("candidates", "list", "--max", "1", "--req", "R-00001"),  # --requisition
        ("candidates", "list", "--max", "1", "--no-prog"),  # --no-progress
    ],
    ids=" ".join,
)
def test_abbreviated_flags_are_refused(cli: Run, argv: tuple[str, ...]) -> None:
    """A flag is spelled out in full: a prefix of one (--time for --timeout) is not that flag; exit 2."""
    code, out, err = cli(*argv)
    assert code == 2 and out == "" and "usage:" in err and "Traceback" not in err


def test_full_flags_and_attached_values_still_work(cli: Run) -> None:
    """Without abbreviations, full flags work before or after the command, with a value attached by '=' too."""
    code, out, _ = cli("--timeout=30", "candidates", "list", "--max=1", "--page-size", "5", "--no-progress")
    assert code == 0 and "CAND-1001" in out


SECRET = "Hunter2-Secret-Value"


@pytest.mark.parametrize(
    "argv",
    [
        ("check", f"--password={SECRET}"),
        ("check", "--password", SECRET),
        ("check", f"--client-secret={SECRET}"),
        ("check", "--refresh-token", SECRET),
        ("check", f"--pass={SECRET}"),
        ("check", f"--password-stdin={SECRET}"),
        ("check", f"--client-secret-stdin={SECRET}"),
        ("check", "--client-secret-stdin", SECRET),
        ("--password-stdin", SECRET, "check"),
        ("candidates", "get", "CAND-1001", "--password-stdin", SECRET),
        ("export", "candidates", "--output", "-", "--password-stdin", SECRET, "--json"),
    ],
    ids=lambda argv: " ".join(argv).replace(SECRET, "SECRET"),
)
def test_a_secret_typed_on_the_command_line_is_refused_without_being_echoed(cli: Run, argv: tuple[str, ...]) -> None:
    """A secret flag that does not exist, or a value given to a --*-stdin flag: one line, exit 2, value not shown."""
    code, out, err = cli(*argv)
    assert code == 2 and out == ""
    assert_one_error_line(err)
    assert SECRET not in err and SECRET[:8] not in err


def test_an_unrelated_usage_error_after_a_stdin_flag_is_reported_as_usual(cli: Run) -> None:
    """A flag following --password-stdin is not a value of it: its own usage error is reported as usual."""
    code, _, err = cli("check", "--password-stdin", "--bogus")
    assert code == 2 and "usage:" in err and "unrecognized arguments: --bogus" in err


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--timeout", "0"),
        ("--timeout", "-1"),
        ("--timeout", "nan"),
        ("--timeout", "inf"),
        ("--timeout", "1e400"),
        ("--timeout", "86401"),
        ("--concurrency", "1000000000000"),
    ],
)
def test_out_of_range_numbers_are_one_usage_line(cli: Run, flag: str, value: str) -> None:
    """An impossible timeout or concurrency is refused by the parser: exit 2, no traceback, one error line."""
    code, out, err = cli("candidates", "list", "--max", "1", f"{flag}={value}")
    assert code == 2 and out == "" and "Traceback" not in err
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"workday-recruiting candidates list: error: argument {flag}: ")


# -- demo ----------------------------------------------------------------------------------------------------------


def test_demo_prints_every_upcoming_session(cli: Run) -> None:
    """The demo prints each session of the next 7 days with candidate, email, phone, requisition, people and link."""
    with FakeTenant(candidates=80, seed=3) as fake:
        with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client:
            expected = list(client.interviews.upcoming(days=7))
        secret = fake.password
    code, out, err = cli("demo", "--candidates", "80", "--seed", "3", environ={})
    assert code == 0 and err == ""
    assert out.startswith("Started FakeTenant 'acme' at http://127.0.0.1:")
    assert expected, "the seed was chosen to have sessions in the next 7 days"
    for item in expected:
        assert item.candidate.name in out and (item.candidate.primary_email or "") in out
        assert str(item.requisition.descriptor) in out and (item.meeting_url or "-") in out
        assert all(str(person) in out for person in item.interviewers)
        assert item.session.local_start.strftime("%Y-%m-%d %H:%M") in out
    assert out.count("\n  Phone ") == len(expected) and out.count("\n  Interviewers ") == len(expected)
    assert out.rstrip().endswith(
        f"{len(expected)} interview session{'s' if len(expected) != 1 else ''} in the next 7 days."
    )
    assert secret not in out + err


def test_demo_json_is_json_lines(cli: Run) -> None:
    """demo --json prints one JSON object per session (the banner goes to stderr)."""
    code, out, err = cli("demo", "--candidates", "80", "--seed", "3", "--json", environ={})
    assert code == 0 and err.startswith("Started FakeTenant")
    records = json_lines(out)
    assert records
    for record in records:
        assert record["candidate_name"] and record["email"] and record["requisition_id"].startswith("R-")
        assert record["start"] < record["end"] and record["interviewers"]


def test_demo_as_a_real_process() -> None:
    """``python -m workday_recruiting demo`` runs as its own process: exit 0, sessions on stdout, quiet stderr."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WORKDAY_")}
    done = subprocess.run(
        [sys.executable, "-m", "workday_recruiting", "demo", "--candidates", "60"],
        capture_output=True,
        text=True,
        timeout=180,
        env=environ,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Started FakeTenant") and "interview session" in done.stdout
    assert done.stderr == ""  # not a terminal: no progress bar
    with FakeTenant(candidates=60) as fake:  # the same seed: the same deterministic password
        assert fake.password not in done.stdout + done.stderr


# -- reading -------------------------------------------------------------------------------------------------------


def test_candidates_list_table_and_json(cli: Run, tenant: FakeTenant) -> None:
    """candidates list prints a table (count on stderr); --json prints one JSON object per candidate."""
    code, out, err = cli("candidates", "list", "--max", "5")
    assert code == 0 and out.splitlines()[0].split() == ["ID", "Name", "Email", "Phone", "Applications"]
    assert len(out.splitlines()) == 6 and "CAND-1001" in out and err.strip() == "5 candidates"
    code, out, _ = cli("candidates", "list", "--max", "5", "--json")
    records = json_lines(out)
    assert code == 0 and [r["candidate_id"] for r in records] == [f"CAND-{1001 + i}" for i in range(5)]
    assert tenant.password not in out


def test_candidates_get(cli: Run) -> None:
    """candidates get shows one candidate's fields and applications; --json prints its to_dict()."""
    code, out, _ = cli("candidates", "get", "CAND-1003")
    assert code == 0 and "Candidate id" in out and "CAND-1003" in out and "Application JOB_APPLICATION-" in out
    code, out, _ = cli("candidates", "get", "CAND-1003", "--json")
    assert code == 0 and json.loads(out)["candidate_id"] == "CAND-1003"


def test_not_found_is_one_line_exit_1(cli: Run) -> None:
    """A record that does not exist: one error line, no traceback, exit 1."""
    code, out, err = cli("candidates", "get", "CAND-9999")
    assert code == 1 and out == ""
    assert_one_error_line(err, "no candidate CAND-9999")


def test_applications_and_requisitions(cli: Run) -> None:
    """applications list, requisitions list and requisitions get print their records."""
    code, out, _ = cli("applications", "list", "--max", "3", "--json")
    assert code == 0 and all(r["application_id"].startswith("JOB_APPLICATION-") for r in json_lines(out))
    code, out, _ = cli("requisitions", "list", "--max", "2")
    assert code == 0 and "R-00001" in out and "R-00002" in out
    code, out, _ = cli("requisitions", "get", "R-00002")
    assert code == 0 and "Requisition id" in out and "R-00002" in out and "Hiring managers" in out


def test_interviews_upcoming(cli: Run) -> None:
    """interviews upcoming --json prints the sessions of the window as JSON Lines, sorted by start."""
    code, out, _ = cli("interviews", "upcoming", "--days", "30", "--json")
    starts = [r["start"] for r in json_lines(out)]
    assert code == 0 and starts
    assert starts == sorted(starts, key=datetime.fromisoformat)


def test_tables_show_the_id_a_filter_takes_beside_the_name(cli: Run) -> None:
    """The Status and Stage columns show the ID beside the name, and that ID is what --status and --stage take."""
    code, out, _ = cli("requisitions", "list")
    assert code == 0 and "OPEN Open" in out
    code, out, _ = cli("requisitions", "list", "--status", "OPEN")
    rows = out.splitlines()[1:]
    assert code == 0 and rows and all("OPEN Open" in row for row in rows)
    code, out, _ = cli("applications", "list", "--max", "20")
    assert code == 0 and "INTERVIEW Interview" in out
    code, out, _ = cli("candidates", "list", "--stage", "INTERVIEW", "--max", "1")
    assert code == 0 and len(out.splitlines()) == 2


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("requisitions", "list", "--status", "Open"), ("--status 'Open'", "Job_Requisition_Status_ID", "OPEN (Open)")),
        (("candidates", "list", "--stage", "Interview"), ("--stage 'Interview'", "Recruiting_Stage_ID", "INTERVIEW (")),
        (("interviews", "upcoming", "--stage", "Interview"), ("--stage 'Interview'", "INTERVIEW (Interview)")),
        (
            ("applications", "list", "--requisition", "UX Designer"),
            ("--requisition", "Job_Requisition_ID", "R-00002 ("),
        ),
        (("export", "candidates", "-o", "-", "--stage", "Review"), ("--stage 'Review'", "REVIEW (Review)")),
    ],
    ids=" ".join,
)
def test_a_name_given_to_an_id_filter_says_which_ids_the_tenant_uses(
    cli: Run, argv: tuple[str, ...], words: tuple[str, ...]
) -> None:
    """A name where a filter takes an ID: one line naming the flag, the ID type and IDs this tenant uses; exit 1."""
    code, out, err = cli(*argv)
    assert code == 1 and out == ""
    assert_one_error_line(err, "takes an ID, not a name: this tenant uses", *words)


def test_the_id_hint_without_permission_to_list_ids_still_names_the_id_type(
    cli: Run, tenant: FakeTenant, env: dict[str, str]
) -> None:
    """An ISU that may not read requisitions still learns which ID --requisition takes (no list); exit 1."""
    tenant.add_isu("ISU_NoReqs", "NoReqs-pw-1", domains=ALL_DOMAINS - {"Job Requisition Data"})
    environ = {**env, "WORKDAY_USERNAME": "ISU_NoReqs", "WORKDAY_PASSWORD": "NoReqs-pw-1"}
    code, _, err = cli("candidates", "list", "--requisition", "UX Designer", environ=environ)
    assert code == 1
    assert_one_error_line(err, "--requisition 'UX Designer' is not a Job_Requisition_ID", "takes an ID, not a name")
    assert "this tenant uses" not in err


@pytest.mark.parametrize(
    ("argv", "flag", "python"),
    [
        (("candidates", "list", "--name", "Madonna"), "pass --name 'First Last'", "('First', 'Last')"),
        (
            ("candidates", "list", "--wsdl-url", "http://example.com/ccx/service/acme/Recruiting"),
            "pass --allow-insecure-http",
            "allow_insecure_http=True",
        ),
        (
            ("candidates", "list", "--wsdl-url", "https://isu:pw@example.com/ccx/service/acme/Recruiting"),
            "--username and --password-stdin",
            "pass username and password",
        ),
        (
            ("applications", "list", "--updated-from", "2026-02-01", "--updated-to", "2026-01-01"),
            "--updated-from/--updated-to",
            "updated_from",
        ),
        (
            ("candidates", "list", "--applied-from", "2026-02-01", "--applied-to", "2026-01-01"),
            "--applied-from/--applied-to",
            "applied_from",
        ),
    ],
    ids=["one-word name", "plain http", "credentials in the URL", "updated range", "applied range"],
)
def test_errors_name_the_flag_not_the_python_argument(cli: Run, argv: tuple[str, ...], flag: str, python: str) -> None:
    """An SDK message addressed to Python code (pass allow_insecure_http=True) names the flag instead; exit 2."""
    code, _, err = cli(*argv)
    assert code == 2
    assert_one_error_line(err, flag)
    assert python not in err


def test_check_rows_name_the_flag_not_the_python_argument(cli: Run) -> None:
    """The setup check's rows speak flags too: a plain-http URL's row says --allow-insecure-http."""
    code, out, _ = cli("check", "--json", "--wsdl-url", "http://example.com/ccx/service/acme/Recruiting")
    row = next(c for c in json.loads(out)["checks"] if c["key"] == "wsdl_url")
    assert code == 1 and row["status"] == "FAIL"
    assert "--allow-insecure-http" in row["detail"] and "allow_insecure_http=True" not in row["detail"]


@pytest.mark.parametrize("argv", [("check",), ("candidates", "list")], ids=" ".join)
def test_check_and_the_commands_refuse_the_same_settings(cli: Run, env: dict[str, str], argv: tuple[str, ...]) -> None:
    """The setup check builds its connection as every command does: ISU and OAuth both configured is one error."""
    code, out, err = cli(*argv, environ={**env, "WORKDAY_CLIENT_ID": "client"})
    assert code == 2 and out == ""
    assert_one_error_line(err, "both ISU (username/password) and OAuth (client id) credentials are configured")


# -- errors and exit codes -----------------------------------------------------------------------------------------


def test_wrong_password_exits_3_without_traceback_or_secret(cli: Run, env: dict[str, str]) -> None:
    """Refused credentials: exit 3, one clear line, and the password never printed."""
    code, out, err = cli("candidates", "list", environ={**env, "WORKDAY_PASSWORD": "Wrong-Password-123"})
    assert code == 3 and out == ""
    assert_one_error_line(err, "invalid username or password")
    assert "Wrong-Password-123" not in out + err


def test_missing_domain_exits_3(cli: Run, tenant: FakeTenant, env: dict[str, str]) -> None:
    """A permission refusal exits 3 and names the domain the operation needs."""
    tenant.add_isu("ISU_Partial", "Partial-pw-1", domains=ALL_DOMAINS - {MANAGE_CANDIDATES})
    environ = {**env, "WORKDAY_USERNAME": "ISU_Partial", "WORKDAY_PASSWORD": "Partial-pw-1"}
    code, _, err = cli("candidates", "list", environ=environ)
    assert code == 3
    assert_one_error_line(err, "Manage: Candidates")


def test_missing_credentials_exit_2(cli: Run, env: dict[str, str]) -> None:
    """No user name: exit 2 and the line names the environment variables to set."""
    environ = {k: v for k, v in env.items() if k not in ("WORKDAY_USERNAME", "WORKDAY_PASSWORD")}
    code, _, err = cli("candidates", "list", environ=environ)
    assert code == 2
    assert_one_error_line(err, "WORKDAY_USERNAME", "WORKDAY_PASSWORD")


def test_malformed_url_exits_2(cli: Run, env: dict[str, str]) -> None:
    """A malformed WSDL URL is a configuration error: exit 2, one line saying what is wrong."""
    code, _, err = cli("candidates", "list", environ={**env, "WORKDAY_WSDL_URL": "ftp://example.com/x"})
    assert code == 2
    assert_one_error_line(err, "https://")


def test_debug_shows_traceback_and_redacted_log(cli: Run, env: dict[str, str]) -> None:
    """--debug adds the traceback and the SDK's DEBUG log; the password is still not shown."""
    code, _, err = cli("candidates", "list", "--debug", environ={**env, "WORKDAY_PASSWORD": "Wrong-Password-123"})
    assert code == 3
    assert "Traceback" in err and " DEBUG workday_recruiting" in err
    assert err.strip().splitlines()[-1].startswith("workday-recruiting: error:")
    assert "Wrong-Password-123" not in err


# -- credentials sources -------------------------------------------------------------------------------------------


def test_password_from_stdin(cli: Run, env: dict[str, str], tenant: FakeTenant) -> None:
    """--password-stdin reads the password from the first line of stdin."""
    environ = {k: v for k, v in env.items() if k != "WORKDAY_PASSWORD"}
    code, out, _ = cli(
        "candidates", "list", "--max", "1", "--password-stdin", environ=environ, stdin=tenant.password + "\n"
    )
    assert code == 0 and "CAND-1001" in out


def write_config(path: Path, text: str, mode: int = 0o600) -> Path:
    """Write a config file with these permissions."""
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def config_text(tenant: FakeTenant, *, url: str | None = None) -> str:
    """A config file with a wrong default profile and a working [staging] profile."""
    return (
        'wsdl_url = "https://wd5-services1.myworkday.com/ccx/service/other/Recruiting"\n'
        "[staging]\n"
        f'wsdl_url = "{url or tenant.wsdl_url}"\n'
        f'username = "{tenant.username}"\n'
        f'password = "{tenant.password}"\n'
    )


@pytest.mark.skipif(os.name != "posix", reason="file permission bits are POSIX")
def test_config_file_profile(cli: Run, tenant: FakeTenant, tmp_path: Path) -> None:
    """--config and --profile supply the URL and credentials when no flag or variable does."""
    path = write_config(tmp_path / "config.toml", config_text(tenant))
    code, out, _ = cli("candidates", "list", "--max", "1", "--config", str(path), "--profile", "staging", environ={})
    assert code == 0 and "CAND-1001" in out


@pytest.mark.skipif(os.name != "posix", reason="file permission bits are POSIX")
def test_environment_overrides_config_and_flags_override_environment(
    cli: Run, tenant: FakeTenant, tmp_path: Path
) -> None:
    """A variable beats the config file, and a flag beats the variable."""
    path = write_config(
        tmp_path / "config.toml", config_text(tenant, url="https://bad.example.com/ccx/service/x/Recruiting")
    )
    base = ["candidates", "list", "--max", "1", "--config", str(path), "--profile", "staging"]
    code, _, _ = cli(*base, environ={"WORKDAY_WSDL_URL": tenant.wsdl_url})
    assert code == 0
    code, _, err = cli(*base, "--wsdl-url", "ftp://nowhere", environ={"WORKDAY_WSDL_URL": tenant.wsdl_url})
    assert code == 2 and "ftp" in err


@pytest.mark.skipif(os.name != "posix", reason="file permission bits are POSIX")
@pytest.mark.parametrize(
    "mode",
    [0o644, 0o604, 0o640, 0o660, 0o622, 0o602, 0o620, 0o610, 0o601],
    ids=lambda mode: f"{mode:03o}",
)
def test_config_with_password_that_others_can_read_or_write_is_refused(
    cli: Run, tenant: FakeTenant, tmp_path: Path, mode: int
) -> None:
    """A config file holding a password that anyone but its owner can read or write: exit 2, 'run: chmod 600 PATH'."""
    path = write_config(tmp_path / "config.toml", config_text(tenant), mode=mode)
    code, out, err = cli("candidates", "list", "--config", str(path), "--profile", "staging", environ={})
    assert code == 2 and out == ""
    assert_one_error_line(err, str(path), f"run: chmod 600 {path}")
    assert tenant.password not in err


@pytest.mark.skipif(os.name != "posix", reason="file permission bits are POSIX")
def test_config_without_secrets_may_be_readable_but_not_writable_by_others(
    cli: Run, tenant: FakeTenant, tmp_path: Path
) -> None:
    """Without a secret, others may read the file (0644) but not change it (0664, 0646): they could move wsdl_url."""
    path = write_config(tmp_path / "config.toml", f'wsdl_url = "{tenant.wsdl_url}"\n', mode=0o644)
    assert cli("candidates", "list", "--max", "1", "--config", str(path))[0] == 0
    for mode in (0o664, 0o646):
        path.chmod(mode)
        code, _, err = cli("candidates", "list", "--max", "1", "--config", str(path))
        assert code == 2
        assert_one_error_line(err, str(path), "wsdl_url", f"run: chmod 600 {path}")


@pytest.mark.skipif(os.name != "posix", reason="file ownership is POSIX")
def test_config_owned_by_another_user_is_refused(
    cli: Run, tenant: FakeTenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A config file another (non-root) user owns is refused, whatever its mode: its owner could change it."""
    path = write_config(tmp_path / "config.toml", config_text(tenant))
    if os.geteuid() == 0:
        os.chown(path, 65534, -1)  # nobody
    else:
        monkeypatch.setattr(os, "geteuid", lambda: path.stat().st_uid + 1)  # the file as seen by another user
    code, _, err = cli("candidates", "list", "--config", str(path), "--profile", "staging", environ={})
    assert code == 2
    assert_one_error_line(err, str(path), "another user")


@pytest.mark.skipif(os.name != "posix", reason="file permission bits are POSIX")
@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("timeout = 0", ("timeout", "above 0")),
        ("timeout = -5", ("timeout", "above 0")),
        ("timeout = nan", ("timeout", "above 0")),
        ("timeout = inf", ("timeout", "above 0")),
        ('timeout = "soon"', ("timeout", "'soon'")),
        ('allow_insecure_http = "no"', ("allow_insecure_http", "true or false")),
    ],
)
def test_impossible_config_values_are_one_line_exit_2(
    cli: Run, tenant: FakeTenant, tmp_path: Path, line: str, words: tuple[str, ...]
) -> None:
    """A config value of the wrong type or out of range: one line naming the key and the file, exit 2."""
    path = write_config(tmp_path / "config.toml", f"{line}\n{config_text(tenant)}")
    code, _, err = cli("candidates", "list", "--max", "1", "--config", str(path), "--profile", "staging", environ={})
    assert code == 2
    assert_one_error_line(err, str(path), *words)


def test_config_errors_exit_2(cli: Run, tmp_path: Path) -> None:
    """A missing --config file, an unknown key and an unknown profile are configuration errors."""
    assert cli("check", "--config", str(tmp_path / "absent.toml"), environ={})[0] == 2
    path = write_config(tmp_path / "typo.toml", 'wsdl_ulr = "x"\n')
    code, _, err = cli("check", "--config", str(path), environ={})
    assert code == 2 and "wsdl_ulr" in err
    path = write_config(tmp_path / "ok.toml", 'wsdl_url = "x"\n')
    code, _, err = cli("check", "--config", str(path), "--profile", "prod", environ={})
    assert code == 2 and "no profile [prod]" in err


# -- check ---------------------------------------------------------------------------------------------------------


def test_check_passes_for_a_complete_isu(cli: Run, tenant: FakeTenant) -> None:
    """check exits 0 with 'All checks passed' and no colour when stdout is not a terminal."""
    code, out, _ = cli("check")
    assert code == 0 and "All checks passed" in out and "\x1b[" not in out
    assert tenant.password not in out


def test_check_json(cli: Run, tenant: FakeTenant, env: dict[str, str]) -> None:
    """check --json prints the report as one JSON document; a missing domain makes it fail with exit 1."""
    tenant.add_isu("ISU_Partial", "Partial-pw-1", domains=ALL_DOMAINS - {"Interview Integrations"})
    environ = {**env, "WORKDAY_USERNAME": "ISU_Partial", "WORKDAY_PASSWORD": "Partial-pw-1"}
    code, out, _ = cli("check", "--json", environ=environ)
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert [c["domain"] for c in report["checks"] if c["status"] == "FAIL"] == ["Interview Integrations"]


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        ({"WORKDAY_PASSWORD": "Wrong-Password-123"}, "credentials"),
        ({"WORKDAY_WSDL_URL": "https://wd5-services1.myworkday.com/acme/Recruiting"}, "wsdl_url"),
        ({"WORKDAY_WSDL_URL": "http://127.0.0.1:{closed}/ccx/service/acme/Recruiting"}, "wsdl_reachable"),
    ],
)
def test_check_failures_exit_1(cli: Run, env: dict[str, str], change: dict[str, str], failing: str) -> None:
    """A wrong password, a malformed URL and an unreachable host each give their failing row and exit 1."""
    change = {key: value.replace("{closed}", str(closed_port())) for key, value in change.items()}
    code, out, _ = cli("check", "--json", "--timeout", "5", environ={**env, **change})
    report = json.loads(out)
    assert code == 1
    assert next(c for c in report["checks"] if c["key"] == failing)["status"] == "FAIL"
    assert "Wrong-Password-123" not in out


def test_check_oauth_bad_secret(cli: Run, tenant: FakeTenant) -> None:
    """The OAuth variant from WORKDAY_CLIENT_* variables: a wrong secret FAILs the credentials row, exit 1."""
    oauth = tenant.oauth_client
    environ = {
        "WORKDAY_WSDL_URL": tenant.wsdl_url,
        "WORKDAY_CLIENT_ID": oauth.client_id,
        "WORKDAY_CLIENT_SECRET": "Wrong-Client-Secret",
        "WORKDAY_REFRESH_TOKEN": oauth.refresh_token,
    }
    code, out, _ = cli("check", environ=environ)
    text = " ".join(out.split())  # the table wraps to the terminal's width
    assert code == 1 and "token exchange failed" in text and "Register API Client for Integrations" in text
    assert "Wrong-Client-Secret" not in out and oauth.refresh_token not in out
    code, out, _ = cli("check", environ={**environ, "WORKDAY_CLIENT_SECRET": oauth.client_secret})
    assert code == 0, out


# -- export --------------------------------------------------------------------------------------------------------


def test_export_csv_has_the_documented_columns(cli: Run, tmp_path: Path) -> None:
    """export candidates --format csv writes the header of CSV_COLUMNS and one row per candidate."""
    output = tmp_path / "candidates.csv"
    code, _, err = cli("export", "candidates", "--format", "csv", "--output", str(output), "--page-size", "15")
    with output.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert code == 0 and rows[0] == list(CSV_COLUMNS["candidates"]) and len(rows) == 41
    assert "Exported candidates: 40 rows" in err and not state_path(output).exists()


def test_export_interviews_one_row_per_session(cli: Run, tmp_path: Path, tenant: FakeTenant) -> None:
    """Interviews: JSON Lines hold one event per line, CSV one row per session of those events."""
    jsonl, table = tmp_path / "interviews.jsonl", tmp_path / "interviews.csv"
    assert cli("export", "interviews", "--output", str(jsonl))[0] == 0
    assert cli("export", "interviews", "--format", "csv", "--output", str(table))[0] == 0
    events = json_lines(jsonl.read_text(encoding="utf-8"))
    with table.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert events and len(rows) == sum(len(e["sessions"]) for e in events)
    assert {r["interview_wid"] for r in rows} == {e["reference"]["wid"] for e in events}


def test_export_refuses_to_overwrite(cli: Run, tmp_path: Path) -> None:
    """An existing output is refused (exit 2) unless --overwrite; --resume without a state file is refused too."""
    output = tmp_path / "out.jsonl"
    output.write_text("keep me\n", encoding="utf-8")
    code, _, err = cli("export", "requisitions", "--output", str(output))
    assert code == 2 and "--resume" in err and output.read_text(encoding="utf-8") == "keep me\n"
    assert cli("export", "requisitions", "--output", str(output), "--resume")[0] == 2
    assert cli("export", "requisitions", "--output", str(output), "--overwrite")[0] == 0
    assert len(output.read_text(encoding="utf-8").splitlines()) == 10


class SimulatedCrashError(Exception):
    """Stands for a crash or Ctrl-C in the middle of an export."""


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_interrupted_export_resumes_to_the_same_file(cli: Run, tmp_path: Path, tenant: FakeTenant, fmt: str) -> None:
    """An export cut after two pages, with half a record written after the checkpoint, resumes to the exact output."""
    complete, partial = tmp_path / f"complete.{fmt}", tmp_path / f"partial.{fmt}"
    assert cli("export", "candidates", "--format", fmt, "--output", str(complete), "--page-size", "7")[0] == 0

    def stop_after_two_pages(done: int, total: int | None) -> None:
        if done >= 14:
            raise SimulatedCrashError

    client = RecruitingClient(wsdl_url=tenant.wsdl_url, username=tenant.username, password=tenant.password)
    with client, pytest.raises(SimulatedCrashError):
        export(client, "candidates", fmt, partial, page_size=7, progress=stop_after_two_pages)
    state = json.loads(state_path(partial).read_text(encoding="utf-8"))
    assert state["next_page"] == 3 and state["records"] == 14 and state["as_of"]
    with partial.open("a", encoding="utf-8") as handle:
        handle.write('{"candidate_id": "CAND-10')  # a torn write after the last checkpoint
    code, _, err = cli(
        "export", "candidates", "--format", fmt, "--output", str(partial), "--page-size", "7", "--resume"
    )
    assert code == 0 and "Resumed and finished" in err
    assert partial.read_bytes() == complete.read_bytes()
    assert not state_path(partial).exists()


def test_resume_with_other_settings_is_refused(cli: Run, tmp_path: Path, tenant: FakeTenant) -> None:
    """Resuming with another page size or format than the interrupted export is refused (exit 2)."""
    output = tmp_path / "out.jsonl"

    def stop(done: int, total: int | None) -> None:
        raise SimulatedCrashError

    client = RecruitingClient(wsdl_url=tenant.wsdl_url, username=tenant.username, password=tenant.password)
    with client, pytest.raises(SimulatedCrashError):
        export(client, "candidates", "jsonl", output, page_size=10, progress=stop)
    code, _, err = cli("export", "candidates", "--output", str(output), "--page-size", "20", "--resume")
    assert code == 2 and "page_size" in err


def test_export_to_stdout(cli: Run) -> None:
    """--output - streams JSON Lines to stdout."""
    code, out, _ = cli("export", "requisitions", "--output", "-")
    assert code == 0 and len(json_lines(out)) == 10


# -- a reader that leaves early (| head) ---------------------------------------------------------------------------


def process_environment(settings: Mapping[str, str], *, buffered: bool) -> dict[str, str]:
    """This process's environment without WORKDAY_* settings, plus ``settings``; stdout buffered or not."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WORKDAY_") and k != "PYTHONUNBUFFERED"}
    environ.update(settings)
    if not buffered:
        environ["PYTHONUNBUFFERED"] = "1"
    return environ


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_reader_closing_after_the_first_line_exits_141_quietly(
    cli: Run, fake_tenant_factory: Factory, tmp_path: Path, buffered: bool
) -> None:
    """``candidates list --json | head -1`` as a real process: exit 141 (128 + SIGPIPE), nothing on stderr."""
    fake = fake_tenant_factory(candidates=400)
    settings = {
        "WORKDAY_WSDL_URL": fake.wsdl_url,
        "WORKDAY_USERNAME": fake.username,
        "WORKDAY_PASSWORD": fake.password,
        "XDG_CONFIG_HOME": str(tmp_path / "config-home"),
    }
    code, full, _ = cli("candidates", "list", "--json", environ=settings)
    # More than the largest pipe Linux allows without privileges (1 MiB) plus the buffers on either side: the
    # process is certainly still writing when the reader leaves, so it meets the broken pipe.
    assert code == 0 and len(full.encode()) > (1 << 20) + (1 << 17)
    with subprocess.Popen(
        [sys.executable, "-m", "workday_recruiting", "candidates", "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=process_environment(settings, buffered=buffered),
    ) as process:
        assert process.stdout is not None
        first = process.stdout.readline()
        process.stdout.close()
        _, stderr = process.communicate(timeout=120)
    assert json.loads(first)["reference"]["ids"]["Candidate_ID"]  # the reader did get a first record
    assert process.returncode == 141, stderr
    assert b"Traceback" not in stderr and b"BrokenPipeError" not in stderr and b"Exception ignored" not in stderr
    assert stderr == b""


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_reader_gone_before_a_short_output_exits_141_quietly(cli: Run, env: dict[str, str], buffered: bool) -> None:
    """Output short enough to sit in stdout's buffer until exit, into a pipe nobody reads: still 141 and quiet.

    (Left to the interpreter's final flush, the broken pipe would print "Exception ignored ... BrokenPipeError" and
    exit 120.)
    """
    code, out, _ = cli("requisitions", "get", "R-00008")
    assert code == 0 and 0 < len(out.encode()) < 8192  # below io.DEFAULT_BUFFER_SIZE: written only when flushed
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes anything
    try:
        done = subprocess.run(
            [sys.executable, "-m", "workday_recruiting", "requisitions", "get", "R-00008"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=process_environment(env, buffered=buffered),
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 141, done.stderr
    assert b"Traceback" not in done.stderr and b"BrokenPipeError" not in done.stderr
    assert done.stderr == b""

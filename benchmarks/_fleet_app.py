"""The Celery application the fleet benchmark (section 7, ``_fleet.py``) runs in its worker and beat processes.

It is what an application of the SDK writes: its tenants come from its own registry (here the JSON file that
``FLEET_CONFIG`` names, written by the benchmark: each FakeTenant's WSDL URL and ISU), its sink records each
delivered change, and a ``task_postrun`` hook records each run's summary. The broker is kombu's filesystem
transport (shared by processes on one machine; production uses Redis or RabbitMQ); the state is PostgreSQL.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import kombu.transport
from celery import Celery
from celery.signals import task_postrun
from kombu.transport import filesystem
from kombu.utils.json import dumps

from workday_recruiting import RecruitingClient
from workday_recruiting.celery import POLL_TASK, FleetSettings, FleetTenant, register
from workday_recruiting.feed import InterviewChange

CONFIG = json.loads(Path(os.environ["FLEET_CONFIG"]).read_text())
OUT = Path(CONFIG["out"])
_write_lock = threading.Lock()


class _AtomicChannel(filesystem.Channel):  # type: ignore[misc]
    """kombu's filesystem channel, but a message file appears whole (written aside, then renamed into the queue's
    folder): the stock one writes it in place, and a worker reading it half-written dies on the empty JSON."""

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        aside = Path(CONFIG["broker"]).with_name("broker-writing") / name
        aside.parent.mkdir(exist_ok=True)
        aside.write_bytes(dumps(payload).encode("utf-8"))
        aside.replace(Path(self.data_folder_out) / name)


class AtomicFilesystemTransport(filesystem.Transport):  # type: ignore[misc]
    """The filesystem transport over :class:`_AtomicChannel`."""

    Channel = _AtomicChannel


kombu.transport.TRANSPORT_ALIASES["atomicfs"] = "_fleet_app:AtomicFilesystemTransport"

app = Celery("fleet-bench")
app.conf.update(
    broker_url="atomicfs://",
    broker_transport_options={
        "data_folder_in": CONFIG["broker"],
        "data_folder_out": CONFIG["broker"],
        "control_folder": str(Path(CONFIG["broker"]) / "control"),  # kombu's default is ./control, in the cwd
        "polling_interval": 0.05,
    },
    task_ignore_result=True,
    task_serializer="json",
    accept_content=["json"],
    worker_enable_remote_control=False,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
    beat_max_loop_interval=1,
)


def _append(name: str, record: dict[str, Any]) -> None:
    with _write_lock, (OUT / f"{name}-{os.getpid()}.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


def _sink(key: str, change: InterviewChange) -> None:
    _append(
        "deliveries",
        {
            "tenant": key,
            "id": change.id,
            "kind": change.kind,
            "session": change.session_wid,
            "start": change.start.isoformat(),
            "at": time.time(),
        },
    )


def tenants() -> dict[str, FleetTenant]:
    """The application's lookup: every tenant, its client (credentials read here, at run time) and its sink."""
    return {
        key: FleetTenant(
            client=functools.partial(
                RecruitingClient, wsdl_url=entry["wsdl_url"], username=entry["username"], password=entry["password"]
            ),
            sink=functools.partial(_sink, key),
        )
        for key, entry in CONFIG["tenants"].items()
    }


fleet = register(app, tenants=tenants, state=CONFIG["dsn"], settings=FleetSettings(every=CONFIG["every"]))


@task_postrun.connect
def _record(task: Any = None, retval: Any = None, **_: Any) -> None:
    if getattr(task, "name", None) == POLL_TASK and isinstance(retval, dict):
        _append("polls", {**retval, "worker": os.getpid()})

"""Run a FakeTenant in the foreground: ``python -m workday_recruiting.testing [--port N] ...``.

It prints the WSDL URL, the SOAP endpoint, the ISU log-in and an OAuth client, so that any SOAP tool
(SoapUI, zeep, curl) can be pointed at it, and runs until Ctrl-C (or SIGTERM).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from ._faults import ALL_FAULT_KINDS
from ._server import FakeTenant


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workday_recruiting.testing",
        description="Run a local fake Workday tenant serving the Recruiting web service (v45.2).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    parser.add_argument("--tenant", default="acme", help="tenant name (default: %(default)s)")
    parser.add_argument("--candidates", type=int, default=300, help="data set size (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="data set seed (default: %(default)s)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="fraction of SOAP requests given a transient fault"
    )
    parser.add_argument(
        "--fault-kinds",
        default=",".join(ALL_FAULT_KINDS),
        help="comma-separated transient faults to draw from (default: all)",
    )
    parser.add_argument("--max-page-size", type=int, default=None, help="reset connections asking for more")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Start the tenant, print how to reach it, and serve until interrupted."""
    args = _parser().parse_args(argv)
    kinds = [kind.strip() for kind in args.fault_kinds.split(",") if kind.strip()]
    try:
        tenant = FakeTenant(
            tenant=args.tenant,
            candidates=args.candidates,
            seed=args.seed,
            latency=args.latency,
            fault_rate=args.fault_rate,
            fault_kinds=kinds,
            max_page_size=args.max_page_size,
            port=args.port,
            host=args.host,
        )
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    client = tenant.oauth_client
    lines = [
        f"FakeTenant {tenant.tenant!r}: {args.candidates} candidates, seed {args.seed}",
        f"  WSDL URL:            {tenant.wsdl_url}",
        f"  SOAP endpoint:       {tenant.endpoint}",
        f"  ISU user name:       {tenant.username}",
        f"  ISU password:        {tenant.password}",
        f"  OAuth token URL:     {tenant.token_url}",
        f"  OAuth client id:     {client.client_id}",
        f"  OAuth client secret: {client.client_secret}",
        f"  OAuth refresh token: {client.refresh_token}",
        "Press Ctrl-C to stop.",
    ]
    print("\n".join(lines), flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        tenant.close()
    print("FakeTenant stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m workday_recruiting``: the command line (the same as the ``workday-recruiting`` script)."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())

"""The one clock that decides what "now" is for every output.

Tests (and editors previewing a scheduled post) fix it with the ``NEWSROOM_NOW``
environment variable, an ISO 8601 date-time; a value without a zone is read in
Vietnam's time zone.
"""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ENV_VAR = "NEWSROOM_NOW"


def now() -> datetime:
    fixed = os.environ.get(ENV_VAR)
    if not fixed:
        return datetime.now(TZ)
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        raise ValueError(f"{ENV_VAR}={fixed!r} is not an ISO 8601 date-time, e.g. 2024-05-01T08:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=TZ)

"""The one clock that decides what "now" is for every output.

Tests (and editors previewing a scheduled post) fix it with the ``NEWSROOM_NOW``
environment variable, an ISO 8601 date-time; a value without a zone is read in
Vietnam's time zone.
"""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

from .problems import Problem, Problems
from .text import visible

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ENV_VAR = "NEWSROOM_NOW"
# The years a date (an article's or this clock's) may have: see ``dates._check_year``.
FIRST_YEAR, LAST_YEAR = 1000, 9998


def now() -> datetime:
    """The build's moment; raises ``Problems`` (at "environment:1") for a ``NEWSROOM_NOW`` it cannot use."""
    fixed = os.environ.get(ENV_VAR)
    if not fixed:
        return datetime.now(TZ)
    try:
        moment = datetime.fromisoformat(fixed.strip())
    except ValueError:
        raise _problem(f'"{visible(fixed)}" is not an ISO 8601 date-time') from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=TZ)
    try:  # the same years as an article's date (dates.py), in Vietnam time too
        shown_year = moment.astimezone(TZ).year
    except (OverflowError, ValueError):
        shown_year = moment.year
    if not (FIRST_YEAR <= moment.year <= LAST_YEAR and FIRST_YEAR <= shown_year <= LAST_YEAR):
        raise _problem(f'"{fixed}" is outside the years {FIRST_YEAR} to {LAST_YEAR}')
    return moment


def _problem(message: str) -> Problems:
    return Problems([Problem("environment", 1, ENV_VAR, message, "write e.g. 2024-05-01T08:00")])

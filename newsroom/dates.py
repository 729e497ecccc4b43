"""Article dates: as precise as the editor knew them, shown Vietnamese style."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, time, timedelta, timezone

from babel.dates import format_date, format_time

from .clock import FIRST_YEAR, LAST_YEAR, TZ

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

MONTH, DAY, MINUTE = "month", "day", "minute"
_PLAIN_TZ = timezone(timedelta(hours=7), "ICT")


@dataclass(frozen=True, order=True)
class PostDate:
    """A moment (start of the month or day when only those are known)."""

    moment: datetime
    precision: str

    @property
    def year(self) -> int:
        return self.moment.year

    @property
    def month(self) -> int:
        return self.moment.month

    @cached_property
    def timestamp(self) -> float:
        """Seconds since the epoch, for sorting and distances in time."""
        return self.moment.timestamp()

    @property
    def iso(self) -> str:
        return self.moment.isoformat()

    # Formatting with Babel costs tens of microseconds, and a date is shown on
    # many pages (its article, listings, related links): format it once.
    @cached_property
    def short(self) -> str:
        """"15/4/2022", or "tháng 4/2022" when only the month is known."""
        if self.precision == MONTH:
            return format_date(self.moment, "MMMM/y", locale="vi")
        return format_date(self.moment, "d/M/y", locale="vi")

    @cached_property
    def long(self) -> str:
        """"Thứ Sáu, 15/4/2022", with the time when it was given."""
        if self.precision == MONTH:
            return self.short
        text = format_date(self.moment, "EEEE, d/M/y", locale="vi")
        if self.precision == MINUTE:
            text += ", " + format_time(self.moment, "HH:mm", locale="vi")
        return text

    @property
    def w3c(self) -> str:
        """A complete date or date-time (sitemaps and feeds need one)."""
        return self.moment.date().isoformat() if self.precision != MINUTE else self.moment.isoformat()

    @property
    def machine(self) -> str:
        """For ``<time datetime>``: as precise as known, no more."""
        if self.precision == MONTH:
            return f"{self.year:04}-{self.month:02}"
        if self.precision == DAY:
            return self.moment.date().isoformat()
        return self.moment.isoformat(timespec="minutes")


def parse(text: str) -> PostDate:
    """``YYYY-MM``, ``YYYY-MM-DD`` or an ISO date-time (no zone: Vietnam time).

    Raises ``DateError`` (a ``ValueError``) with a message and a hint fit for an editor.
    """
    text = str(text).strip()
    if match := _MONTH.match(text):
        year, month = map(int, match.groups())
        return PostDate(_moment(year, month, 1, text), MONTH)
    if match := _DAY.match(text):
        year, month, day = map(int, match.groups())
        return PostDate(_moment(year, month, day, text), DAY)
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise DateError(f'"{text}" is not a date') from None
    _check_year(moment.year, text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    try:  # a zone far from Vietnam's can carry the first or last day past datetime's range
        moment = moment.astimezone(TZ)
    except (OverflowError, ValueError):
        raise DateError(_outside(text), YEAR_HINT) from None
    _check_year(moment.year, text)  # as the site shows it, in Vietnam time
    return PostDate(_whole_minutes(moment), MINUTE)


def _moment(year: int, month: int, day: int, text: str) -> datetime:
    _check_year(year, text)
    try:
        return _whole_minutes(datetime.combine(date(year, month, day), time(), tzinfo=TZ))
    except ValueError as error:
        raise DateError(f'"{text}" is not a real date ({error})') from None


DATE_HINT = "write YYYY-MM-DD, YYYY-MM or YYYY-MM-DD HH:MM, e.g. 2022-04-15"
YEAR_HINT = f"write a year from {FIRST_YEAR} to {LAST_YEAR}, e.g. 2022-04-15"


class DateError(ValueError):
    """A date the site cannot use; ``hint`` says what to write instead."""

    def __init__(self, message: str, hint: str = DATE_HINT):
        super().__init__(message)
        self.hint = hint


# Years 1 and 9999 are datetime's edges: a zone, a timestamp or a feed's date
# arithmetic could step past them. A year's margin keeps every output safe.
def _check_year(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(_outside(text), YEAR_HINT)


def _whole_minutes(moment: datetime) -> datetime:
    """Until 1911 Vietnam's zone was local mean time, +07:06:30; feeds, sitemaps
    and ``<time>`` take an offset in whole minutes: keep the time, say +07:00."""
    offset = moment.utcoffset()
    if offset is not None and offset.seconds % 60:
        return moment.replace(tzinfo=_PLAIN_TZ)
    return moment


def _outside(text: str) -> str:
    return f'"{text}" is outside the years {FIRST_YEAR} to {LAST_YEAR} that the site can handle'

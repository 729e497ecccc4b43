"""Article dates: as precise as the editor knew them, shown Vietnamese style."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, time

from babel.dates import format_date, format_time

from .clock import TZ

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

MONTH, DAY, MINUTE = "month", "day", "minute"


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

    Raises ``ValueError`` with a message fit for an editor.
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
        raise ValueError(f'"{text}" is not a date') from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    return PostDate(moment.astimezone(TZ), MINUTE)


def _moment(year: int, month: int, day: int, text: str) -> datetime:
    try:
        return datetime.combine(date(year, month, day), time(), tzinfo=TZ)
    except ValueError as error:
        raise ValueError(f'"{text}" is not a real date ({error})') from None


DATE_HINT = "write YYYY-MM-DD, YYYY-MM or YYYY-MM-DD HH:MM, e.g. 2022-04-15"

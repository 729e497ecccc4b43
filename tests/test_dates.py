from datetime import datetime

import pytest

from newsroom import dates
from newsroom.clock import TZ


@pytest.mark.parametrize(
    "written, precision, moment, short, long",
    [
        ("2022-04", "month", datetime(2022, 4, 1, tzinfo=TZ), "tháng 4/2022", "tháng 4/2022"),
        ("2022-04-15", "day", datetime(2022, 4, 15, tzinfo=TZ), "15/4/2022", "Thứ Sáu, 15/4/2022"),
        ("2022-04-15 08:30", "minute", datetime(2022, 4, 15, 8, 30, tzinfo=TZ), "15/4/2022", "Thứ Sáu, 15/4/2022, 08:30"),
        ("2022-04-15T01:30:00+00:00", "minute", datetime(2022, 4, 15, 8, 30, tzinfo=TZ), "15/4/2022", "Thứ Sáu, 15/4/2022, 08:30"),
    ],
)
def test_dates_keep_their_precision_and_read_vietnamese(written, precision, moment, short, long):
    parsed = dates.parse(written)
    assert (parsed.precision, parsed.moment, parsed.short, parsed.long) == (precision, moment, short, long)
    assert parsed.moment.utcoffset().total_seconds() == 7 * 3600


def test_machine_dates_are_no_more_precise_than_written():
    assert dates.parse("2022-04").machine == "2022-04"
    assert dates.parse("2022-04-15").machine == "2022-04-15"
    assert dates.parse("2022-04-15 08:30").machine == "2022-04-15T08:30+07:00"


@pytest.mark.parametrize(
    "written, message",
    [
        ("2022-13-40", '"2022-13-40" is not a real date (month must be in 1..12)'),
        ("2022-02-30", '"2022-02-30" is not a real date (day is out of range for month)'),
        ("15/4/2022", '"15/4/2022" is not a date'),
        ("2022-00", '"2022-00" is not a real date (month must be in 1..12)'),
    ],
)
def test_impossible_dates_are_explained(written, message):
    with pytest.raises(ValueError) as error:
        dates.parse(written)
    assert str(error.value) == message

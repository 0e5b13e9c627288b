"""The scalar parsers every model uses: Workday booleans, xsd:date, xsd:dateTime, counts and time zones."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workday_recruiting._errors import ResponseParseError
from workday_recruiting.models import (
    ModelParseError,
    _base,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    resolve_time_zone,
)

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", True),
        ("0", False),
        ("true", True),
        ("false", False),
        (" true ", True),
        ("\n0\t", False),
        ("TRUE", True),
        ("False", False),
    ],
)
def test_parse_bool_reads_both_spellings(text: str, expected: bool) -> None:
    """0/1 and true/false (any case, padded with whitespace) are booleans."""
    assert parse_bool(text) is expected


@pytest.mark.parametrize("text", [None, "", "   "])
def test_parse_bool_absent_is_none(text: str | None) -> None:
    """A missing or blank boolean is None, not False."""
    assert parse_bool(text) is None


@pytest.mark.parametrize("text", ["yes", "2", "t", "truee", "0 1"])
def test_parse_bool_rejects_garbage_naming_the_field(text: str) -> None:
    """Anything else raises ModelParseError naming the element and the value."""
    with pytest.raises(ModelParseError, match=r"boolean in Withdrawn: "):
        parse_bool(text, field="{urn:com.workday/bsvc}Withdrawn")


def test_model_parse_error_is_a_response_parse_error_and_a_value_error() -> None:
    """Callers catching the SDK's ResponseParseError (or ValueError) catch bad values too."""
    with pytest.raises(ResponseParseError):
        parse_bool("maybe")
    with pytest.raises(ValueError, match="maybe"):
        parse_bool("maybe")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1960-01-01", date(1960, 1, 1)),
        ("1960-01-01-07:00", date(1960, 1, 1)),
        ("1960-01-01+14:00", date(1960, 1, 1)),
        ("2024-02-29Z", date(2024, 2, 29)),
        (" 2024-06-03+01:00 ", date(2024, 6, 3)),
    ],
)
def test_parse_date_keeps_the_calendar_date_and_drops_the_offset(text: str, expected: date) -> None:
    """xsd:date with or without an offset gives the date as written."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["2024-13-01", "2023-02-29", "01/02/2024", "2024-1-1", "2024-01-01T00:00:00", "2024-01-01+25:00"]
)
def test_parse_date_rejects_impossible_or_malformed_dates(text: str) -> None:
    """An impossible day, another format or an out-of-range offset raises ModelParseError."""
    with pytest.raises(ModelParseError, match="invalid date"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-06T10:00:00Z", datetime(2024, 5, 6, 10, tzinfo=UTC)),
        ("2024-05-06T10:00:00+00:00", datetime(2024, 5, 6, 10, tzinfo=UTC)),
        (
            "2020-09-29T11:20:26.357-07:00",
            datetime(2020, 9, 29, 11, 20, 26, 357000, tzinfo=timezone(timedelta(hours=-7))),
        ),
        (
            "2024-03-05T14:30:15.123456789+05:30",
            datetime(2024, 3, 5, 14, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
        ("2024-05-06T23:59:59.5Z", datetime(2024, 5, 6, 23, 59, 59, 500000, tzinfo=UTC)),
        ("2024-12-31T24:00:00Z", datetime(2025, 1, 1, tzinfo=UTC)),
    ],
)
def test_parse_datetime_reads_offsets_and_fractions(text: str, expected: datetime) -> None:
    """Z, ±hh:mm, any number of fractional digits and 24:00:00 all read as the same instant."""
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed is not None
    assert parsed.utcoffset() == expected.utcoffset()


def test_parse_datetime_treats_a_naive_value_as_utc() -> None:
    """A dateTime without offset is read as UTC unless a zone is named."""
    assert parse_datetime("2024-04-01T10:00:00") == datetime(2024, 4, 1, 10, tzinfo=UTC)


def test_parse_datetime_reads_a_naive_value_in_the_named_zone() -> None:
    """naive_tz places an offset-less value in that zone (with its daylight-saving offset)."""
    parsed = parse_datetime("2024-05-06T13:30:00", naive_tz=ZoneInfo("America/New_York"))
    assert parsed == datetime(2024, 5, 6, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-06 10:00:00Z",
        "2024-05-06T25:00:00Z",
        "2024-05-06T24:00:01Z",
        "2024-05-06T10:00Z",
        "2024-05-06T10:00:00+1:00",
        "2024-05-06T10:00:00+15:00",
        "May 6, 2024 3:00 PM",
    ],
)
def test_parse_datetime_rejects_malformed_moments(text: str) -> None:
    """Another layout, an impossible time or offset raises ModelParseError."""
    with pytest.raises(ModelParseError, match="invalid dateTime"):
        parse_datetime(text)


@pytest.mark.parametrize("parser", [parse_bool, parse_date, parse_datetime, parse_int, parse_decimal])
@pytest.mark.parametrize("text", [None, "", " \n "])
def test_every_parser_reads_absent_values_as_none(parser: object, text: str | None) -> None:
    """Missing elements and blank text never raise: they are None."""
    assert callable(parser)
    assert parser(text) is None


@pytest.mark.parametrize(("text", "expected"), [("3", 3), ("3.00", 3), (" 12 ", 12), ("0", 0)])
def test_parse_int_reads_integral_decimals(text: str, expected: int) -> None:
    """Counts arrive as xsd:decimal; integral values become ints."""
    assert parse_int(text) == expected


@pytest.mark.parametrize("text", ["3.5", "three", "NaN", "Infinity", "1e400x"])
def test_parse_int_rejects_fractions_and_words(text: str) -> None:
    """A fractional or non-numeric count raises ModelParseError."""
    with pytest.raises(ModelParseError, match="invalid integer"):
        parse_int(text)


def test_resolve_time_zone_knows_iana_names_only() -> None:
    """Workday's Time_Zone_ID resolves through zoneinfo; unknown or unsafe names give None."""
    assert resolve_time_zone("America/New_York") == ZoneInfo("America/New_York")
    assert resolve_time_zone("Mars/Olympus_Mons") is None
    assert resolve_time_zone("../../etc/passwd") is None
    assert resolve_time_zone(None) is None


@given(st.text())
def test_parse_bool_only_ever_raises_model_parse_error(text: str) -> None:
    """Arbitrary text gives a bool, None or ModelParseError - never another exception."""
    with contextlib.suppress(ModelParseError):
        assert parse_bool(text) in (True, False, None)


@given(st.one_of(st.text(), st.from_regex(r"\A\d{4}-\d{2}-\d{2}([+-]\d{2}:\d{2}|Z)?\Z")))
def test_parse_date_only_ever_raises_model_parse_error(text: str) -> None:
    """Arbitrary (and date-shaped) text gives a date, None or ModelParseError."""
    with contextlib.suppress(ModelParseError):
        result = parse_date(text)
        assert result is None or isinstance(result, date)


@given(
    st.one_of(
        st.text(),
        st.from_regex(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,12})?([+-]\d{2}:\d{2}|Z)?\Z"),
    )
)
def test_parse_datetime_only_ever_raises_model_parse_error(text: str) -> None:
    """Arbitrary (and dateTime-shaped) text gives an aware datetime, None or ModelParseError."""
    with contextlib.suppress(ModelParseError):
        result = parse_datetime(text)
        assert result is None or result.tzinfo is not None


@given(st.text())
def test_parse_int_only_ever_raises_model_parse_error(text: str) -> None:
    """Arbitrary text gives an int, None or ModelParseError."""
    with contextlib.suppress(ModelParseError):
        result = parse_int(text)
        assert result is None or isinstance(result, int)


@given(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_parse_datetime_round_trips_isoformat(moment: datetime, offset_minutes: int) -> None:
    """Any aware datetime written as ISO-8601 reads back as the same instant and offset."""
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    parsed = parse_datetime(aware.isoformat())
    assert parsed == aware
    assert parsed is not None
    assert parsed.utcoffset() == aware.utcoffset()


@given(
    st.from_regex(
        r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,12})?([+-][0-9]{2}:[0-9]{2}|Z)?\Z"
    )
)
def test_fast_datetime_path_agrees_with_the_full_reader(text: str) -> None:
    """The fromisoformat fast path accepts nothing the full reader rejects, and reads the same instant."""
    fast = _base._fast_datetime(text)
    try:
        full = _base._regex_datetime(text, None, UTC)
    except ModelParseError:
        assert fast is None
        return
    if fast is not None:
        assert (fast if fast.tzinfo else fast.replace(tzinfo=UTC)) == full
        assert fast.utcoffset() in (None, full.utcoffset() if full else None)

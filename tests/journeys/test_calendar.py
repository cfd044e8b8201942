"""The .ics text: escaped, folded, UTC times, a stable UID (pure, no database)."""

import datetime

from hiring import calendar

START = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


def event(**overrides) -> calendar.Event:
    fields = {
        "uid": "interview-7@hiring-pipeline",
        "sequence": 2,
        "starts_at": START,
        "duration_minutes": 45,
        "summary": "Technical; deep, dive",
        "description": "Line one\nLine two",
        "location": "Room 4",
        "organizer": "hiring@example.com",
        "attendees": [('Ada "Lovelace"', "ada@example.com")],
        "stamp": START,
        **overrides,
    }
    return calendar.Event(**fields)


def test_ics_carries_the_event_in_utc_with_escaped_text():
    text = calendar.ics(event())
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded

    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        f"PRODID:{calendar.PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
    ]
    assert "UID:interview-7@hiring-pipeline" in lines
    assert "SEQUENCE:2" in lines
    assert "DTSTART:20261201T100000Z" in lines
    assert "DTEND:20261201T104500Z" in lines
    assert "SUMMARY:Technical\\; deep\\, dive" in lines
    assert "DESCRIPTION:Line one\\nLine two" in lines
    assert 'ATTENDEE;CN="Ada Lovelace";ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:ada@example.com' in (
        lines
    )
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    text = calendar.ics(event(description="é" * 100, location=""))

    physical = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:" + "é" * 100 in unfolded.split("\r\n")
    assert not any(line.startswith("LOCATION") for line in physical)

"""Interview invitations as iCalendar (RFC 5545) text: a pure function, no database.

One ``VEVENT`` per interview, identified by a stable ``UID`` so a reschedule (a higher
``SEQUENCE``) updates the event already in the recipient's calendar instead of adding one.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

PRODID = "-//Hiring pipeline//Interviews//EN"
CONTENT_TYPE = "text/calendar; method=REQUEST; charset=utf-8"
LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    starts_at: datetime.datetime
    duration_minutes: int
    summary: str
    description: str
    location: str
    organizer: str  # an email address
    attendees: Sequence[tuple[str, str]]  # (name, email)
    stamp: datetime.datetime


def ics(event: Event) -> str:
    """The calendar file's text, CRLF line ends, folded at 75 octets."""
    ends_at = event.starts_at + datetime.timedelta(minutes=event.duration_minutes)
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{_utc(event.stamp)}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(ends_at)}",
        f"SUMMARY:{escape(event.summary)}",
        f"DESCRIPTION:{escape(event.description)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    lines.append(f"ORGANIZER:mailto:{event.organizer}")
    for name, email in event.attendees:
        lines.append(f'ATTENDEE;CN="{_quoted(name)}";ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{email}')
    lines += ["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)


def escape(text: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped, newlines as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces, never inside a UTF-8 character."""
    out, current, size = [], "", 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1  # continuation lines start with a space
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _quoted(name: str) -> str:
    # A quoted parameter value cannot hold a double quote or a control character.
    return "".join(ch for ch in name if ch != '"' and ch >= " ")

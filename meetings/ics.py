"""The personal calendar feed as iCalendar (RFC 5545), written by hand: a handful of
properties, escaping, folding and CRLF line ends are all it takes; no library needed.

Times go out in UTC (a `Z` suffix), which every calendar shows in its own zone, so no
VTIMEZONE block is needed. A meeting without a start time is an all-day event. The feed
carries the meeting's kind, group name, date, time and place: never a pupil.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from meetings.models import Meeting

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (never inside a
    UTF-8 character)."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not parts else 74  # a continuation line starts with a space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(meeting: Meeting, stamp: str, host: str) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:meeting-{meeting.pk}@{host}", f"DTSTAMP:{stamp}"]
    if meeting.starts_at is None:
        lines += [
            f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{meeting.date + datetime.timedelta(days=1):%Y%m%d}",
        ]
    else:
        lines += [
            f"DTSTART:{_utc(meeting.starts_at.replace(tzinfo=AMSTERDAM))}",
            f"DTEND:{_utc(meeting.ends_at.replace(tzinfo=AMSTERDAM))}",
        ]
    lines.append(f"SUMMARY:{escape(meeting.title)}")
    if meeting.location:
        lines.append(f"LOCATION:{escape(meeting.location)}")
    lines += [f"SEQUENCE:{meeting.version - 1}", "END:VEVENT"]
    return lines


def calendar(meetings: Iterable[Meeting], name: str) -> str:
    host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "hgw"
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//hgw//jaarplanning//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for meeting in meetings:
        lines += _event(meeting, stamp, host)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

"""Checks an iCalendar file with a real parser (the `icalendar` package, pinned in
requirements.lock) and prints what it read as JSON, for tests/tests/calendar.rs.

Usage: ical_check.py FILE   (or - for standard input)

Checks: a VCALENDAR with VERSION 2.0 and PRODID; every VEVENT has UID, DTSTAMP, DTSTART and
SUMMARY; every TZID used has a VTIMEZONE in the file, and that VTIMEZONE turns the local
start into the same UTC instant as the IANA zone of that name (Python's zoneinfo).
Exit 0 with {"events": [...]} on stdout, or 1 with the reason on stderr.
"""

import json
import sys
from datetime import timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar


def fail(reason):
    print(f"ical_check: {reason}", file=sys.stderr)
    sys.exit(1)


def utc_of(prop, zones):
    value = prop.dt
    tzid = prop.params.get("TZID")
    if tzid is None:
        if value.tzinfo is None:
            fail(f"floating time {value} (no TZID, no Z)")
        return value.astimezone(timezone.utc)
    if tzid not in zones:
        fail(f"TZID {tzid} has no VTIMEZONE in the file")
    naive = value.replace(tzinfo=None)
    by_file = naive.replace(tzinfo=zones[tzid]).astimezone(timezone.utc)
    by_iana = naive.replace(tzinfo=ZoneInfo(tzid)).astimezone(timezone.utc)
    if by_file != by_iana:
        fail(f"VTIMEZONE {tzid} puts {naive} at {by_file}, the zone database at {by_iana}")
    return by_file


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "-"
    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    try:
        cal = Calendar.from_ical(data)
    except Exception as error:  # the parser's own words are the useful part
        fail(f"not parseable: {error}")
    if cal.name != "VCALENDAR" or str(cal.get("VERSION")) != "2.0" or not cal.get("PRODID"):
        fail("not a VCALENDAR 2.0 with a PRODID")
    # Built from the file alone (not looked up by name), so a wrong VTIMEZONE shows.
    zones = {str(tz["TZID"]): tz.to_tz(lookup_tzid=False) for tz in cal.walk("VTIMEZONE")}
    events = []
    for event in cal.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            if event.get(required) is None:
                fail(f"a VEVENT without {required}")
        end = event.get("DTEND")
        events.append({
            "uid": str(event["UID"]),
            "summary": str(event["SUMMARY"]),
            "start_utc": utc_of(event["DTSTART"], zones).isoformat(),
            "end_utc": utc_of(end, zones).isoformat() if end is not None else None,
            "status": str(event.get("STATUS", "")),
            "location": str(event.get("LOCATION", "")),
            "sequence": int(event.get("SEQUENCE", 0)),
        })
    print(json.dumps({"name": str(cal.get("X-WR-CALNAME", "")), "events": events}))


if __name__ == "__main__":
    main()

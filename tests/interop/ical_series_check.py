"""Reads a repeating event as a calendar app does, with the pinned `icalendar` package and
`dateutil.rrule` (its dependency), and prints what it read as JSON, for tests/tests/interop.rs.

Usage:
  ical_series_check.py series          an iCalendar file on standard input: the one VEVENT
                                       with an RRULE, expanded from its DTSTART in its TZID,
                                       its EXDATEs, and the VEVENTs with a RECURRENCE-ID
  ical_series_check.py expand START TZID RULE
                                       RULE (an RRULE value) expanded from the local START
                                       (YYYY-MM-DDTHH:MM) in TZID

Times are printed as local "YYYY-MM-DD HH:MM". Exit 1 with the reason on stderr when the
file has no single repeating VEVENT.
"""

import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar


def fail(reason):
    print(f"ical_series_check: {reason}", file=sys.stderr)
    sys.exit(1)


def local(value):
    return value.strftime("%Y-%m-%d %H:%M")


def expand(rule, start):
    return [local(d) for d in rrulestr(rule, dtstart=start)]


def in_zone(prop):
    """The property's time as wall-clock time in the IANA zone its TZID names."""
    tzid = prop.params.get("TZID")
    if tzid is None:
        fail(f"{prop.dt} has no TZID")
    return prop.dt.replace(tzinfo=None).replace(tzinfo=ZoneInfo(str(tzid)))


def listed(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def series(data):
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    masters = [e for e in events if e.get("RRULE") is not None and e.get("RECURRENCE-ID") is None]
    if len(masters) != 1:
        fail(f"{len(masters)} VEVENTs with an RRULE, not one")
    master = masters[0]
    rule = master["RRULE"].to_ical().decode()
    exdates = sorted(local(d.dt) for ex in listed(master.get("EXDATE")) for d in ex.dts)
    overrides = [
        {"uid": str(e["UID"]), "recurrence_id": local(e["RECURRENCE-ID"].dt), "start": local(e["DTSTART"].dt)}
        for e in events
        if e.get("RECURRENCE-ID") is not None
    ]
    expanded = expand(rule, in_zone(master["DTSTART"]))
    return {
        "uid": str(master["UID"]),
        "rule": rule,
        "expanded": expanded,
        "exdates": exdates,
        "dates": [d for d in expanded if d not in exdates],
        "overrides": overrides,
    }


def main():
    if sys.argv[1:2] == ["series"]:
        print(json.dumps(series(sys.stdin.buffer.read())))
    elif sys.argv[1:2] == ["expand"] and len(sys.argv) == 5:
        start = datetime.strptime(sys.argv[2], "%Y-%m-%dT%H:%M").replace(tzinfo=ZoneInfo(sys.argv[3]))
        print(json.dumps({"dates": expand(sys.argv[4], start)}))
    else:
        fail(__doc__)


if __name__ == "__main__":
    main()

"""Checks an Atom or RSS feed with a real parser (`feedparser`, pinned in requirements.lock)
and prints what it read as JSON, for tests/tests/interop.rs.

Usage: feed_check.py -   (the feed on standard input)

Checks: well-formed (feedparser's `bozo` flag unset), a known version, a title and link
for the feed, and for every entry a title, a link, an id and a publication date.
Exit 0 with {"version", "title", "entries": [{"title", "link", "id", "summary"}]}, or 1
with the reason on stderr.
"""

import json
import sys

import feedparser


def fail(reason):
    print(f"feed_check: {reason}", file=sys.stderr)
    sys.exit(1)


def main():
    feed = feedparser.parse(sys.stdin.buffer.read())
    if feed.bozo:
        fail(f"not well-formed: {feed.bozo_exception}")
    if feed.version not in ("atom10", "rss20"):
        fail(f"unknown feed version {feed.version!r}")
    if not feed.feed.get("title") or not feed.feed.get("link"):
        fail("the feed has no title or link")
    entries = []
    for entry in feed.entries:
        for field in ("title", "link", "id", "published_parsed"):
            if not entry.get(field):
                fail(f"an entry has no {field}: {entry}")
        entries.append({"title": entry.title, "link": entry.link, "id": entry.id, "summary": entry.get("summary", "")})
    print(json.dumps({"version": feed.version, "title": feed.feed.title, "entries": entries}))


if __name__ == "__main__":
    main()

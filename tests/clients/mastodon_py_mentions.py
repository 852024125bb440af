"""Drives Mastodon.py (pinned in requirements.lock) through what a compose screen and a home
timeline need, for tests/tests/clients.rs. Prints one JSON object with what each step saw.

Usage: mastodon_py_mentions.py BASE_URL USERNAME PASSWORD PREFIX REMOTE_HANDLE BOOSTED_URI

Steps: log in with the password grant; account_search(PREFIX) as mention autocomplete does;
account_search(REMOTE_HANDLE) without and with resolve; wait (up to 30 s) until the home
timeline holds a reblog of the status BOOSTED_URI, and report it as the client parsed it.
"""

import json
import sys
import time

from mastodon import Mastodon

SCOPES = ["read", "write", "follow"]


def main():
    base, username, password, prefix, handle, boosted_uri = sys.argv[1:7]
    client_id, client_secret = Mastodon.create_app("Mastodon.py mentions", scopes=SCOPES, api_base_url=base)
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    api.log_in(username=username, password=password, scopes=SCOPES, allow_http=True)
    result = {
        "prefix": [a["acct"] for a in api.account_search(prefix, limit=5)],
        "unresolved": [a["acct"] for a in api.account_search(handle)],
        "resolved": [a["acct"] for a in api.account_search(handle, resolve=True)],
    }
    reblog = None
    deadline = time.time() + 30
    while reblog is None and time.time() < deadline:
        found = [s for s in api.timeline_home(limit=40) if s["reblog"] is not None and s["reblog"]["uri"] == boosted_uri]
        reblog = found[0] if found else None
        if reblog is None:
            time.sleep(0.5)
    if reblog is not None:
        result["reblog"] = {
            "id": str(reblog["id"]),
            "by": reblog["account"]["acct"],
            "content": reblog["content"],
            "original_id": str(reblog["reblog"]["id"]),
            "original_by": reblog["reblog"]["account"]["acct"],
            "original_content": reblog["reblog"]["content"],
            "fetched_reblog_of": str(api.status(reblog["id"])["reblog"]["id"]),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

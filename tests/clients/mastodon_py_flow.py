"""Drives Mastodon.py (pinned in requirements.lock) against a Buurtnet node, for
tests/tests/clients.rs. Prints one JSON object with what each step saw; exits 1 with the
reason on stderr when a step fails outright.

Usage: mastodon_py_flow.py BASE_URL USERNAME PASSWORD [REMOTE_HANDLE]

Steps: register an app; log in with the password grant; verify credentials; post; read the
home timeline; log in again with the authorization-code flow (filling in the node's consent
page like a browser would, out-of-band redirect); check a wrong password is refused; read
notifications; with REMOTE_HANDLE, follow that account on another node and wait (up to 30 s)
until an offer ("Hulpaanbod"), a need ("Hulpvraag") and an event from it are in the home
timeline.
"""

import json
import re
import struct
import sys
import time
import zlib

import requests
from mastodon import Mastodon, MastodonAPIError, MastodonIllegalArgumentError

SCOPES = ["read", "write", "follow"]


def tiny_png(width, height):
    """A plain green PNG, made by hand (no imaging library in this venv)."""
    raw = b"".join(b"\x00" + b"\x2e\x8b\x57" * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def code_from_consent_page(auth_url, username, password):
    """Submits the node's login and consent form as a browser would; returns the code."""
    page = requests.get(auth_url, timeout=10)
    page.raise_for_status()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
    fields.update({"username": username, "password": password, "decision": "allow"})
    base = auth_url.split("/oauth/authorize")[0]
    answer = requests.post(f"{base}/oauth/authorize", data=fields, timeout=10, allow_redirects=False)
    answer.raise_for_status()
    found = re.search(r'<code id="code">([^<]+)</code>', answer.text)
    if not found:
        sys.exit(f"mastodon_py_flow: no code on the consent answer: {answer.text[:500]}")
    return found.group(1)


def main():
    base, username, password = sys.argv[1:4]
    result = {}
    client_id, client_secret = Mastodon.create_app("Mastodon.py test", scopes=SCOPES, api_base_url=base)
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    api.log_in(username=username, password=password, scopes=SCOPES, allow_http=True)
    me = api.account_verify_credentials()
    result["me"] = {"username": me["username"], "acct": me["acct"], "id": str(me["id"])}
    posted = api.status_post("Hallo vanuit Mastodon.py", visibility="public")
    result["posted"] = {"id": str(posted["id"]), "content": posted["content"], "visibility": posted["visibility"]}
    home = api.timeline_home(limit=20)
    result["home"] = [str(s["id"]) for s in home]

    media = api.media_post(tiny_png(40, 30), mime_type="image/png", description="Een foto van de moestuin")
    with_image = api.status_post("Kijk, de moestuin!", media_ids=[media])
    attached = with_image["media_attachments"][0]
    result["media"] = {
        "description": attached["description"],
        "width": attached["meta"]["original"]["width"],
        "height": attached["meta"]["original"]["height"],
        "blurhash": attached["blurhash"],
        "fetched": requests.get(attached["url"], timeout=10).status_code,
    }

    fresh = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    auth_url = fresh.auth_request_url(scopes=SCOPES, allow_http=True)
    code = code_from_consent_page(auth_url, username, password)
    fresh.log_in(code=code, scopes=SCOPES, allow_http=True)
    result["code_login_acct"] = fresh.account_verify_credentials()["acct"]

    wrong = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    try:
        wrong.log_in(username=username, password="niet-het-wachtwoord", scopes=SCOPES, allow_http=True)
        result["wrong_password"] = "accepted"
    except (MastodonAPIError, MastodonIllegalArgumentError) as error:
        result["wrong_password"] = f"refused: {type(error).__name__}"
    result["notifications"] = [n["type"] for n in api.notifications()]

    if len(sys.argv) > 4:
        handle = sys.argv[4]
        found = api.search_v2(handle, resolve=True, result_type="accounts")["accounts"]
        relationship = api.account_follow(found[0])
        result["remote"] = {"acct": found[0]["acct"], "requested_or_following": relationship["following"] or relationship["requested"]}
        deadline = time.time() + 30
        texts = []
        while time.time() < deadline:
            texts = [s["content"] for s in api.timeline_home(limit=40)]
            if all(any(word in t for t in texts) for word in ("Hulpaanbod", "Hulpvraag", "activiteit")):
                break
            time.sleep(0.5)
        result["remote"]["home"] = texts
    print(json.dumps(result))


if __name__ == "__main__":
    main()

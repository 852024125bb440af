"""An independent signer for Buurtnet's interop test, built on bovine 0.5.19.

It serves one actor document, and an inbox that checks signatures with bovine.crypto, on
127.0.0.1 as `http://localhost:PORT`. Then it POSTs `Follow` activities, each signed by
bovine's own `SignedHttpClient` (draft-cavage, rsa-sha256, over (request-target), host, date,
digest, content-type), to a Buurtnet inbox:

  1. `/activities/1`, a Follow of `--follow`, signed, but the body is replaced after
     signing by `/activities/2`, a Follow of `--tamper-target` (the Digest header still
     names the signed body);
  2. `/activities/3` likewise replaced by `/activities/4`, and the Digest header recomputed
     for the new body (so only the signature itself can tell);
  3. `/activities/5`, a Follow of `--follow`, sent as signed.

Then it waits for Buurtnet's `Accept` of the last one and prints one JSON object:
  {"tampered_status": 401, "tampered_digest_status": 401, "signed_status": 202,
   "received": [{"type", "id", "actor", "object", "verified_by"}, ...]}
where `verified_by` is the actor bovine.crypto found the delivery's HTTP signature to be
made by (null: not verified).

Usage: bovine_post.py --port PORT --inbox INBOX_URL --follow ACTOR_URL --tamper-target ACTOR_URL
"""

import argparse
import asyncio
import base64
import hashlib
import json
import sys

import aiohttp
from aiohttp import web
from bovine.clients.signed_http import SignedHttpClient
from bovine.crypto import build_validate_http_signature_raw, generate_rsa_public_private_key
from bovine.crypto.types import CryptographicIdentifier

AS_JSON = "application/activity+json"


def actor_document(base, public_key):
    actor = f"{base}/actor"
    return {
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor,
        "type": "Person",
        "preferredUsername": "bovine",
        "inbox": f"{base}/inbox",
        "outbox": f"{base}/outbox",
        "followers": f"{base}/followers",
        "following": f"{base}/following",
        "publicKey": {"id": f"{actor}#main-key", "owner": actor, "publicKeyPem": public_key},
    }


def follow(base, number, target):
    return json.dumps({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{base}/activities/{number}",
        "type": "Follow",
        "actor": f"{base}/actor",
        "object": target,
    })


class TamperingSession:
    """Stands in for the aiohttp session under bovine's client: bovine signs the body it is
    given, and this sends `replacement` instead (a man in the middle changing the body)."""

    def __init__(self, session, replacement, fix_digest):
        self.session = session
        self.replacement = replacement
        self.fix_digest = fix_digest

    def post(self, url, data=None, headers=None, **kwargs):
        headers = dict(headers or {})
        assert data != self.replacement
        if self.fix_digest:
            digest = base64.b64encode(hashlib.sha256(self.replacement.encode("utf-8")).digest()).decode()
            name = next(k for k in headers if k.lower() == "digest")
            headers[name] = f"sha-256={digest}"
        return self.session.post(url, data=self.replacement, headers=headers, **kwargs)


async def main(args):
    base = f"http://localhost:{args.port}"
    key_id = f"{base}/actor#main-key"
    public_key, private_key = generate_rsa_public_private_key()
    received = []

    async with aiohttp.ClientSession() as session:
        client = SignedHttpClient(session, key_id, private_key)

        async def retrieve_key(remote_key_id):
            response = await client.get(remote_key_id, headers={"accept": AS_JSON})
            document = json.loads(await response.text())
            key = document.get("publicKey", document)
            if isinstance(key, list):
                key = next(k for k in key if k.get("id") == remote_key_id)
            if key.get("id") != remote_key_id:
                return None
            return CryptographicIdentifier.from_pem(key["publicKeyPem"], key["owner"])

        validate = build_validate_http_signature_raw(retrieve_key)

        async def serve_actor(_request):
            return web.Response(text=json.dumps(actor_document(base, public_key)), content_type=AS_JSON)

        async def inbox(request):
            body = await request.read()

            async def get_body():
                return body

            verified_by = await validate(request.method, str(request.url), request.headers, get_body)
            activity = json.loads(body)
            target = activity.get("object")
            received.append({
                "type": activity.get("type"),
                "id": activity.get("id"),
                "actor": activity.get("actor"),
                "object": target.get("id") if isinstance(target, dict) else target,
                "verified_by": verified_by,
            })
            return web.Response(status=202 if verified_by else 401)

        app = web.Application()
        app.router.add_get("/actor", serve_actor)
        app.router.add_post("/inbox", inbox)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", args.port).start()

        result = {}
        for status, signed, sent, fix_digest in [("tampered_status", 1, 2, False), ("tampered_digest_status", 3, 4, True)]:
            tampering = TamperingSession(session, follow(base, sent, args.tamper_target), fix_digest)
            response = await SignedHttpClient(tampering, key_id, private_key).post(
                args.inbox, follow(base, signed, args.follow)
            )
            result[status] = response.status
            result[status.replace("status", "answer")] = await response.text()
        response = await client.post(args.inbox, follow(base, 5, args.follow))
        result["signed_status"] = response.status
        result["signed_answer"] = await response.text()

        if response.status < 300:
            for _ in range(150):
                if any(item["type"] == "Accept" for item in received):
                    break
                await asyncio.sleep(0.1)
        # Anything that Buurtnet might (wrongly) send for the tampered copies arrives by now.
        await asyncio.sleep(0.5)
        result["received"] = received
        print(json.dumps(result), flush=True)
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--inbox", required=True)
    parser.add_argument("--follow", required=True, help="actor that the signed Follow follows")
    parser.add_argument("--tamper-target", required=True, help="actor that the tampered copies follow")
    sys.exit(asyncio.run(main(parser.parse_args())))

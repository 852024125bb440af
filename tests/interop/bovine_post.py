"""An independent signer for Buurtnet's interop test, built on bovine 0.5.19.

It serves one actor document (and an inbox that records what arrives) on 127.0.0.1, then
sends a `Follow` of a Buurtnet actor to a Buurtnet inbox twice: once signed by bovine as is,
once with the body changed after signing. Prints one JSON line with what happened.

Usage: bovine_post.py --port PORT --inbox INBOX_URL --follow ACTOR_URL
"""

import argparse
import asyncio
import json

import aiohttp
from aiohttp import web
from bovine.clients.signed_http import SignedHttpClient
from bovine.clients.utils import host_target_from_url
from bovine.crypto import generate_rsa_public_private_key
from bovine.crypto.helper import content_digest_sha256
from bovine.crypto.http_signature import build_signature
from bovine.crypto.types import CryptographicSecret
from bovine.utils import get_gmt_now

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


async def tampered_post(session, secret, url, signed_body, sent_body):
    """Signs `signed_body` the way bovine does, but sends `sent_body`."""
    host, target = host_target_from_url(url)
    digest = content_digest_sha256(signed_body.encode("utf-8"))
    helper = (
        build_signature(host, "post", target)
        .with_field("date", get_gmt_now())
        .with_field("digest", digest)
        .with_field("content-type", AS_JSON)
    )
    headers = {**helper.headers, "signature": helper.sign_for_http_draft(secret)}
    return await session.post(url, data=sent_body, headers=headers)


async def main(args):
    base = f"http://localhost:{args.port}"
    public_key, private_key = generate_rsa_public_private_key()
    received = []

    async def serve_actor(_request):
        return web.Response(text=json.dumps(actor_document(base, public_key)), content_type=AS_JSON)

    async def inbox(request):
        received.append(json.loads(await request.text()))
        return web.Response(status=202)

    app = web.Application()
    app.router.add_get("/actor", serve_actor)
    app.router.add_post("/inbox", inbox)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", args.port).start()

    result = {}
    async with aiohttp.ClientSession() as session:
        client = SignedHttpClient(session, f"{base}/actor#main-key", private_key)
        response = await client.post(args.inbox, follow(base, 1, args.follow))
        result["signed_status"] = response.status
        secret = CryptographicSecret.from_pem(f"{base}/actor#main-key", private_key)
        response = await tampered_post(session, secret, args.inbox, follow(base, 2, args.follow), follow(base, 3, args.follow))
        result["tampered_status"] = response.status
        for _ in range(100):
            if any(item.get("type") == "Accept" for item in received):
                break
            await asyncio.sleep(0.1)
    result["received_types"] = [item.get("type") for item in received]
    result["accepted_follow"] = [item.get("object", {}).get("id") if isinstance(item.get("object"), dict) else item.get("object") for item in received if item.get("type") == "Accept"]
    print(json.dumps(result), flush=True)
    await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--inbox", required=True)
    parser.add_argument("--follow", required=True)
    asyncio.run(main(parser.parse_args()))

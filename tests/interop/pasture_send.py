"""Sends every input of fediverse-pasture-inputs 0.3.0 to a Buurtnet member, as the pasture does.

fediverse-pasture-inputs holds the examples (`available`: 22 groups, 262 examples); each
example is merged into the pasture's skeleton `Note`, addressed to the member as well, wrapped
in a `Create` and POSTed to the member's inbox, signed by bovine 0.5.19's `SignedHttpClient`.

This script plays `http://pasture-one-actor` on `http://localhost:PORT`: every mention of that
origin in the examples is rewritten to it. It serves the actor (`/actor`, and `/second` without
a key), the notes the examples reply to or quote (`/assets/note1.jsonap`, `note2.jsonap`),
images under `/images/` and the other assets the examples name (a PNG, a JPEG, an SVG, a text
file, and bytes labelled as MP4 and MP3).

Object ids are `http://localhost:PORT/objects/<group>-<index>` (the pasture uses random ones);
`published` is fixed. After the last POST it prints one JSON line,
  {"sent": [{"key": "<group>/<index>", "id": <object id or null>, "status": <HTTP status>}, ...]}
and keeps serving (the node may still fetch what the examples name) until stdin closes.

Usage: pasture_send.py --port PORT --inbox INBOX_URL --member ACTOR_URL
"""

import argparse
import asyncio
import io
import json
import sys

import aiohttp
from aiohttp import web
from bovine.clients.signed_http import SignedHttpClient
from bovine.crypto import generate_rsa_public_private_key
from PIL import Image

from fediverse_pasture_inputs import available

AS_JSON = "application/activity+json"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
PUBLISHED = "2024-01-06T13:11:45Z"
CONTEXT = ["https://www.w3.org/ns/activitystreams", {"Hashtag": "as:Hashtag", "sensitive": "as:sensitive"}]


def rewrite(value, base):
    """The example with the pasture's origin replaced by ours."""
    text = json.dumps(value).replace("http://pasture-one-actor", base)
    return json.loads(text)


def actor_document(base, name, public_key):
    actor = f"{base}/{name}"
    document = {
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor,
        "type": "Person",
        "preferredUsername": name,
        "name": f"The pasture's {name}",
        "inbox": f"{base}/inbox",
        "outbox": f"{base}/outbox",
        "followers": f"{base}/followers",
    }
    if public_key:
        document["publicKey"] = {"id": f"{actor}#main-key", "owner": actor, "publicKeyPem": public_key}
    return document


def note_asset(base, number, content):
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Note",
        "id": f"{base}/assets/note{number}.jsonap",
        "to": [PUBLIC],
        "attributedTo": f"{base}/actor",
        "content": content,
        "published": PUBLISHED,
    }


def picture(image_format):
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (90, 160, 60)).save(out, format=image_format)
    return out.getvalue()


def asset(base, name):
    """What the origin answers for `/assets/<name>`: (body, content type), or None."""
    notes = {"note1.jsonap": "One", "note2.jsonap": "Two"}
    if name in notes:
        return json.dumps(note_asset(base, name[4], notes[name])), AS_JSON
    if name.endswith(".png"):
        return (None if name == "does_not_exist.png" else picture("PNG")), "image/png"
    if name.endswith(".jpg"):
        return picture("JPEG"), "image/jpeg"
    if name.endswith(".svg"):
        return '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', "image/svg+xml"
    if name.endswith(".txt"):
        return "A sample text file.\n", "text/plain"
    if name.endswith(".mp4"):
        return b"\x00\x00\x00\x18ftypmp42", "video/mp4"
    if name.endswith(".mp3"):
        return b"ID3\x03\x00\x00\x00\x00\x00\x00", "audio/mpeg"
    return None


def image(name):
    """`/images/<name>`, as the pasture's image provider: by extension, else PNG."""
    for ending, image_format, content_type in [
        ("jpg", "JPEG", "image/jpeg"), ("eps", "EPS", "image/eps"), ("gif", "GIF", "image/gif"),
        ("tiff", "TIFF", "image/tiff"), ("webp", "WEBP", "image/webp"),
    ]:
        if name.endswith(ending):
            return picture(image_format), content_type
    return picture("PNG"), "image/png"


def create_for(base, member, key, example):
    """The `Create` the pasture sends for one example (its ActivitySender, made deterministic)."""
    note = {
        "type": "Note",
        "attributedTo": f"{base}/actor",
        "to": [PUBLIC],
        "id": f"{base}/objects/{key.replace('/', '-')}",
        "published": PUBLISHED,
    }
    note = {**note, **rewrite(example, base)}
    note["to"] = note["to"] + [member]
    create = {
        "@context": note.get("@context", CONTEXT),
        "type": "Create",
        "actor": f"{base}/actor",
        "id": f"{base}/activities/{key.replace('/', '-')}",
        "to": note["to"],
        "object": note,
    }
    if "cc" in note:
        create["cc"] = note["cc"]
    return create


def examples():
    for group in sorted(available):
        for index, example in enumerate(available[group].examples):
            yield f"{group}/{index}", example


async def serve(base, port, public_key):
    async def serve_actor(request):
        name = request.match_info["name"]
        return web.Response(text=json.dumps(actor_document(base, name, public_key if name == "actor" else None)),
                            content_type=AS_JSON)

    async def serve_asset(request):
        found = asset(base, request.match_info["name"])
        if found is None or found[0] is None:
            return web.Response(status=404)
        body, content_type = found
        return web.Response(body=body, headers={"content-type": content_type})

    async def serve_image(request):
        body, content_type = image(request.match_info["name"])
        return web.Response(body=body, headers={"content-type": content_type})

    async def inbox(_request):
        return web.Response(status=202)

    app = web.Application()
    app.router.add_get("/{name:actor|second}", serve_actor)
    app.router.add_get("/assets/{name}", serve_asset)
    app.router.add_get("/images/{name}", serve_image)
    app.router.add_post("/inbox", inbox)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


async def main(args):
    base = f"http://localhost:{args.port}"
    public_key, private_key = generate_rsa_public_private_key()
    runner = await serve(base, args.port, public_key)
    sent = []
    async with aiohttp.ClientSession() as session:
        client = SignedHttpClient(session, f"{base}/actor#main-key", private_key)
        for key, example in examples():
            create = create_for(base, args.member, key, example)
            response = await client.post(args.inbox, json.dumps(create))
            await response.read()
            object_id = create["object"].get("id")
            sent.append({"key": key, "id": object_id if isinstance(object_id, str) else None, "status": response.status})
    print(json.dumps({"sent": sent}), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--inbox", required=True)
    parser.add_argument("--member", required=True, help="the actor every example is addressed to")
    sys.exit(asyncio.run(main(parser.parse_args())))

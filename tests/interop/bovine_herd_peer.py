"""A real bovine-herd 0.5.19 server as a peer for tests/tests/bovine_herd.rs.

It owns one bovine-herd server on 127.0.0.1 (addressed as `http://localhost:PORT`), with a
throwaway SQLite database in the directory it is given (the test's temporary one), and one actor registered on it the way
bovine-tool 0.5.6 registers one (`BovineAdminStore.register`, then a did:key identity as
`bovine_tool.manage --new_did_key` adds). The actor acts as a bovine user does: through its
own outbox (client-to-server, Moo-Auth-1 signed with the did key, via `bovine.BovineClient`),
with activities built by bovine's own factories. bovine-herd then stores, addresses and
delivers them (draft-cavage signed) as it does for any user.

The test drives the actor through control routes on the same port (JSON in and out):

  GET  /control/actor     {"id", "url", "handle", "inbox", "followers", "following"} (once serving)
  POST /control/follow    {"object": actor id}                  -> {"id": Follow id}
  POST /control/accept    {"actor": actor id}: accepts that actor's Follow found in the inbox
  POST /control/note      {"text", "mention": [actor ids]}      -> {"id": Note id, "note": Note}
                          (public; each mentioned actor is linked in the content, tagged
                          `Mention` and addressed in cc, as bovine's reply_with_mention does)
  POST /control/reply     {"object": Note id, "text"}           -> {"id", "note"}
  POST /control/like      {"object": Note id}                   -> {"id": Like id}
  POST /control/announce  {"object": Note id}                   -> {"id": Announce id}
  GET  /control/inbox     [activity, ...]: the actor's inbox as bovine-herd serves it to its
                          owner, newest first, objects embedded
  GET  /control/following ["actor id", ...] and GET /control/followers likewise

The process ends on SIGTERM or SIGINT (hypercorn shuts down), or by itself when the test that
started it is gone; the test kills its process group.

Usage: bovine_herd_peer.py --port PORT --data-dir DIR [--name NAME]
"""

import argparse
import asyncio
import html
import logging
import os
import signal
import sys

from bovine import BovineClient
from bovine.activitystreams.utils import fediverse_handle_from_actor, id_for_object
from bovine.crypto import generate_ed25519_private_key, private_key_to_did_key
from bovine_herd import BovineHerd
from bovine_store import BovineAdminStore
from hypercorn.asyncio import serve
from hypercorn.config import Config
from quart import Quart, current_app, request

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def build_app(origin, name, database_url):
    """The bovine-herd app with the control routes and the actor registered at startup."""
    app = Quart(__name__)
    BovineHerd(app, db_url=database_url)
    secret = generate_ed25519_private_key()
    did_key = private_key_to_did_key(secret)
    app.config["peer"] = {"origin": origin, "secret": secret, "client": None}

    @app.before_serving
    async def register_actor():
        # What `bovine_tool.register NAME --domain ORIGIN` and `bovine_tool.manage NAME
        # --new_did_key` do, in this process (the database is already set up by BovineHerd).
        store = BovineAdminStore(domain=origin)
        bovine_name = await store.register(name)
        await store.add_identity_string_to_actor(bovine_name, "key-from-tool", did_key)

    add_control_routes(app)
    return app


async def client():
    """The actor's own client (Moo-Auth-1 with the did key), made at first use: it looks the
    actor up through this very server, which must be serving by then."""
    peer = current_app.config["peer"]
    if peer["client"] is None:
        made = BovineClient(domain=peer["origin"], secret=peer["secret"])
        await made.init(session=current_app.config["session"])
        peer["client"] = made
    return peer["client"]


async def send(activity):
    """Posts an activity to the actor's outbox; bovine-herd answers with its new id."""
    actor = await client()
    response = await actor.send_to_outbox(activity)
    if response.status != 201:
        raise RuntimeError(f"the outbox refused {activity.get('type')}: {response.status} {await response.text()}")
    return response.headers["location"]


async def stored(object_id):
    """An object as the actor's server holds it (or fetches it, signed, for the actor)."""
    return await (await client()).proxy(object_id)


async def mention_of(actor_id):
    """A `Mention` tag and a Mastodon-style h-card link for another actor."""
    actor = await client()
    tag = (await actor.object_factory.mention_for_actor_uri(actor_id)).build()
    tag.pop("@context", None)
    mentioned = await stored(actor_id)
    url = mentioned.get("url") if isinstance(mentioned.get("url"), str) else actor_id
    username = fediverse_handle_from_actor(mentioned).split("@")[0]
    link = (
        f'<span class="h-card"><a href="{html.escape(url)}" class="u-url mention">'
        f"@<span>{html.escape(username)}</span></a></span>"
    )
    return tag, link


async def inbox_items():
    """The actor's inbox, newest first, each item with its object embedded."""
    actor = await client()
    return [item async for item in actor.inbox(resolve=True)]


async def collection(name):
    actor = await client()
    return [id_for_object(item) async for item in actor.collection_helper(actor.information[name])]


def add_control_routes(app):
    @app.get("/control/actor")
    async def control_actor():
        info = (await client()).information
        handle = fediverse_handle_from_actor(info)
        url = info.get("url") if isinstance(info.get("url"), str) else None
        return {key: info[key] for key in ["id", "inbox", "followers", "following"]} | {"handle": handle, "url": url}

    @app.post("/control/follow")
    async def control_follow():
        target = (await request.get_json())["object"]
        activity = (await client()).activity_factory.follow(target).build()
        return {"id": await send(activity)}

    @app.post("/control/accept")
    async def control_accept():
        follower = (await request.get_json())["actor"]
        follows = [i for i in await inbox_items() if i.get("type") == "Follow" and id_for_object(i.get("actor")) == follower]
        if not follows:
            return {"error": f"no Follow from {follower} in the inbox"}, 404
        activity = (await client()).activity_factory.accept(follows[0]).build()
        return {"id": await send(activity)}

    @app.post("/control/note")
    async def control_note():
        body = await request.get_json()
        actor = await client()
        mentions = [await mention_of(actor_id) for actor_id in body.get("mention", [])]
        content = " ".join([link for _, link in mentions] + [html.escape(body["text"])])
        note = actor.object_factory.note(content=f"<p>{content}</p>", tag=[tag for tag, _ in mentions])
        note = note.as_public()
        note.cc.update(body.get("mention", []))
        return await create(note.build())

    @app.post("/control/reply")
    async def control_reply():
        body = await request.get_json()
        actor = await client()
        parent = await stored(body["object"])
        reply = await actor.object_factory.reply_with_mention(parent, content=f"<p>{html.escape(body['text'])}</p>")
        reply.cc.add(PUBLIC)
        return await create(reply.build())

    @app.post("/control/like")
    async def control_like():
        target = (await request.get_json())["object"]
        author = id_for_object((await stored(target)).get("attributedTo"))
        activity = (await client()).activity_factory.like(target, to={author}).build()
        return {"id": await send(activity)}

    @app.post("/control/announce")
    async def control_announce():
        target = (await request.get_json())["object"]
        author = id_for_object((await stored(target)).get("attributedTo"))
        activity = (await client()).activity_factory.announce(target, cc={author}).as_public().build()
        return {"id": await send(activity)}

    @app.get("/control/inbox")
    async def control_inbox():
        return await inbox_items()

    @app.get("/control/following")
    async def control_following():
        return await collection("following")

    @app.get("/control/followers")
    async def control_followers():
        return await collection("followers")


async def create(note):
    """Creates `note` through the outbox; answers its id as bovine-herd assigned it."""
    actor = await client()
    activity_id = await send(actor.activity_factory.create(note).build())
    created = await stored(activity_id)
    created_note = created["object"] if isinstance(created["object"], dict) else await stored(created["object"])
    return {"id": created_note["id"], "activity": activity_id, "note": created_note}


async def main(args):
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    origin = f"http://localhost:{args.port}"
    app = build_app(origin, args.name, f"sqlite://{args.data_dir}/bovine.sqlite3")
    config = Config()
    config.bind = [f"127.0.0.1:{args.port}"]
    config.accesslog = None
    config.errorlog = "-"
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    watch = asyncio.create_task(stop_when_orphaned(stop))
    await serve(app, config, shutdown_trigger=stop.wait)
    watch.cancel()


async def stop_when_orphaned(stop):
    """Stops the server if the test that started it dies without killing it."""
    parent = os.getppid()
    while os.getppid() == parent:
        await asyncio.sleep(0.5)
    stop.set()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", required=True, help="where the SQLite database goes")
    parser.add_argument("--name", default="herd")
    asyncio.run(main(parser.parse_args()))

// An independent ActivityPub peer for Buurtnet's interop tests, built on the Fedify library.
//
// One actor (`/users/peer`) with RSA and Ed25519 keys. Its inboxes verify HTTP signatures
// (Fedify's default) and record every activity that passed. A small control API lets the
// Rust test drive it:
//   POST /control/follow?target=URL   looks the actor at URL up and sends it a Follow;
//                                     202 {"follow": id} once delivered, 500 with the error
//   GET  /control/received            the verified activities, as JSON
// Usage: node fedify_peer.mjs PORT [PACKAGE]   (listens on 127.0.0.1, calls itself
// localhost:PORT). PACKAGE is `@fedify/fedify` (1.5.9, draft-cavage only; the default) or
// `fedify2` (the npm alias of Fedify 2.x, which signs RFC 9421 first and falls back to
// draft-cavage only after a refusal). Fedify 2 moved the vocabulary to `PACKAGE/vocab`.

import http from "node:http";

const port = Number(process.argv[2]);
const fedify = process.argv[3] ?? "@fedify/fedify";
const core = await import(fedify);
const vocab = fedify === "@fedify/fedify" ? core : await import(`${fedify}/vocab`);
const { createFederation, generateCryptoKeyPair, InProcessMessageQueue, MemoryKvStore } = core;
const { Accept, Announce, Create, Endpoints, Follow, Person, Undo } = vocab;
const origin = `http://localhost:${port}`;
const received = [];
const keyPairs = [await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"), await generateCryptoKeyPair("Ed25519")];

const federation = createFederation({
  kv: new MemoryKvStore(),
  queue: new InProcessMessageQueue(),
  allowPrivateAddress: true,
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "peer") return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: `Fedify peer (${fedify})`,
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === "peer" ? keyPairs : []));

const remember = (type) => async (_ctx, activity) => {
  const object = activity.objectId?.href ?? null;
  received.push({ type, id: activity.id?.href ?? null, actor: activity.actorId?.href ?? null, object });
};

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, remember("Accept"))
  .on(Create, remember("Create"))
  .on(Announce, remember("Announce"))
  .on(Undo, remember("Undo"))
  .onError((_ctx, error) => console.error("inbox error:", error));

async function follow(target) {
  const ctx = federation.createContext(new URL(origin), undefined);
  const actor = await ctx.lookupObject(target);
  if (actor == null) throw new Error(`cannot look up ${target}`);
  const id = new URL(`${origin}/follows/${crypto.randomUUID()}`);
  await ctx.sendActivity(
    { identifier: "peer" },
    actor,
    new Follow({ id, actor: ctx.getActorUri("peer"), object: actor.id }),
    { immediate: true },
  );
  return id.href;
}

async function toFetchRequest(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url, origin), { method: req.method, headers: req.headers, body });
}

async function control(request) {
  const url = new URL(request.url);
  if (url.pathname === "/control/received") return Response.json(received);
  if (url.pathname === "/control/follow" && request.method === "POST") {
    try {
      return Response.json({ follow: await follow(url.searchParams.get("target")) }, { status: 202 });
    } catch (error) {
      return new Response(`${error}\n`, { status: 500 });
    }
  }
  return null;
}

http
  .createServer(async (req, res) => {
    const request = await toFetchRequest(req);
    const response = (await control(request)) ?? (await federation.fetch(request, { contextData: undefined }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  })
  .listen(port, "127.0.0.1", () => console.log(`fedify peer (${fedify}) on ${origin}`));

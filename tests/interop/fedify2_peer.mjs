// A Fedify 2.x peer (npm alias `fedify2`, pinned beside Fedify 1.5.9) for Buurtnet's interop
// tests: one actor (`/users/peer`, RSA and Ed25519 keys) that follows an actor on request.
// Fedify 2 signs RFC 9421 first and falls back to draft-cavage only after a 401; the test
// checks that the node took its first knock.
//   POST /control/follow?target=URL   looks the actor at URL up and sends it a Follow;
//                                     202 {"follow": id} once delivered, 500 with the error
//   GET  /control/received            the verified activities, as JSON
// Usage: node fedify2_peer.mjs PORT    (listens on 127.0.0.1, calls itself localhost:PORT)

import http from "node:http";
import { createFederation, generateCryptoKeyPair, InProcessMessageQueue, MemoryKvStore } from "fedify2";
import { Accept, Endpoints, Follow, Person } from "fedify2/vocab";

const port = Number(process.argv[2]);
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
      name: "Fedify 2 peer",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === "peer" ? keyPairs : []));

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, async (_ctx, activity) => {
    received.push({ type: "Accept", id: activity.id?.href ?? null, actor: activity.actorId?.href ?? null, object: activity.objectId?.href ?? null });
  })
  .onError((_ctx, error) => console.error("inbox error:", error));

async function follow(target) {
  const ctx = federation.createContext(new URL(origin), undefined);
  const actor = await ctx.lookupObject(target);
  if (actor == null) throw new Error(`cannot look up ${target}`);
  const id = new URL(`${origin}/follows/${crypto.randomUUID()}`);
  await ctx.sendActivity({ identifier: "peer" }, actor, new Follow({ id, actor: ctx.getActorUri("peer"), object: actor.id }), {
    immediate: true,
  });
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
  .listen(port, "127.0.0.1", () => console.log(`fedify 2 peer on ${origin}`));

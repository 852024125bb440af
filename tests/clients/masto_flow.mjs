// Drives masto.js 7.12.0 and megalodon 10.0.5 (pinned in package-lock.json) against a
// Buurtnet node, for tests/tests/clients.rs. Prints one JSON object with what each step
// saw; exits 1 with the error on stderr when a step fails.
//
// Usage: node masto_flow.mjs BASE_URL USERNAME PASSWORD [REMOTE_HANDLE]
// With REMOTE_HANDLE: follow that account on another node and wait (up to 30 s) until an
// offer ("Hulpaanbod"), a need ("Hulpvraag") and an event from it are in the home timeline.
import { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient } from "masto";
import { detector } from "megalodon";

const [base, username, password, remoteHandle] = process.argv.slice(2);
const oob = "urn:ietf:wg:oauth:2.0:oob";

try {
  const app = await createRestAPIClient({ url: base }).v1.apps.create({
    clientName: "masto.js test",
    redirectUris: oob,
    scopes: "read write follow",
  });
  const token = await createOAuthAPIClient({ url: base }).token.create({
    grantType: "password",
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: oob,
    username,
    password,
    scope: "read write follow",
  });
  const rest = createRestAPIClient({ url: base, accessToken: token.accessToken });
  const me = await rest.v1.accounts.verifyCredentials();
  const status = await rest.v1.statuses.create({ status: "Hallo vanuit masto.js", visibility: "public" });
  const home = await rest.v1.timelines.home.list({ limit: 20 });
  const publicTimeline = await rest.v1.timelines.public.list({ local: true, limit: 20 });
  const instance = await rest.v2.instance.fetch();
  const software = await detector(base);

  // Live: the user stream over a WebSocket (token as subprotocol), then a post arrives.
  const streaming = createStreamingAPIClient({
    streamingApiUrl: instance.configuration.urls.streaming,
    accessToken: token.accessToken,
    retry: false,
  });
  const subscription = streaming.user.subscribe();
  const live = (async () => {
    for await (const event of subscription) {
      if (event.event === "update") return event.payload.content;
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await rest.v1.statuses.create({ status: "Live vanuit de buurt" });
  const streamed = await Promise.race([live, new Promise((resolve) => setTimeout(() => resolve("timed out"), 10000))]);
  subscription.unsubscribe();
  streaming.close();
  let remote = null;
  if (remoteHandle) {
    const found = await rest.v2.search.list({ q: remoteHandle, resolve: true, type: "accounts" });
    await rest.v1.accounts.$select(found.accounts[0].id).follow();
    let texts = [];
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      texts = (await rest.v1.timelines.home.list({ limit: 40 })).map((s) => s.content);
      if (["Hulpaanbod", "Hulpvraag", "activiteit"].every((word) => texts.some((t) => t.includes(word)))) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    remote = { acct: found.accounts[0].acct, home: texts };
  }
  console.log(JSON.stringify({
    remote,
    acct: me.acct,
    status: { id: status.id, visibility: status.visibility },
    home: home.map((s) => s.id),
    public: publicTimeline.map((s) => s.id),
    instance: { domain: instance.domain, version: instance.version, streaming: instance.configuration.urls.streaming },
    software,
    streamed,
  }));
} catch (error) {
  console.error(`masto_flow: ${error?.stack ?? error}`);
  process.exit(1);
}

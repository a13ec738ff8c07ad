// The demo's limit on what is posted to the rest-api flow (`/honeyflow/...`): a body larger than the
// flow takes gets the flow's own answer, 413 {error: "too-large", detail}, before Node-RED reads it.
// Node-RED's http in node reads the raw body of the flow's POST endpoints (their skip-body-parsing
// option) whole and without a limit, in a middleware it moves ahead of every other one on the server,
// httpNodeMiddleware and httpNodeAuth included: a 400 MiB POST took 400 MiB before the flow could
// refuse it. So this runs on the HTTP server itself, before Express (scripts/demo-node-red.js).
// A Node-RED of one's own, with the flow imported, needs a reverse proxy's body limit instead.

const path = require("path");

// Express and Node-RED's raw body reader route a request by parseurl's pathname, which is also the
// path of an absolute-form target (`POST http://host/honeyflow/predict`, a proxy's request form).
const expressDir = path.dirname(require.resolve("express", { paths: [path.dirname(require.resolve("node-red/package.json"))] }));
const parseurl = require(require.resolve("parseurl", { paths: [expressDir] }));

/** The largest body the flow takes: its predict node's limit, the longest line cowrie in reads (examples/rest-api.json). */
const MAX_BODY_BYTES = 1048576;
/** Express matches routes case-insensitively, and Node-RED's raw body reader folds repeated slashes. */
const FLOW_ROUTES = /^\/+honeyflow\//i;
/**
 * How long a refused request's connection stays open, not read from, before it is closed. Closed at
 * once, it reset the connection under the body still arriving, and a client busy sending lost the
 * answer before it read it (the demo's end-to-end test saw no 413 when the machine was busy).
 */
const LINGER_MS = 2000;
const refused = new WeakSet();

function refuse(req, res, detail) {
  refused.add(req);
  // Reads no more: paused, and read from once (so that Node does not read the rest to throw it
  // away), the request stops Node reading the connection once its small buffer is full.
  req.pause();
  req.read(0);
  const socket = req.socket;
  res.once("finish", () => setTimeout(() => socket.destroy(), LINGER_MS).unref());
  const body = JSON.stringify({ error: "too-large", detail });
  res.writeHead(413, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "X-Content-Type-Options": "nosniff",
  });
  res.end(body);
}

/**
 * `(req, res, next)`: refuses a body to the flow's routes whose Content-Length is over the limit at
 * once, and a chunked one (no Content-Length) as soon as it passes the limit; passes on the rest.
 */
function refuseOversizedBody(req, res, next) {
  if (!FLOW_ROUTES.test(parseurl(req)?.pathname || "")) return next();
  const declared = req.headers["content-length"];
  // Node's HTTP parser ends a body at its Content-Length (and refuses one that is not a number).
  if (declared !== undefined) {
    if (Number(declared) <= MAX_BODY_BYTES) return next();
    return refuse(req, res, `a body of ${declared} bytes exceeds the limit of ${MAX_BODY_BYTES}`);
  }
  // Chunked: counted as Node-RED reads it. Node-RED's reader is attached in the same tick as this
  // listener (next() runs Express's first middleware synchronously), so it misses no chunk.
  let received = 0;
  const count = (chunk) => {
    received += chunk.length;
    if (received <= MAX_BODY_BYTES) return;
    req.off("data", count);
    if (!res.headersSent) refuse(req, res, `a chunked body passed the limit of ${MAX_BODY_BYTES} bytes`);
  };
  req.on("data", count);
  next();
}

/** Whether `req` had its answer from the limit: Node-RED's reader, its body cut off, fails after it. */
function refusedForItsBody(req) {
  return refused.has(req);
}

module.exports = { MAX_BODY_BYTES, refuseOversizedBody, refusedForItsBody };

// The demo's Node-RED: node-red's own runtime, settings file and userDir, embedded as Node-RED's
// documentation shows (https://nodered.org/docs/user-guide/runtime/embedding) rather than started by
// its red.js, so that the HTTP server hands each request to the body limit before Express sees it
// (scripts/demo-body-limit.js says why nothing inside Node-RED can). Run by scripts/demo.js:
//   node scripts/demo-node-red.js <userDir> <port> <settings file>
const http = require("http");
const path = require("path");
const RED = require("node-red");
const { refuseOversizedBody, refusedForItsBody } = require("./demo-body-limit");

// The Express that Node-RED itself runs on, as red.js uses it.
const express = require(require.resolve("express", { paths: [path.dirname(require.resolve("node-red/package.json"))] }));

const [userDir, port, settingsFile] = process.argv.slice(2);
const settings = { ...require(settingsFile), settingsFile, userDir, uiPort: Number(port), httpAdminRoot: "/", httpNodeRoot: "/" };

const app = express();
const server = http.createServer((req, res) => refuseOversizedBody(req, res, () => app(req, res)));
// Every dashboard client and editor holds a listener on the server, as in red.js.
server.setMaxListeners(0);
RED.init(server, settings);
app.use(settings.httpAdminRoot, RED.httpAdmin);
app.use(settings.httpNodeRoot, RED.httpNode);
// A body refused by the limit is cut off under Node-RED's raw body reader, which then fails: the
// client has had its answer, and Express would print the failure's stack for each one.
app.use((err, req, res, next) => (refusedForItsBody(req) ? undefined : next(err)));

RED.start().then(() => {
  server.listen(settings.uiPort, settings.uiHost, () => RED.log.info(`Server now running at http://${settings.uiHost}:${settings.uiPort}/`));
}).catch((err) => {
  console.error(`demo: Node-RED did not start: ${err.stack || err}`);
  process.exit(1);
});

server.on("error", (err) => {
  console.error(`demo: Node-RED's server: ${err.message}`);
  process.exit(1);
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Nodes close (incidents send their update, context stores flush) before the process ends.
    RED.stop().then(() => process.exit(0));
  });
}

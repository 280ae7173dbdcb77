#!/usr/bin/env node
// Reference WebSocket echo server for bench/websocket.sh: the npm `ws` package, used the plain way.
//
// Listens on HOST:PORT, path /ws, accepts the sub-protocol `echo` (like ahttpd's /ws) and sends every
// complete TEXT/BINARY message back with the same opcode. No permessage-deflate (ahttpd has none either).
// One Node process, i.e. one thread of JavaScript: that is how a ws server is normally run.
//
// Usage: NODE_PATH=tests/e2e/node/node_modules node bench/ws_echo_server.js HOST PORT
// Exits on SIGTERM/SIGINT (open connections simply die with the process).
'use strict';

const { WebSocketServer } = require('ws');

const [host, portArg] = process.argv.slice(2);
const port = Number(portArg);
if (!host || !Number.isInteger(port) || port <= 0) {
  console.error('usage: ws_echo_server.js HOST PORT');
  process.exit(2);
}

const wss = new WebSocketServer({
  host,
  port,
  path: '/ws',
  backlog: 511, // as ahttpd and the other bench servers
  perMessageDeflate: false,
  clientTracking: false, // nothing here needs the set of clients
  maxPayload: 16 << 20,
  // Offered protocols arrive as a Set in client order; pick `echo` as ahttpd does, refuse a handshake without it.
  handleProtocols: (protocols) => (protocols.has('echo') ? 'echo' : false),
});

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {}); // a client killed mid-run must not take the server down
});
wss.on('listening', () => console.log(`ws echo server listening on ${host}:${port}`));

const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

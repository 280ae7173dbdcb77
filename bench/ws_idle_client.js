#!/usr/bin/env node
// Opens COUNT idle WebSocket connections (npm `ws`, sub-protocol `echo`) to URL and holds them, for the memory
// figure of bench/websocket.sh. Each connection completes its handshake (101) and then stays open and silent
// (no messages, no pings). Handshakes run CONNECT_PARALLEL at a time, so the listen backlog is never flooded.
// When every connection has been attempted, one line "open=N failed=M seconds=S" is written atomically to
// READY_FILE and to stdout; the connections are then held until SIGTERM/SIGINT or HOLD seconds have passed.
//
// Usage: NODE_PATH=tests/e2e/node/node_modules node bench/ws_idle_client.js URL COUNT READY_FILE [HOLD_SECONDS]
'use strict';

const fs = require('fs');
const WebSocket = require('ws');

const [url, countArg, readyFile, holdArg] = process.argv.slice(2);
const count = Number(countArg);
const holdS = Number(holdArg || 180);
if (!url || !(count > 0) || !readyFile) {
  console.error('usage: ws_idle_client.js URL COUNT READY_FILE [HOLD_SECONDS]');
  process.exit(2);
}

const CONNECT_PARALLEL = 250;
const t0 = Date.now();
const sockets = [];
let open = 0;
let failed = 0;
let started = 0;
let settledCount = 0;

function openOne() {
  const ws = new WebSocket(url, 'echo', { perMessageDeflate: false, handshakeTimeout: 10000 });
  let settled = false;
  const settle = (ok) => {
    if (settled) return;
    settled = true;
    if (ok) open++;
    else failed++;
    settledCount++;
    if (started < count) {
      started++;
      openOne();
    } else if (settledCount === count) {
      ready();
    }
  };
  ws.on('open', () => settle(true));
  ws.on('error', () => settle(false));
  ws.on('close', () => settle(false));
  sockets.push(ws);
}

function ready() {
  const line = `open=${open} failed=${failed} seconds=${((Date.now() - t0) / 1000).toFixed(2)}\n`;
  fs.writeFileSync(readyFile + '.tmp', line);
  fs.renameSync(readyFile + '.tmp', readyFile);
  process.stdout.write(line);
}

const stop = () => {
  for (const ws of sockets) ws.terminate();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setTimeout(stop, holdS * 1000);
// Keep the process alive while holding even if every connection failed.
setInterval(() => {}, 1 << 30);

for (let i = 0; i < Math.min(CONNECT_PARALLEL, count); i++) {
  started++;
  openOne();
}

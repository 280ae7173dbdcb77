#!/usr/bin/env node
// WebSocket echo load client for bench/websocket.sh (npm `ws`; the same client for ahttpd and the ws server).
//
// Opens CLIENTS connections to URL (sub-protocol `echo`, no permessage-deflate); when every one has been
// attempted it writes "connected=K" to READY_FILE (atomically) and waits for SIGUSR1. Connecting is kept apart
// from the traffic so that handshakes are not starved by the echoes of connections already open. On SIGUSR1 each
// connection sends WINDOW binary messages of SIZE bytes and then one new message per echo received, so it always
// has WINDOW messages in flight (a closed loop; WINDOW=1 is a ping-pong measuring round trips). Echoes are
// counted from WARMUP seconds after the signal, for DURATION seconds. Several processes signalled together
// measure the same interval.
//
// The replies to the echoes that arrive in one read go out in one write: the socket is corked from the first
// echo handled until the end of that tick (process.nextTick). Without it every message costs the client a
// write system call and the client, not the server, is measured (about 3x fewer messages/s against ahttpd).
// ws has no public API for this; `ws._socket` is its net.Socket (ws 8).
// Frames are masked with ws's usual random keys (not an all-zero key: the ws server skips unmasking for that,
// which would favour it).
//
// At the end it prints one JSON line to stdout and exits (closing its connections):
//   {"clients":C,"connected":K,"msgs":N,"bytes":B,"seconds":S,"cpu_us":U,"bad":X,"closed":Y,"errors":Z,"late":L}
// msgs/bytes: echoes received in the interval (bytes = payload bytes, one direction); seconds: the measured
// interval (hrtime); cpu_us: this process's user+system CPU over the interval; bad: echoes of the wrong length;
// closed/errors: connections lost before the end; late: connections not open at the signal (none are, as the
// signal comes after READY_FILE; they would start when open).
//
// Usage: NODE_PATH=tests/e2e/node/node_modules \
//          node bench/ws_load_client.js URL CLIENTS SIZE WINDOW WARMUP DURATION READY_FILE
'use strict';

const fs = require('fs');
const WebSocket = require('ws');

const [url, clientsArg, sizeArg, windowArg, warmupArg, durationArg, readyFile] = process.argv.slice(2);
const clients = Number(clientsArg);
const size = Number(sizeArg);
const window = Number(windowArg);
const warmupS = Number(warmupArg);
const durationS = Number(durationArg);
if (!url || !(clients > 0) || !(size >= 0) || !(window > 0) || !(warmupS >= 0) || !(durationS > 0) || !readyFile) {
  console.error('usage: ws_load_client.js URL CLIENTS SIZE WINDOW WARMUP DURATION READY_FILE');
  process.exit(2);
}

const CONNECT_PARALLEL = 200; // handshakes in progress at once, so the listen backlog is never flooded
const payload = Buffer.alloc(size, 0x61);
const sendOpts = { binary: true };

let received = 0; // echoes received since start (warm-up included)
let receivedBytes = 0;
let bad = 0;
let closed = 0;
let errors = 0;
let connected = 0;
let going = false; // SIGUSR1 has come
let finished = false;
const sockets = [];
const waiting = []; // connections open before the signal
let settledCount = 0;

// Sends one message; the first send of a tick corks the socket until the end of the tick.
function sendBatched(ws) {
  const sock = ws._socket;
  if (sock && !sock.benchCorked) {
    sock.benchCorked = true;
    sock.cork();
    process.nextTick(() => {
      sock.benchCorked = false;
      sock.uncork();
    });
  }
  ws.send(payload, sendOpts);
}

function begin(ws) {
  for (let i = 0; i < window; i++) sendBatched(ws);
}

function openOne(done) {
  const ws = new WebSocket(url, 'echo', { perMessageDeflate: false, handshakeTimeout: 10000 });
  let settled = false;
  const settle = () => {
    if (!settled) {
      settled = true;
      if (++settledCount === clients) ready();
      done();
    }
  };
  ws.on('open', () => {
    connected++;
    settle();
    if (going) begin(ws);
    else waiting.push(ws);
  });
  ws.on('message', (data) => {
    received++;
    receivedBytes += data.length;
    if (data.length !== size) bad++;
    if (!finished) sendBatched(ws);
  });
  ws.on('error', () => {
    if (!finished) errors++;
    settle();
  });
  ws.on('close', () => {
    if (!finished) closed++;
    settle();
  });
  sockets.push(ws);
}

// Keep CONNECT_PARALLEL handshakes going until every connection has been attempted.
let started = 0;
function next() {
  if (started < clients) {
    started++;
    openOne(next);
  }
}
for (let i = 0; i < Math.min(CONNECT_PARALLEL, clients); i++) next();

function ready() {
  fs.writeFileSync(readyFile + '.tmp', `connected=${connected}\n`);
  fs.renameSync(readyFile + '.tmp', readyFile);
}

let late = 0;
let m0; // snapshot at the start of the interval
function snapshot() {
  return { n: received, b: receivedBytes, t: process.hrtime.bigint(), cpu: process.cpuUsage() };
}
process.on('SIGUSR1', () => {
  if (going) return;
  going = true;
  late = clients - connected;
  for (const ws of waiting) begin(ws);
  waiting.length = 0;
  setTimeout(() => {
    m0 = snapshot();
    setTimeout(finish, durationS * 1000);
  }, warmupS * 1000);
});
// Wait for the signal (even if every connection failed), but never outlive a killed bench script for long.
setTimeout(() => process.exit(3), (300 + warmupS + durationS) * 1000);

function finish() {
  const m1 = snapshot();
  finished = true;
  const cpu = process.cpuUsage(m0.cpu);
  const out = {
    clients,
    connected,
    msgs: m1.n - m0.n,
    bytes: m1.b - m0.b,
    seconds: Number(m1.t - m0.t) / 1e9,
    cpu_us: cpu.user + cpu.system,
    bad,
    closed,
    errors,
    late,
  };
  process.stdout.write(JSON.stringify(out) + '\n', () => {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  });
}

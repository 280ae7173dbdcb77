// Drives the npm `ws` client against ahttpd's /ws `echo` protocol: sub-protocol negotiation, TEXT and BINARY
// echo, PING/PONG, a 60000-byte message and the close-code round trip. Prints one JSON line with what it saw;
// exits non-zero on failure or timeout.
// Usage: node ws_echo_check.js <port>
'use strict';
const path = require('path');
const WebSocket = require(path.join(__dirname, 'node_modules', 'ws'));

const port = Number(process.argv[2]);
const seen = { protocol: null, text: null, binary: null, pong: null, large: null, close: null };

function fail(why) {
  console.log(JSON.stringify({ ok: false, why, seen }));
  process.exit(1);
}
const timer = setTimeout(() => fail('timeout'), 10000);

const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['echo']);
ws.on('error', (e) => fail('socket error: ' + e.message));

// One expected reply at a time: each step sends, then waits for the matching event.
function nextMessage() {
  return new Promise((resolve) => ws.once('message', (data, isBinary) => resolve({ data, isBinary })));
}

ws.on('open', async () => {
  seen.protocol = ws.protocol;

  ws.send('hello from node');
  let m = await nextMessage();
  seen.text = { isBinary: m.isBinary, value: m.data.toString('utf8') };

  const bin = Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff]);
  ws.send(bin);
  m = await nextMessage();
  seen.binary = { isBinary: m.isBinary, hex: m.data.toString('hex') };

  const pong = new Promise((resolve) => ws.once('pong', (data) => resolve(data.toString('utf8'))));
  ws.ping('node-ping');
  seen.pong = await pong;

  const large = Buffer.alloc(60000);
  for (let i = 0; i < large.length; i++) large[i] = (i * 7) & 0xff;
  ws.send(large);
  m = await nextMessage();
  seen.large = { isBinary: m.isBinary, length: m.data.length, equal: Buffer.compare(m.data, large) === 0 };

  ws.close(4321, 'bye');
});

ws.on('close', (code, reason) => {
  clearTimeout(timer);
  seen.close = { code, reason: reason.toString('utf8') };
  const ok = seen.protocol === 'echo' &&
             seen.text && !seen.text.isBinary && seen.text.value === 'hello from node' &&
             seen.binary && seen.binary.isBinary && seen.binary.hex === '000102feff' &&
             seen.pong === 'node-ping' &&
             seen.large && seen.large.isBinary && seen.large.length === 60000 && seen.large.equal &&
             code === 4321;
  console.log(JSON.stringify({ ok, seen }));
  process.exit(ok ? 0 : 1);
});

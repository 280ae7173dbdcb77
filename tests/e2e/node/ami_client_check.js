// Drives the npm `asterisk-manager` client against ahttpd's AMI TCP port: login, Ping, a UserEvent that comes
// back as a pushed event, Logoff. Prints one JSON line with what it saw; exits non-zero on failure or timeout.
// Usage: node ami_client_check.js <port> <username> <secret>
'use strict';
const path = require('path');
const AsteriskManager = require(path.join(__dirname, 'node_modules', 'asterisk-manager'));

const [port, username, secret] = process.argv.slice(2);
const seen = { ping: null, userevent: null, logoff: null };

function fail(why) {
  console.log(JSON.stringify({ ok: false, why, seen }));
  process.exit(1);
}
const timer = setTimeout(() => fail('timeout'), 10000);

const ami = new AsteriskManager(Number(port), '127.0.0.1', username, secret, true);
ami.on('error', (e) => fail('socket error: ' + e));
ami.on('userevent-nodecheck', (evt) => {
  seen.userevent = evt;
  ami.action({ action: 'Logoff' }, (err, res) => {
    seen.logoff = res || err;
  });
});
ami.on('close', () => {
  clearTimeout(timer);
  const ok = seen.ping && seen.ping.ping === 'Pong' && seen.userevent && seen.logoff &&
             seen.logoff.response === 'Goodbye';
  console.log(JSON.stringify({ ok: !!ok, seen }));
  process.exit(ok ? 0 : 1);
});
ami.action({ action: 'Ping' }, (err, res) => {
  if (err) return fail('ping: ' + JSON.stringify(err));
  seen.ping = res;
  ami.action({ action: 'UserEvent', userevent: 'NodeCheck', header1: 'hello' }, (err2) => {
    if (err2) fail('userevent: ' + JSON.stringify(err2));
  });
});

/*
 * ami-console.js - the browser AMI console of ahttpd (ami-console.html).
 *
 * Talks to <prefix>/rawman with form POSTs; the browser keeps the
 * mansession_id cookie the server sets, so a Login makes the following
 * requests run on that manager session. Events are streamed by a WaitEvent
 * long-poll loop. Everything the server sends is put on the page through
 * textContent only (never innerHTML), so it cannot inject markup.
 */
(function () {
  'use strict';

  // Seconds each WaitEvent may block. The server caps it at its httptimeout
  // minus 10 (50 s by default); staying lower keeps the cookie fresh.
  const WAIT_TIMEOUT_S = 25;
  // After a network error the stream retries this often before giving up.
  const STREAM_MAX_RETRIES = 3;
  const STREAM_RETRY_DELAY_MS = 2000;
  // Oldest cards are dropped beyond these counts so a long session cannot
  // grow the page without bound.
  const MAX_RESPONSE_CARDS = 100;
  const MAX_EVENT_CARDS = 500;

  const $ = (id) => document.getElementById(id);
  const stamp = () => new Date().toLocaleTimeString();

  // The page is <prefix>/static/ami-console.html; the manager is
  // <prefix>/rawman. "static" is matched case-insensitively like the server.
  function managerUrl() {
    const path = location.pathname;
    const at = path.toLowerCase().lastIndexOf('/static/');
    const prefix = at >= 0 ? path.slice(0, at) : path.replace(/\/[^/]*\/[^/]*$/, '');
    return prefix + '/rawman';
  }
  const url = managerUrl();

  // --- AMI text ----------------------------------------------------------

  // Splits raw AMI text into blocks (an empty line ends a block); each block
  // is a list of [name, value] pairs in wire order. A line without ": " is
  // kept with an empty name (e.g. "No categories found").
  function parseBlocks(text) {
    const blocks = [];
    let block = [];
    for (const line of text.split(/\r?\n/)) {
      if (line === '') {
        if (block.length) blocks.push(block);
        block = [];
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) block.push(['', line]);
      else block.push([line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')]);
    }
    if (block.length) blocks.push(block);
    return blocks;
  }

  // AMI header names are case-insensitive; the first occurrence wins.
  function field(block, name) {
    const want = name.toLowerCase();
    for (const [key, value] of block) if (key.toLowerCase() === want) return value;
    return undefined;
  }

  // --- HTTP --------------------------------------------------------------

  // Sends one action with [name, value] pairs; resolves to
  // {status, text, blocks} or throws on a network error or abort.
  async function send(action, pairs, signal) {
    const body = new URLSearchParams();
    body.append('Action', action);
    for (const [name, value] of pairs) body.append(name, value);
    const response = await fetch(url, {
      method: 'POST',
      body, // URLSearchParams: sent as application/x-www-form-urlencoded
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
    const text = await response.text();
    return { status: response.status, text, blocks: parseBlocks(text) };
  }

  // --- rendering (DOM nodes and textContent only) -------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function blockTable(block) {
    const table = el('table', 'block');
    const head = block[0];
    const kind = head && /^(Response|Event)$/i.test(head[0]) ? head[0].toLowerCase() : 'other';
    table.dataset.kind = kind;
    if (kind === 'response') table.dataset.result = head[1].toLowerCase();
    const body = el('tbody');
    for (const [name, value] of block) {
      const row = el('tr');
      row.append(el('td', 'name', name), el('td', 'value', value));
      body.append(row);
    }
    table.append(body);
    return table;
  }

  function rawView(text) {
    const details = el('details', 'raw');
    details.append(el('summary', '', 'raw text'), el('pre', 'log', text.replace(/\r\n/g, '\n')));
    return details;
  }

  function prependCard(listId, card, limit) {
    const list = $(listId);
    list.prepend(card); // newest first
    while (list.children.length > limit) list.lastElementChild.remove();
  }

  function showResponse(title, reply) {
    const card = el('li', 'card');
    const heading = el('div', 'card-title');
    heading.append(el('strong', '', title), el('span', 'muted', '[' + stamp() + '] HTTP ' + reply.status));
    card.append(heading);
    if (!reply.blocks.length) card.append(el('p', 'muted', '(empty reply)'));
    for (const block of reply.blocks) card.append(blockTable(block));
    card.append(rawView(reply.text));
    prependCard('responses', card, MAX_RESPONSE_CARDS);
  }

  function showProblem(listId, text) {
    const card = el('li', 'card problem');
    card.append(el('div', 'card-title error', '[' + stamp() + '] ' + text));
    prependCard(listId, card, listId === 'events' ? MAX_EVENT_CARDS : MAX_RESPONSE_CARDS);
  }

  function showEvent(block) {
    const card = el('li', 'card event');
    const heading = el('div', 'card-title');
    heading.append(el('strong', '', field(block, 'Event') || '(event)'), el('span', 'muted', stamp()));
    card.append(heading, blockTable(block));
    // Also the event as raw lines, for searching and copying.
    card.append(rawView(block.map(([k, v]) => (k ? k + ': ' + v : v)).join('\n')));
    prependCard('events', card, MAX_EVENT_CARDS);
  }

  function setState(text, state) {
    $('state').textContent = text;
    $('state').dataset.state = state;
  }

  // --- actions -----------------------------------------------------------

  // Runs an action and shows its reply; returns the reply or null on error.
  async function run(action, pairs) {
    try {
      const reply = await send(action, pairs);
      showResponse(action, reply);
      return reply;
    } catch (err) {
      showProblem('responses', action + ' failed: ' + err.message);
      return null;
    }
  }

  function firstResponse(reply) {
    const block = reply && reply.blocks[0];
    return {
      ok: !!block && (field(block, 'Response') || '').toLowerCase() === 'success',
      message: (block && field(block, 'Message')) || (reply ? 'HTTP ' + reply.status : 'no reply'),
    };
  }

  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const user = $('username').value;
    $('login').disabled = true;
    $('login-message').textContent = 'logging in...';
    $('login-message').className = 'message';
    const reply = await run('Login', [['Username', user], ['Secret', $('secret').value]]);
    $('login').disabled = false;
    const result = firstResponse(reply);
    if (result.ok) {
      // "Already authenticated": the session stays with the user it had.
      if (!/already/i.test(result.message)) setState('logged in as ' + user, 'in');
      $('login-message').textContent = result.message;
      $('login-message').className = 'message good';
    } else {
      stopStream('');
      setState('not logged in', 'out');
      $('login-message').textContent = 'Login failed: ' + result.message;
      $('login-message').className = 'message error';
    }
  });

  $('logoff').addEventListener('click', async () => {
    stopStream('stopped (logged off)');
    await run('Logoff', []);
    setState('not logged in', 'out');
    $('login-message').textContent = 'Logged off';
    $('login-message').className = 'message';
  });

  function addParamRow(name, value) {
    const row = $('param-row').content.firstElementChild.cloneNode(true);
    row.querySelector('.param-name').value = name || '';
    row.querySelector('.param-value').value = value || '';
    row.querySelector('.remove').addEventListener('click', () => row.remove());
    $('params').append(row);
    return row;
  }

  // Rows with an empty name are skipped; an empty value is sent as "Name=".
  function paramPairs() {
    const pairs = [];
    for (const row of $('params').querySelectorAll('.param-row')) {
      const name = row.querySelector('.param-name').value.trim();
      if (name) pairs.push([name, row.querySelector('.param-value').value]);
    }
    return pairs;
  }

  $('add-param').addEventListener('click', () => addParamRow().querySelector('.param-name').focus());
  $('action-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    run($('action').value.trim(), paramPairs());
  });
  $('ping').addEventListener('click', () => run('Ping', []));

  // --- event stream (WaitEvent loop) ---------------------------------------

  // One object per started stream; stopping flips `running` and aborts the
  // request in flight, so a late reply of an old loop is ignored.
  let stream = null;

  function streamStatus(text) {
    $('stream-state').textContent = text;
  }

  function stopStream(reason) {
    if (!stream) return;
    stream.running = false;
    stream.abort.abort();
    stream = null;
    $('stream').textContent = 'Start streaming';
    $('stream').setAttribute('aria-pressed', 'false');
    streamStatus(reason);
  }

  function delay(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async function streamLoop(me) {
    let failures = 0;
    while (me.running) {
      let reply;
      try {
        reply = await send('WaitEvent', [['Timeout', String(WAIT_TIMEOUT_S)]], me.abort.signal);
      } catch (err) {
        if (!me.running) return;
        if (++failures > STREAM_MAX_RETRIES) {
          showProblem('events', 'event stream stopped: ' + err.message);
          return stopStream('stopped (network error)');
        }
        streamStatus('network error, retrying...');
        await delay(STREAM_RETRY_DELAY_MS);
        continue;
      }
      if (!me.running) return;
      failures = 0;
      if (reply.status !== 200) {
        showProblem('events', 'event stream stopped: HTTP ' + reply.status);
        return stopStream('stopped (HTTP ' + reply.status + ')');
      }
      // An empty reply means another WaitEvent on this session took over.
      if (!reply.blocks.length) {
        showProblem('events', 'event stream stopped: another WaitEvent took over this session');
        return stopStream('stopped (superseded)');
      }
      const head = firstResponse(reply);
      if (!head.ok) {
        // Typically "Permission denied": not logged in, or the session expired.
        showProblem('events', 'event stream stopped: ' + head.message);
        if (/permission denied/i.test(head.message)) setState('not logged in', 'out');
        return stopStream('stopped (' + head.message + ')');
      }
      streamStatus('streaming, last poll ' + stamp());
      for (const block of reply.blocks.slice(1)) {
        const name = field(block, 'Event');
        if (name === 'WaitEventComplete') continue;
        showEvent(block);
      }
    }
  }

  $('stream').addEventListener('click', () => {
    if (stream) return stopStream('stopped');
    stream = { running: true, abort: new AbortController() };
    $('stream').textContent = 'Stop streaming';
    $('stream').setAttribute('aria-pressed', 'true');
    streamStatus('streaming...');
    streamLoop(stream);
  });

  for (const button of document.querySelectorAll('[data-clear]'))
    button.addEventListener('click', () => $(button.dataset.clear).replaceChildren());

  $('endpoint').textContent = url;
  addParamRow();
})();

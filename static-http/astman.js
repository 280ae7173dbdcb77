/*
 * astman.js - a small client for AMI over HTTP (the /rawman URI), written for
 * ahttpd. Plain modern JavaScript, no dependencies.
 *
 *   const ami = new AstMan.Client();       // finds <prefix>/rawman itself
 *   await ami.login('admin', 'secret');    // the browser keeps the mansession_id cookie
 *   const r = await ami.send('Ping');      // r.ok, r.error, r.status, r.text, r.messages
 *   ami.startEvents(onevents, onstop);     // long-polls WaitEvent until stopEvents()
 *
 * A rawman reply is AMI text: "Key: Value" lines, each message ended by an
 * empty line. AstMan.parse() turns it into an array of plain objects.
 */
(function (global) {
  'use strict';

  // Split raw AMI text into messages. A key that repeats in one message (for
  // example the Output lines of Command) collects its values in an array; a
  // line without a colon is kept in the message's "_text" array.
  function parse(text) {
    const messages = [];
    let msg = null;
    for (const line of String(text).split(/\r?\n/)) {
      if (line === '') {
        if (msg) messages.push(msg);
        msg = null;
        continue;
      }
      msg = msg || {};
      const colon = line.indexOf(':');
      if (colon <= 0) {
        (msg._text = msg._text || []).push(line);
        continue;
      }
      const key = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      if (!(key in msg)) msg[key] = value;
      else if (Array.isArray(msg[key])) msg[key].push(value);
      else msg[key] = [msg[key], value];
    }
    if (msg) messages.push(msg);
    return messages;
  }

  // AMI header names are case-insensitive: get(msg, 'response').
  function get(msg, name) {
    const want = name.toLowerCase();
    for (const key of Object.keys(msg)) {
      if (key.toLowerCase() === want) return msg[key];
    }
    return undefined;
  }

  // The pages live at <prefix>/static/<file>, the manager at <prefix>/rawman.
  // The prefix is whatever comes before the last "/static/" of the page path
  // (the server matches "static" case-insensitively, so we do too). A path
  // without "/static/" falls back to the parent of the page's folder, which
  // is what "../rawman" would mean.
  function baseFromPath(pathname) {
    const at = pathname.toLowerCase().lastIndexOf('/static/');
    if (at >= 0) return pathname.slice(0, at);
    return pathname.replace(/\/[^/]*$/, '').replace(/\/[^/]*$/, '');
  }

  class Client {
    constructor(options = {}) {
      const base = options.base !== undefined ? options.base : baseFromPath(global.location.pathname);
      this.url = base + '/rawman';
      this.onexchange = null; // optional hook(requestUrlForDisplay, response)
      this._poll = 0;         // generation of the running WaitEvent loop; 0 = none
    }

    // Send one action. params: object or array of [key, value] pairs.
    async send(action, params = {}) {
      const query = new URLSearchParams();
      query.append('action', action);
      const pairs = Array.isArray(params) ? params : Object.entries(params);
      for (const [k, v] of pairs) query.append(k, v);
      const url = this.url + '?' + query.toString();
      const reply = await fetch(url, { method: 'GET', credentials: 'same-origin', cache: 'no-store' });
      const text = await reply.text();
      const messages = parse(text);
      const first = messages[0] || {};
      const response = {
        ok: reply.ok && /^(success|follows|goodbye)$/i.test(get(first, 'Response') || ''),
        status: reply.status,
        text: text,
        messages: messages,
        error: '',
      };
      if (!reply.ok) response.error = 'HTTP ' + reply.status + ' ' + reply.statusText;
      else if (!response.ok) response.error = get(first, 'Message') || 'no AMI response';
      if (this.onexchange) this.onexchange(displayUrl(query, this.url), response);
      return response;
    }

    login(username, secret) {
      return this.send('Login', { Username: username, Secret: secret });
    }

    logoff() {
      this.stopEvents();
      return this.send('Logoff');
    }

    ping() {
      return this.send('Ping');
    }

    listCommands() {
      return this.send('ListCommands');
    }

    // Long-poll WaitEvent until stopEvents(). onevents gets the events of each
    // reply (without the WaitEventComplete marker); onstop(reason) is called
    // once when the loop ends by itself. Only one WaitEvent may wait per
    // manager session (a new one makes the server end the old one with an
    // empty reply), so starting again replaces the running loop.
    async startEvents(onevents, onstop, timeout = 30) {
      const generation = ++this._poll;
      const running = () => this._poll === generation;
      let failures = 0;
      while (running()) {
        let r;
        try {
          r = await this.send('WaitEvent', { Timeout: String(timeout) });
          failures = 0;
        } catch (err) {
          if (++failures >= 5) return this._endPoll(generation, onstop, 'network error: ' + err.message);
          await new Promise(done => setTimeout(done, 2000));
          continue;
        }
        if (!running()) return;
        if (r.text === '') return this._endPoll(generation, onstop, 'another WaitEvent took over this session');
        if (!r.ok) return this._endPoll(generation, onstop, r.error);
        const events = r.messages.slice(1).filter(m => get(m, 'Event') !== 'WaitEventComplete');
        if (events.length && onevents) onevents(events);
      }
    }

    stopEvents() {
      this._poll = 0;
    }

    get polling() {
      return this._poll !== 0;
    }

    _endPoll(generation, onstop, reason) {
      if (this._poll !== generation) return;
      this._poll = 0;
      if (onstop) onstop(reason);
    }
  }

  // The request as shown to the user, with any secret masked.
  function displayUrl(query, url) {
    const shown = new URLSearchParams(query);
    for (const key of [...shown.keys()]) {
      if (/^(secret|key)$/i.test(key)) shown.set(key, '********');
    }
    return url + '?' + shown.toString();
  }

  // Format messages back into "Key: Value" text (for display).
  function format(messages) {
    return messages.map(m => Object.entries(m).flatMap(([k, v]) =>
      k === '_text' ? v : (Array.isArray(v) ? v : [v]).map(x => k + ': ' + x)).join('\n')).join('\n\n');
  }

  global.AstMan = { parse, get, format, baseFromPath, Client };
})(window);

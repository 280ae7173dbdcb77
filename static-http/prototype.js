/*
 * prototype.js - ahttpd's own tiny DOM helper file.
 *
 * This is NOT the Prototype JavaScript library. Asterisk installs a copy of
 * that third-party library under this name; ahttpd ships this small file of
 * its own instead, so old links to /static/prototype.js still resolve. It
 * offers only a few helpers used by ajamdemo.html and implements none of
 * Prototype's API beyond a "$" that looks an element up by id.
 */
(function (global) {
  'use strict';

  // Element by id.
  function $(id) {
    return typeof id === 'string' ? document.getElementById(id) : id;
  }

  // el('td', {class: 'name'}, 'text', otherNode) builds an element.
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  // Remove all children of an element.
  function clear(node) {
    $(node).replaceChildren();
  }

  // Show or hide an element.
  function show(node, visible = true) {
    $(node).hidden = !visible;
  }

  // Form values as a plain object: formValues('login') -> {username: ..., secret: ...}.
  function formValues(form) {
    return Object.fromEntries(new FormData($(form)).entries());
  }

  Object.assign(global, { $, el, clear, show, formValues });
})(window);

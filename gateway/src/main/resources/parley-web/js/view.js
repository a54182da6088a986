// Drawing the store into the page. Text always goes in with textContent (never as HTML).

const $ = (id) => document.getElementById(id);
let bannerTimer = null;

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) {
    e.className = className;
  }
  if (text !== undefined && text !== null) {
    e.textContent = text;
  }
  return e;
}

/** A stable pleasant color per user name. */
function hue(name) {
  let h = 0;
  for (const c of name || '?') {
    h = (h * 31 + c.codePointAt(0)) % 360;
  }
  return h;
}

export function avatar(name, target = el('span', 'avatar')) {
  target.textContent = (name || '?').slice(0, 1).toUpperCase();
  target.style.backgroundColor = `hsl(${hue(name)} 55% 45%)`;
  target.title = name || '';
  return target;
}

function time(ts) {
  const d = new Date(ts);
  const today = new Date();
  const hm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === today.toDateString() ? hm : `${d.toLocaleDateString()} ${hm}`;
}

// ---------------------------------------------------------------------- screens

export function showSignIn(error) {
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = error || '';
  $('signin-user').focus();
}

export function showApp(user) {
  $('signin').hidden = true;
  $('app').hidden = false;
  $('me-name').textContent = user;
  avatar(user, $('me-avatar'));
}

export function setStatus({ state, detail }) {
  const s = $('status');
  s.dataset.state = state;
  const banner = $('banner');
  if (state === 'online') {
    s.textContent = 'online';
    s.title = `connected to gateway ${detail || ''}`;
    banner.hidden = true;
  } else if (state === 'connecting') {
    s.textContent = 'connecting…';
  } else if (state === 'offline') {
    s.textContent = 'offline';
    const secs = detail && detail.retryAt ? Math.max(0, Math.round((detail.retryAt - Date.now()) / 1000)) : 0;
    banner.textContent = `Connection lost${detail && detail.reason && detail.reason !== 'network' ? ` (${detail.reason})` : ''}. `
      + `Reconnecting${secs > 0 ? ` in ${secs} s` : ''}… Messages you send now are sent when it is back.`;
    banner.dataset.kind = 'offline';
    banner.hidden = false;
    clearTimeout(bannerTimer);
  } else if (state === 'signed_out') {
    s.textContent = 'signed out';
  }
}

/** A line above the timeline; 'info' ones go away by themselves. */
export function showBanner(text, kind = 'info') {
  const banner = $('banner');
  clearTimeout(bannerTimer);
  banner.textContent = text;
  banner.dataset.kind = kind;
  banner.hidden = !text;
  if (text && kind === 'info') {
    bannerTimer = setTimeout(() => {
      if (banner.dataset.kind === 'info') {
        banner.hidden = true;
      }
    }, 5000);
  }
}

export function sideError(text) {
  $('side-error').textContent = text || '';
}

// ---------------------------------------------------------------------- sidebar

export function renderChannels(store, active, onPick) {
  const list = $('channel-list');
  list.replaceChildren();
  const channels = store.sortedChannels();
  $('no-channels').hidden = channels.length > 0;
  for (const ch of channels) {
    const li = el('li');
    li.dataset.channel = ch.name;
    if (ch.name === active) {
      li.classList.add('active');
    }
    const b = el('button', 'channel');
    b.type = 'button';
    b.append(sigil(ch), el('span', 'name', ch.name));
    const u = ch.name === active ? { count: 0, more: false } : store.unread(ch.name);
    if (u.count > 0 || u.more) {
      li.classList.add('has-unread');
      const badge = el('span', u.count > 0 ? 'badge unread' : 'badge dot', u.count > 0 ? `${u.count}${u.more ? '+' : ''}` : '');
      badge.title = 'new messages';
      b.append(badge);
    }
    b.addEventListener('click', () => onPick(ch.name));
    li.append(b);
    list.append(li);
  }
}

// ---------------------------------------------------------------------- conversation

/** '#' for public channels, a lock for private ones (drawn in CSS: no emoji font needed). */
function sigil(ch) {
  const s = el('span', ch.visibility === 'private' ? 'sigil private' : 'sigil', ch.visibility === 'private' ? '' : '#');
  s.title = ch.visibility === 'private' ? 'private channel' : 'public channel';
  return s;
}

export function renderHeader(ch) {
  $('channel-name').replaceChildren();
  if (ch) {
    $('channel-name').append(sigil(ch), document.createTextNode(' ' + ch.name));
  }
  $('channel-title').textContent = ch && ch.title ? ch.title : '';
  $('channel-tools').hidden = !ch;
  $('add-member-form').hidden = !ch;
  $('composer').hidden = !ch;
  $('empty').hidden = !!ch;
  $('load-older').hidden = !(ch && ch.hasOlder());
}

function describe(ev) {
  switch (ev.kind) {
    case 'channel_created':
      return `${ev.user} created the channel${ev.title ? ` “${ev.title}”` : ''} (${ev.visibility || 'public'})`;
    case 'member_joined':
      return ev.member === ev.user ? `${ev.member} joined` : `${ev.user} added ${ev.member}`;
    case 'member_left':
      return `${ev.member || ev.user} left`;
    default:
      return `${ev.user}: ${ev.kind}`; // a kind this page does not know yet
  }
}

function messageItem(ev, continued) {
  const li = el('li', continued ? 'msg cont' : 'msg');
  li.dataset.seq = ev.seq;
  li.dataset.kind = ev.kind;
  li.dataset.user = ev.user;
  if (ev.messageId) {
    li.dataset.messageId = ev.messageId;
  }
  li.append(continued ? el('span', 'avatar-space') : avatar(ev.user));
  const body = el('div', 'body');
  if (!continued) {
    const head = el('div', 'meta');
    head.append(el('span', 'user', ev.user), el('time', 'ts', time(ev.ts)));
    head.lastChild.dateTime = new Date(ev.ts).toISOString();
    body.append(head);
  }
  if (ev.threadRoot) {
    body.append(el('div', 'thread-ref', `↳ reply in thread #${ev.threadRoot}`));
  }
  body.append(el('div', 'text', ev.text));
  li.append(body);
  li.title = `#${ev.seq} · ${new Date(ev.ts).toLocaleString()}`;
  return li;
}

function pendingItem(m, me) {
  const li = el('li', `msg pending ${m.state}`);
  li.dataset.clientMsgId = m.clientMsgId;
  li.append(avatar(me));
  const body = el('div', 'body');
  const head = el('div', 'meta');
  head.append(el('span', 'user', me));
  const status = el('span', 'state', m.state === 'failed' ? `not sent: ${m.error || 'error'}` : 'sending…');
  head.append(status);
  body.append(head, el('div', 'text', m.text));
  if (m.state === 'failed') {
    const retry = el('button', 'link retry', 'Retry');
    retry.type = 'button';
    retry.dataset.retry = m.clientMsgId;
    body.append(retry);
  }
  li.append(body);
  return li;
}

/**
 * Draws the active channel's timeline: committed events in seq order, a "new" divider after `readMark`,
 * then my messages still in flight. Keeps the view at the bottom if it was there.
 */
export function renderTimeline(store, ch, readMark) {
  const box = $('timeline');
  const list = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  list.replaceChildren();
  if (!ch) {
    return;
  }
  let prev = null;
  let dividerDone = false;
  for (const ev of ch.timeline()) {
    if (!dividerDone && readMark > 0 && ev.seq > readMark && ev.user !== store.user && ev.kind === 'message') {
      const d = el('li', 'divider', 'new');
      list.append(d);
      dividerDone = true;
      prev = null;
    }
    if (ev.kind === 'message') {
      const continued = prev && prev.kind === 'message' && prev.user === ev.user && ev.ts - prev.ts < 5 * 60 * 1000
        && !ev.threadRoot;
      list.append(messageItem(ev, continued));
    } else {
      const li = el('li', 'sys', describe(ev));
      li.dataset.seq = ev.seq;
      li.dataset.kind = ev.kind;
      list.append(li);
    }
    prev = ev;
  }
  for (const m of store.pendingFor(ch.name)) {
    if (m.state !== 'sent' || !ch.events.has(m.seq)) {
      list.append(pendingItem(m, store.user));
    }
  }
  $('load-older').hidden = !ch.hasOlder();
  if (atBottom) {
    box.scrollTop = box.scrollHeight;
  }
}

export function scrollToBottom() {
  const box = $('timeline');
  box.scrollTop = box.scrollHeight;
}

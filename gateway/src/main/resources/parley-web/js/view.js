// Drawing the store into the page. Text always goes in with textContent (never as HTML).

import { INVISIBLE, MESSAGE_CHANGES } from '../sdk/index.js';

/** The reactions offered in the picker (any emoji or :shortcode: works through the protocol). */
export const QUICK_REACTIONS = ['👍', '🎉', '❤️', '😂', '👀', '🙏'];

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
  const dms = $('dm-list');
  list.replaceChildren();
  dms.replaceChildren();
  const channels = store.sortedChannels();
  $('no-channels').hidden = channels.some((c) => !c.direct);
  for (const ch of channels) {
    const li = el('li');
    li.dataset.channel = ch.name;
    if (ch.name === active) {
      li.classList.add('active');
    }
    const b = el('button', 'channel');
    b.type = 'button';
    b.append(sigil(ch), el('span', 'name', ch.displayName(store.user)));
    const u = ch.name === active ? { count: 0, more: false, mentions: 0 } : store.unread(ch.name);
    if (u.count > 0 || u.more) {
      li.classList.add('has-unread');
      if (u.mentions > 0) {
        const at = el('span', 'badge mention', `@${u.mentions}`);
        at.title = 'mentions of you';
        b.append(at);
      }
      const badge = el('span', u.count > 0 ? 'badge unread' : 'badge dot', u.count > 0 ? `${u.count}${u.more ? '+' : ''}` : '');
      badge.title = 'new messages';
      b.append(badge);
    }
    b.addEventListener('click', () => onPick(ch.name));
    li.append(b);
    (ch.direct ? dms : list).append(li);
  }
}

// ---------------------------------------------------------------------- conversation

/** '#' for public channels, a lock for private ones (drawn in CSS: no emoji font needed), '@' for direct ones. */
function sigil(ch) {
  if (ch.direct) {
    const d = el('span', 'sigil', '@');
    d.title = 'direct messages';
    return d;
  }
  const s = el('span', ch.visibility === 'private' ? 'sigil private' : 'sigil', ch.visibility === 'private' ? '' : '#');
  s.title = ch.visibility === 'private' ? 'private channel' : 'public channel';
  return s;
}

export function renderHeader(ch, me) {
  $('channel-name').replaceChildren();
  if (ch) {
    $('channel-name').append(sigil(ch), document.createTextNode(' ' + ch.displayName(me)));
  }
  $('channel-title').textContent = ch && ch.title ? ch.title : '';
  $('channel-tools').hidden = !ch || ch.direct;
  $('add-member-form').hidden = !ch || ch.direct;
  $('composer').hidden = !ch;
  $('empty').hidden = !!ch;
  $('load-older').hidden = !(ch && ch.hasOlder());
}

function describe(ev) {
  switch (ev.kind) {
    case 'channel_created':
      if (ev.direct) {
        return `${ev.user} started a conversation with ${(ev.members || []).filter((m) => m !== ev.user).join(', ')}`;
      }
      return `${ev.user} created the channel${ev.title ? ` “${ev.title}”` : ''} (${ev.visibility || 'public'})`;
    case 'member_joined':
      return ev.member === ev.user ? `${ev.member} joined` : `${ev.user} added ${ev.member}`;
    case 'member_left':
      return `${ev.member || ev.user} left`;
    default:
      return `${ev.user}: ${ev.kind}`; // a kind this page does not know yet
  }
}

/**
 * One message in its current state, with its reactions and actions. `ctx`: {me, owner, inThread}.
 */
function messageItem(m, continued, ctx) {
  const li = el('li', continued ? 'msg cont' : 'msg');
  li.dataset.seq = m.seq;
  li.dataset.kind = 'message';
  li.dataset.user = m.user;
  if (m.messageId) {
    li.dataset.messageId = m.messageId;
  }
  if (m.deleted) {
    li.classList.add('deleted');
  }
  if ((m.mentions || []).includes(ctx.me)) {
    li.classList.add('mentions-me');
  }
  li.append(continued ? el('span', 'avatar-space') : avatar(m.user));
  const body = el('div', 'body');
  if (!continued) {
    const head = el('div', 'meta');
    head.append(el('span', 'user', m.user), el('time', 'ts', time(m.ts)));
    head.lastChild.dateTime = new Date(m.ts).toISOString();
    body.append(head);
  }
  if (m.deleted) {
    body.append(el('div', 'text tombstone', 'This message was deleted.'));
  } else {
    const text = el('div', 'text', m.text);
    body.append(text);
    if (m.editedAt) {
      const edited = el('span', 'edited', '(edited)');
      edited.title = `edited ${new Date(m.editedAt).toLocaleString()}`;
      body.append(edited);
    }
  }
  if (m.reactions.size > 0) {
    const row = el('div', 'reactions');
    for (const [emoji, users] of m.reactions) {
      const chip = el('button', users.includes(ctx.me) ? 'reaction mine' : 'reaction', `${emoji} ${users.length}`);
      chip.type = 'button';
      chip.title = users.join(', ');
      chip.dataset.action = users.includes(ctx.me) ? 'unreact' : 'react';
      chip.dataset.emoji = emoji;
      chip.dataset.seq = m.seq;
      row.append(chip);
    }
    body.append(row);
  }
  if (!ctx.inThread && m.replies.length > 0) {
    const link = el('button', 'link replies', `${m.replies.length} ${m.replies.length === 1 ? 'reply' : 'replies'}`);
    link.type = 'button';
    link.dataset.action = 'thread';
    link.dataset.seq = m.seq;
    body.append(link);
  }
  if (!m.deleted) {
    body.append(actions(m, ctx));
  }
  li.append(body);
  li.title = `#${m.seq} · ${new Date(m.ts).toLocaleString()}`;
  return li;
}

/** The hover actions of a message: react, reply, and edit/delete where allowed. */
function actions(m, ctx) {
  const bar = el('div', 'actions');
  const add = (action, label, title) => {
    const b = el('button', 'act', label);
    b.type = 'button';
    b.dataset.action = action;
    b.dataset.seq = m.seq;
    b.title = title;
    bar.append(b);
  };
  add('pick', '☺+', 'React');
  if (!ctx.inThread && !m.threadRoot) {
    add('thread', '↳', 'Reply in thread');
  }
  if (m.user === ctx.me) {
    add('edit', '✎', 'Edit');
  }
  if (m.user === ctx.me || ctx.owner) {
    add('delete', '🗑', 'Delete');
  }
  return bar;
}

/** The emoji picker under a message. */
export function showPicker(li, seq) {
  const old = document.querySelector('.picker');
  if (old) {
    old.remove();
    if (old.dataset.seq === String(seq)) {
      return;
    }
  }
  const picker = el('div', 'picker');
  picker.dataset.seq = seq;
  for (const emoji of QUICK_REACTIONS) {
    const b = el('button', 'act', emoji);
    b.type = 'button';
    b.dataset.action = 'react';
    b.dataset.emoji = emoji;
    b.dataset.seq = seq;
    picker.append(b);
  }
  li.querySelector('.body').append(picker);
}

/** Inline editing of one of my messages: a textarea in place of the text. */
export function showEditor(li, text) {
  const body = li.querySelector('.body');
  const form = el('form', 'editor');
  const box = el('textarea');
  box.value = text;
  box.rows = Math.min(8, text.split('\n').length + 1);
  const save = el('button', null, 'Save');
  save.type = 'submit';
  const cancel = el('button', 'link', 'Cancel');
  cancel.type = 'button';
  cancel.dataset.action = 'cancel-edit';
  form.append(box, save, cancel);
  form.dataset.seq = li.dataset.seq;
  body.querySelector('.text').replaceWith(form);
  box.focus();
  return form;
}

function pendingItem(m, me) {
  const li = el('li', `msg pending ${m.state}`);
  li.dataset.clientMsgId = m.clientMsgId;
  li.append(avatar(me));
  const body = el('div', 'body');
  const head = el('div', 'meta');
  head.append(el('span', 'user', me));
  const status = el('span', 'state', m.state === 'failed' ? `not sent: ${(m.error && (m.error.message || m.error.code)) || 'error'}` : 'sending…');
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
 * Draws the active channel's timeline: messages in their current state and channel events in seq order (edits,
 * reactions and deletions show on their message, thread replies in their thread), a "new" divider after
 * `readMark`, then my messages still in flight. Keeps the view at the bottom if it was there.
 */
export function renderTimeline(store, ch, readMark) {
  const box = $('timeline');
  const list = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const picker = document.querySelector('.picker');
  const pickerSeq = picker ? picker.dataset.seq : null;
  if (document.querySelector('#messages .editor')) {
    return; // do not redraw under an edit in progress; the next render after it picks everything up
  }
  list.replaceChildren();
  if (!ch) {
    return;
  }
  const msgs = ch.messages();
  const ctx = { me: store.user, owner: ch.role === 'owner', inThread: false };
  let prev = null;
  let dividerDone = false;
  for (const ev of ch.timeline()) {
    if (MESSAGE_CHANGES.has(ev.kind) || INVISIBLE.has(ev.kind) || (ev.kind === 'message' && ev.threadRoot)) {
      continue;
    }
    if (!dividerDone && readMark > 0 && ev.seq > readMark && ev.user !== store.user && ev.kind === 'message') {
      const d = el('li', 'divider', 'new');
      list.append(d);
      dividerDone = true;
      prev = null;
    }
    if (ev.kind === 'message') {
      const continued = prev && prev.kind === 'message' && prev.user === ev.user && ev.ts - prev.ts < 5 * 60 * 1000;
      const li = messageItem(msgs.get(ev.seq), continued, ctx);
      list.append(li);
      if (pickerSeq === String(ev.seq)) {
        showPicker(li, ev.seq);
      }
    } else {
      const li = el('li', 'sys', describe(ev));
      li.dataset.seq = ev.seq;
      li.dataset.kind = ev.kind;
      list.append(li);
    }
    prev = ev;
  }
  for (const m of store.pendingFor(ch.name)) {
    list.append(pendingItem(m, store.user));
  }
  $('load-older').hidden = !ch.hasOlder();
  if (atBottom) {
    box.scrollTop = box.scrollHeight;
  }
}

/**
 * The thread panel: the root and its replies. `fetched` is the thread as the server sent it (current state,
 * also replies older than what this page loaded); live replies and changes come from the channel's events.
 */
export function renderThread(store, ch, root, fetched) {
  const panel = $('thread');
  panel.hidden = !ch || !root;
  if (panel.hidden) {
    return;
  }
  const list = $('thread-messages');
  list.replaceChildren();
  const msgs = ch.messages();
  const ctx = { me: store.user, owner: ch.role === 'owner', inThread: true };
  const fromServer = (m) => ({
    seq: m.seq, user: m.user, ts: m.ts, text: m.deleted ? null : m.text, deleted: !!m.deleted, editedAt: m.editedAt || null,
    reactions: new Map((m.reactions || []).map((r) => [r.emoji, r.users])), replies: [], threadRoot: m.threadRoot || null,
    messageId: m.messageId, mentions: m.mentions || [],
  });
  const rootMsg = msgs.get(root) || (fetched && fromServer(fetched.root));
  if (rootMsg) {
    list.append(messageItem(rootMsg, false, ctx));
  }
  const replies = new Map();
  for (const r of (fetched && fetched.replies) || []) {
    replies.set(r.seq, fromServer(r));
  }
  for (const m of msgs.values()) {
    if (m.threadRoot === root) {
      replies.set(m.seq, m); // the live state wins
    }
  }
  const sorted = [...replies.values()].sort((a, b) => a.seq - b.seq);
  const live = sorted.filter((r) => !r.deleted).length;
  $('thread-count').textContent = `${live} ${live === 1 ? 'reply' : 'replies'}`;
  for (const r of sorted) {
    list.append(messageItem(r, false, ctx));
  }
  for (const m of store.pendingFor(ch.name, root)) {
    list.append(pendingItem(m, store.user));
  }
}

export function scrollToBottom() {
  const box = $('timeline');
  box.scrollTop = box.scrollHeight;
}

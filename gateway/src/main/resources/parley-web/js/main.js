// The chat page: signs in, keeps one Connection, feeds the ChatStore and draws it.
// Frames are those of docs/protocol.md. Conversation features (edits, deletions, reactions, threads, read
// cursors, direct messages) are events too: store.js derives each message's current state from them.

import { devToken, tokenUser } from './api.js';
import { Connection, RequestError, newId } from './connection.js';
import { ChatStore } from './store.js';
import * as view from './view.js';

const $ = (id) => document.getElementById(id);
const HISTORY_PAGE = 50;

// Per tab (sessionStorage): two tabs can be two users; a reload keeps the tab signed in.
const session = {
  load() {
    try {
      return JSON.parse(sessionStorage.getItem('parley.session') || 'null');
    } catch (e) {
      return null;
    }
  },
  save(s) {
    sessionStorage.setItem('parley.session', JSON.stringify(s));
  },
  clear() {
    sessionStorage.removeItem('parley.session');
  },
};

/** One id per browser tab: each tab is a device with its own live stream. */
function deviceId() {
  let d = sessionStorage.getItem('parley.device');
  if (!d) {
    d = newId('web').slice(0, 24);
    sessionStorage.setItem('parley.device', d);
  }
  return d;
}

function wsUrl() {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

// ------------------------------------------------------------------------ state

let me = null; // {user, token, kind: 'dev'|'token'}
let store = null;
let conn = null;
let active = null; // channel name shown
let dividerMark = 0; // read mark of the active channel when it was opened
let renderQueued = false;
let thread = null; // {channel, root, fetched}: the open thread panel

function render() {
  if (renderQueued) {
    return;
  }
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    if (!store) {
      return;
    }
    if (active && document.visibilityState === 'visible') {
      store.markRead(active);
      syncReadCursor(store.channels.get(active));
    }
    const ch = active ? store.channels.get(active) : null;
    view.renderChannels(store, active, select);
    view.renderHeader(ch, store.user);
    view.renderTimeline(store, ch, dividerMark);
    const tch = thread && store.channels.get(thread.channel);
    view.renderThread(store, tch, tch ? thread.root : null, thread && thread.fetched);
  });
}

function select(name) {
  if (!store.channels.has(name)) {
    return;
  }
  active = name;
  if (thread && thread.channel !== name) {
    thread = null;
  }
  sessionStorage.setItem('parley.active', name);
  dividerMark = store.readSeq(name);
  const ch = store.channels.get(name);
  if (!ch.historyLoaded) {
    loadLatest(ch);
  }
  render();
  requestAnimationFrame(() => {
    view.scrollToBottom();
    $('composer-text').focus();
  });
}

function pickDefaultChannel() {
  if (active && store.channels.has(active)) {
    return;
  }
  const remembered = sessionStorage.getItem('parley.active');
  const first = store.sortedChannels()[0];
  active = null;
  if (remembered && store.channels.has(remembered)) {
    select(remembered);
  } else if (first) {
    select(first.name);
  }
}

// ------------------------------------------------------------------------ sign in / out

async function signIn(e) {
  e.preventDefault();
  const pasted = $('signin-token').value.trim();
  const user = $('signin-user').value.trim();
  $('signin-button').disabled = true;
  $('signin-error').textContent = '';
  try {
    if (pasted) {
      const named = tokenUser(pasted);
      if (!named) {
        throw new Error('that does not look like a JWT');
      }
      start({ user: named, token: pasted, kind: 'token' });
    } else {
      if (!user) {
        throw new Error('type a user name');
      }
      start({ user, token: await devToken(user), kind: 'dev' });
    }
  } catch (err) {
    if (err.code === 'dev_mode_off') {
      $('signin-token-box').open = true;
    }
    view.showSignIn(err.message);
  } finally {
    $('signin-button').disabled = false;
  }
}

function start(s) {
  me = s;
  session.save(s);
  store = new ChatStore(s.user);
  active = null;
  view.showApp(s.user);
  conn = new Connection({
    url: wsUrl(),
    device: deviceId(),
    token: async () => me.token,
    freshToken: async () => {
      if (me.kind !== 'dev') {
        return null;
      }
      me.token = await devToken(me.user);
      session.save(me);
      return me.token;
    },
    resume: () => store.resumePoints(),
    onWelcome,
    onFrame,
    onState: (st) => {
      view.setStatus(st);
      if (st.state === 'signed_out') {
        signOut(st.detail);
      }
    },
  });
  conn.start();
  render();
}

function signOut(reason) {
  if (conn) {
    conn.stop();
  }
  conn = null;
  store = null;
  me = null;
  session.clear();
  view.showSignIn(typeof reason === 'string' ? reason : '');
}

// ------------------------------------------------------------------------ from the gateway

function onWelcome(welcome) {
  if (welcome.user !== me.user) {
    // The token names someone else (a pasted token): the gateway is the authority.
    me.user = welcome.user;
    view.showApp(me.user);
  }
  store.applyWelcome(welcome);
  for (const ch of store.channels.values()) {
    if (!ch.historyLoaded && (ch.name === active || ch.head > store.readSeq(ch.name))) {
      loadLatest(ch); // the last page: unread counts need it, and the open channel shows it
    }
  }
  pickDefaultChannel();
  for (const m of store.unsent()) {
    trySend(m); // same clientMsgId: a send that did commit before the drop is acked as a duplicate
  }
  render();
}

function onFrame(f) {
  switch (f.type) {
    case 'event':
      onEvent(f);
      break;
    case 'ack':
      store.acked(f.clientMsgId, f.seq);
      render();
      break;
    case 'behind':
      catchUpThenFollow(f.channel);
      break;
    case 'caught_up':
      break;
    case 'resync':
      view.showBanner('The gateway asked this page to reconnect; resuming…', 'info');
      break;
    case 'error':
      onError(f);
      break;
    default:
      break; // frames of newer gateways that this page does not know
  }
}

function onEvent(ev) {
  const r = store.applyLive(ev);
  if (r.status === 'duplicate') {
    return;
  }
  const ch = r.channel;
  if (r.status === 'gap') {
    fillGap(ch);
  }
  if (ev.kind === 'member_left' && ev.member === store.user) {
    store.channels.delete(ch.name);
    if (active === ch.name) {
      active = null;
      pickDefaultChannel();
    }
  } else if (!ch.historyLoaded && (ev.kind === 'member_joined' || ev.kind === 'channel_created')) {
    loadLatest(ch); // a channel I just got into: show what came before
  }
  if (pendingSelect === ch.name) {
    pendingSelect = null;
    select(ch.name);
  }
  render();
}

function onError(f) {
  if (f.clientMsgId) {
    store.failed(f.clientMsgId, f.message || f.code);
  } else if (f.code === 'not_a_member' && f.channel) {
    store.channels.delete(f.channel);
  } else {
    view.showBanner(f.message || f.code, 'error');
  }
  render();
}

// ------------------------------------------------------------------------ reading history

function requestId() {
  return newId('r');
}

async function loadLatest(ch) {
  ch.historyLoaded = true;
  try {
    const page = await conn.request({ type: 'events', channel: ch.name, before: Math.max(ch.head, ch.cursor) + 1,
      limit: HISTORY_PAGE, requestId: requestId() });
    store.applyHistory(ch.name, page.events, page.head);
  } catch (err) {
    ch.historyLoaded = false; // tried again after the next welcome
  }
  render();
}

async function loadOlder() {
  const ch = active && store.channels.get(active);
  if (!ch || !ch.hasOlder()) {
    return;
  }
  const box = $('timeline');
  const fromBottom = box.scrollHeight - box.scrollTop;
  try {
    const page = await conn.request({ type: 'events', channel: ch.name, before: ch.from, limit: HISTORY_PAGE,
      requestId: requestId() });
    store.applyHistory(ch.name, page.events, page.head);
    const ch2 = store.channels.get(active);
    view.renderHeader(ch2, store.user);
    view.renderTimeline(store, ch2, dividerMark);
    box.scrollTop = box.scrollHeight - fromBottom;
  } catch (err) {
    view.showBanner('Could not load older messages: ' + err.message, 'error');
  }
}

/** Fetches every event after the channel's cursor (the live stream skipped some). */
async function fillGap(ch) {
  if (ch.filling) {
    return;
  }
  ch.filling = true;
  try {
    for (;;) {
      const before = ch.cursor;
      const page = await conn.request({ type: 'events', channel: ch.name, after: ch.cursor, limit: 1000,
        requestId: requestId() });
      store.applyHistory(ch.name, page.events, page.head);
      if (!page.more || ch.cursor === before) {
        break;
      }
    }
  } catch (err) {
    // offline: the next hello resumes from the cursor anyway
  } finally {
    ch.filling = false;
    render();
  }
}

/** After `behind`: page through what was missed, then ask for live delivery again. */
async function catchUpThenFollow(name) {
  const ch = store.channels.get(name);
  if (!ch) {
    return;
  }
  view.showBanner(`Catching up on #${name}…`, 'info');
  await fillGap(ch);
  conn.sendFrame({ type: 'subscribe', channel: name, after: ch.cursor });
  view.showBanner('', 'info');
}

// ------------------------------------------------------------------------ actions

async function trySend(m) {
  m.state = 'sending';
  try {
    const ack = await conn.request({ type: 'send', channel: m.channel, clientMsgId: m.clientMsgId, text: m.text,
      threadRoot: m.threadRoot || undefined }, 'clientMsgId');
    store.acked(m.clientMsgId, ack.seq);
  } catch (err) {
    if (err instanceof RequestError && err.code === 'timeout' && conn.isOnline()) {
      trySend(m); // same clientMsgId, so it cannot post twice
      return;
    }
    if (!(err instanceof RequestError) || err.code !== 'disconnected') {
      store.failed(m.clientMsgId, err.message);
    } // disconnected: stays 'sending' and goes again after the next welcome
  }
  render();
}

function send(e) {
  e.preventDefault();
  const box = $('composer-text');
  const text = box.value.trim();
  if (!text || !active) {
    return;
  }
  box.value = '';
  autosize();
  const m = store.queue(active, text, newId('m'));
  render();
  requestAnimationFrame(view.scrollToBottom);
  if (conn.isOnline()) {
    trySend(m);
  }
}

let pendingSelect = null;

async function channelAction(frame, button, onOk) {
  view.sideError('');
  button.disabled = true;
  try {
    const ok = await conn.request({ ...frame, requestId: requestId() });
    onOk(ok);
  } catch (err) {
    view.sideError(err.code === 'disconnected' ? 'Offline: try again when connected.' : err.message);
  } finally {
    button.disabled = false;
  }
}

function createChannel(e) {
  e.preventDefault();
  const name = $('create-name').value.trim();
  const title = $('create-title').value.trim();
  channelAction({ type: 'create_channel', channel: name, private: $('create-private').checked,
    title: title || undefined }, $('create-button'), () => {
    $('create-form').reset();
    openWhenThere(name);
  });
}

function joinChannel(e) {
  e.preventDefault();
  const name = $('join-name').value.trim();
  channelAction({ type: 'join', channel: name }, $('join-button'), () => {
    $('join-form').reset();
    openWhenThere(name);
  });
}

/** The channel shows up with its first live event for me (created / joined); open it then, or now. */
function openWhenThere(name) {
  if (store.channels.has(name)) {
    select(name);
  } else {
    pendingSelect = name;
  }
}

function addMember(e) {
  e.preventDefault();
  const user = $('add-member-user').value.trim();
  channelAction({ type: 'add_member', channel: active, user }, $('add-member-button'), (ok) => {
    $('add-member-form').reset();
    view.showBanner(ok.unchanged ? `${user} is already a member.` : `Added ${user} to #${ok.channel}.`, 'info');
  });
}

function leaveChannel() {
  if (!active || !confirm(`Leave #${active}?`)) {
    return;
  }
  channelAction({ type: 'leave', channel: active }, $('leave-button'), () => {});
}

// ------------------------------------------------------------------------ conversation actions

/** Tells the server how far I read (it syncs my other devices and the unread counts): up to the last message. */
function syncReadCursor(ch) {
  if (!ch || !conn || !conn.isOnline()) {
    return;
  }
  const upTo = Math.min(ch.lastMessageSeq(), store.readSeq(ch.name));
  if (upTo <= (ch.readSent || 0)) {
    return;
  }
  ch.readSent = upTo;
  conn.request({ type: 'mark_read', channel: ch.name, seq: upTo, requestId: requestId() }).catch(() => {
    ch.readSent = 0; // tried again on the next render
  });
}

/** A message action (edit, delete, react, unreact) as a request; its event updates the view. */
async function messageAction(frame) {
  try {
    await conn.request({ ...frame, requestId: requestId() });
  } catch (err) {
    view.showBanner(err.code === 'disconnected' ? 'Offline: try again when connected.' : err.message, 'error');
  }
}

async function openThread(channel, root) {
  thread = { channel, root, fetched: null };
  render();
  try {
    const page = await conn.request({ type: 'thread', channel, root, limit: 1000, requestId: requestId() });
    if (thread && thread.root === root && thread.channel === channel) {
      thread.fetched = page;
      render();
    }
  } catch (err) {
    view.showBanner('Could not load the thread: ' + err.message, 'error');
  }
  requestAnimationFrame(() => $('thread-text').focus());
}

function sendReply(e) {
  e.preventDefault();
  const box = $('thread-text');
  const text = box.value.trim();
  if (!text || !thread) {
    return;
  }
  box.value = '';
  const m = store.queue(thread.channel, text, newId('m'), thread.root);
  render();
  if (conn.isOnline()) {
    trySend(m);
  }
}

/** Clicks on messages (main timeline and thread panel): reactions, actions, retries. */
function onMessageClick(e) {
  const b = e.target.closest('button');
  if (!b || !store) {
    return;
  }
  if (b.dataset.retry) {
    const m = store.outbox.get(b.dataset.retry);
    if (m) {
      trySend(m);
      render();
    }
    return;
  }
  const ch = thread && e.currentTarget.id === 'thread-messages' ? store.channels.get(thread.channel) : store.channels.get(active);
  const seq = Number(b.dataset.seq);
  if (!ch || !b.dataset.action) {
    return;
  }
  switch (b.dataset.action) {
    case 'pick':
      view.showPicker(b.closest('li'), seq);
      break;
    case 'react':
    case 'unreact': {
      const picker = document.querySelector('.picker');
      if (picker) {
        picker.remove();
      }
      messageAction({ type: b.dataset.action, channel: ch.name, seq, emoji: b.dataset.emoji });
      break;
    }
    case 'thread':
      openThread(ch.name, seq);
      break;
    case 'edit': {
      const li = b.closest('li');
      const text = li.querySelector('.text').textContent;
      const form = view.showEditor(li, text);
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const newText = form.querySelector('textarea').value.trim();
        form.remove();
        if (newText && newText !== text) {
          messageAction({ type: 'edit', channel: ch.name, seq, text: newText });
        }
        render();
      });
      form.querySelector('textarea').addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
          ev.preventDefault();
          form.requestSubmit();
        } else if (ev.key === 'Escape') {
          form.remove();
          render();
        }
      });
      break;
    }
    case 'cancel-edit':
      b.closest('form').remove();
      render();
      break;
    case 'delete':
      if (confirm('Delete this message for everyone?')) {
        messageAction({ type: 'delete', channel: ch.name, seq });
      }
      break;
    default:
      break;
  }
}

function openDirect(e) {
  e.preventDefault();
  const users = $('dm-users').value.split(',').map((u) => u.trim()).filter(Boolean);
  if (!users.length) {
    return;
  }
  channelAction({ type: 'open_dm', users }, $('dm-button'), (ok) => {
    $('dm-form').reset();
    openWhenThere(ok.channel);
  });
}

function autosize() {
  const box = $('composer-text');
  box.style.height = 'auto';
  box.style.height = Math.min(box.scrollHeight, 200) + 'px';
}

// ------------------------------------------------------------------------ page wiring

function wire() {
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', () => signOut(''));
  $('composer').addEventListener('submit', send);
  $('composer-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      send(e);
    }
  });
  $('composer-text').addEventListener('input', autosize);
  $('create-form').addEventListener('submit', createChannel);
  $('join-form').addEventListener('submit', joinChannel);
  $('add-member-form').addEventListener('submit', addMember);
  $('leave-button').addEventListener('click', leaveChannel);
  $('load-older').addEventListener('click', loadOlder);
  $('messages').addEventListener('click', onMessageClick);
  $('thread-messages').addEventListener('click', onMessageClick);
  $('thread-form').addEventListener('submit', sendReply);
  $('thread-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      sendReply(e);
    }
  });
  $('thread-close').addEventListener('click', () => {
    thread = null;
    render();
  });
  $('dm-form').addEventListener('submit', openDirect);
  document.addEventListener('visibilitychange', render);
  setInterval(() => {
    // keeps the "reconnecting in N s" countdown current
    if (conn && conn.state === 'offline') {
      view.setStatus({ state: 'offline', detail: conn.detail });
    }
  }, 1000);
}

wire();
const saved = session.load();
if (saved && saved.user && saved.token) {
  start(saved);
} else {
  view.showSignIn('');
}

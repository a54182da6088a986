// The chat page: signs in and draws what one ParleyClient (the JavaScript SDK, clients/js, served at /sdk/)
// holds. The client does the protocol's part: reconnects and resumes, keeps my sends in an outbox (in this
// tab's localStorage: they survive a reload) until they are acknowledged, hands over every channel's events in
// order with gaps filled, and keeps each channel's materialized view (edits, deletions, reactions, threads).

import { ParleyClient, webStorage } from '../sdk/index.js';
import { devToken, tokenUser } from './api.js';
import { PageModel } from './model.js';
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

function newId(prefix) {
  return `${prefix}-${crypto.randomUUID()}`;
}

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
let store = null; // PageModel over the client
let client = null;
const loaded = new Set(); // channels whose latest page was asked for
const readSent = new Map(); // channel -> the read cursor last sent
let active = null; // channel name shown
let dividerMark = 0; // read mark of the active channel when it was opened
let renderQueued = false;
let thread = null; // {channel, root, fetched}: the open thread panel
let watchedKey = null; // the users whose presence was last asked for

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
    if (active && document.visibilityState === 'visible' && store.has(active)) {
      const v = store.channel(active);
      v.markRead(v.head);
      syncReadCursor(v);
    }
    const ch = active ? store.channel(active) || null : null;
    view.renderChannels(store, active, select);
    view.renderHeader(ch, store.user);
    view.renderTimeline(store, ch, dividerMark);
    const tch = thread && store.channel(thread.channel);
    view.renderThread(store, tch, tch ? thread.root : null, thread && thread.fetched);
    view.renderTyping(active ? store.typers(active) : []);
    watchPresence();
  });
}

/** Watches the presence of the users the page shows (when that set changes; the SDK watches again after reconnects). */
function watchPresence() {
  const users = store.usersToWatch(active);
  const key = users.join('\n');
  if (key === watchedKey || !client || client.state !== 'online') {
    return;
  }
  watchedKey = key;
  client.watchPresence(users).catch(() => {
    watchedKey = null; // asked again on a later render
  });
}

function select(name) {
  if (!store.has(name)) {
    return;
  }
  active = name;
  client.focus(name); // the channel on screen is pushed live; the others are pulled when their head moves
  if (thread && thread.channel !== name) {
    thread = null;
  }
  sessionStorage.setItem('parley.active', name);
  dividerMark = store.readSeq(name);
  if (!loaded.has(name)) {
    loadLatest(name);
  }
  render();
  requestAnimationFrame(() => {
    view.scrollToBottom();
    $('composer-text').focus();
  });
}

function pickDefaultChannel() {
  if (active && store.has(active)) {
    return;
  }
  const remembered = sessionStorage.getItem('parley.active');
  const first = store.sortedChannels()[0];
  active = null;
  if (remembered && store.has(remembered)) {
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
  active = null;
  watchedKey = null;
  loaded.clear();
  readSent.clear();
  view.showApp(s.user);
  const device = deviceId();
  client = new ParleyClient({
    url: wsUrl(),
    device,
    // Per user and tab: a reload of this tab finds its cursors and unsent messages again.
    storage: webStorage(localStorage, `parley.${s.user}.${device}.`),
    pull: true, // channels not on screen: head frames, pulled with events after (select() pushes the open one)
    token: async (reason) => {
      if (reason === 'connect') {
        return me.token;
      }
      if (me.kind !== 'dev') {
        return null; // a pasted token that expired or was refused: sign in again
      }
      me.token = await devToken(me.user);
      session.save(me);
      return me.token;
    },
  });
  store = new PageModel(client, s.user);
  client.on('state', (st) => {
    if (st.state === 'offline') {
      lastOffline = st;
    }
    view.setStatus({ state: st.state, detail: st.state === 'online' ? st.gateway : st });
    if (st.state === 'signed_out') {
      signOut(st.reason);
    }
  });
  client.on('welcome', onWelcome);
  client.on('event', onEvent);
  client.on('outbox', render);
  client.on('read', render);
  client.on('presence', render);
  client.on('typing', ({ channel }) => {
    if (channel === active) {
      render();
    }
  });
  client.on('channel_removed', render);
  client.on('channels', () => { // my channels past the welcome's list (welcome paging)
    loadUnread();
    render();
  });
  client.on('channel_reset', ({ channel }) => { // the gateway's history is shorter than what this tab had
    loaded.delete(channel);
    if (channel === active) {
      loadLatest(channel);
    }
    render();
  });
  client.on('error', (err) => {
    view.showBanner(err.message || err.code, 'error');
    render();
  });
  client.start();
  render();
}

function signOut(reason) {
  if (client) {
    client.close();
  }
  client = null;
  store = null;
  me = null;
  session.clear();
  view.showSignIn(typeof reason === 'string' ? reason : '');
}

// ------------------------------------------------------------------------ from the gateway

/** The last page of the open channel and of every channel with unread messages (their counts need it). */
function loadUnread() {
  for (const ch of store.sortedChannels()) {
    if (!loaded.has(ch.name) && (ch.name === active || ch.head > ch.lastRead)) {
      loadLatest(ch.name);
    }
  }
}

function onWelcome(welcome) {
  if (welcome.user !== me.user) {
    // The token names someone else (a pasted token): the gateway is the authority.
    me.user = welcome.user;
    store.user = welcome.user;
    view.showApp(me.user);
  }
  loadUnread();
  pickDefaultChannel();
  render();
}

function onEvent(ev) {
  const name = ev.channel;
  if (ev.kind === 'member_left' && ev.member === store.user) {
    client.forget(name);
    loaded.delete(name);
    if (active === name) {
      active = null;
      pickDefaultChannel();
    }
  } else if (!loaded.has(name) && (ev.kind === 'member_joined' || ev.kind === 'channel_created')) {
    loadLatest(name); // a channel I just got into: show what came before
  }
  if (pendingSelect === name && store.has(name)) {
    pendingSelect = null;
    select(name);
  }
  render();
}

// ------------------------------------------------------------------------ reading history

async function loadLatest(name) {
  loaded.add(name);
  try {
    await client.loadLatest(name, HISTORY_PAGE);
  } catch (err) {
    loaded.delete(name); // tried again after the next welcome
  }
  render();
}

async function loadOlder() {
  const ch = active && store.channel(active);
  if (!ch || !ch.hasOlder()) {
    return;
  }
  const box = $('timeline');
  const fromBottom = box.scrollHeight - box.scrollTop;
  try {
    await client.loadOlder(ch.name, HISTORY_PAGE);
    view.renderHeader(ch, store.user);
    view.renderTimeline(store, ch, dividerMark);
    box.scrollTop = box.scrollHeight - fromBottom;
  } catch (err) {
    view.showBanner('Could not load older messages: ' + err.message, 'error');
  }
}

// ------------------------------------------------------------------------ actions

/** Queues a message in the client's outbox: it is sent (again, after drops and reloads) until acknowledged. */
function post(channel, text, threadRoot) {
  client.send(channel, text, threadRoot ? { threadRoot } : {}).catch(() => {
    // refused for good: the outbox entry shows as failed, with a Retry button
  });
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
  post(active, text, null);
  requestAnimationFrame(view.scrollToBottom);
}

let pendingSelect = null;
let lastOffline = null;

async function channelAction(frame, button, onOk) {
  view.sideError('');
  button.disabled = true;
  try {
    const ok = await client.request(frame);
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
  if (store.has(name)) {
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
  if (!ch || !client || !client.state || client.state !== 'online') {
    return;
  }
  const upTo = Math.min(ch.lastMessageSeq(), ch.lastRead);
  if (upTo <= (readSent.get(ch.name) || 0)) {
    return;
  }
  readSent.set(ch.name, upTo);
  client.request({ type: 'mark_read', channel: ch.name, seq: upTo }).catch(() => {
    readSent.delete(ch.name); // tried again on the next render
  });
}

/** A message action (edit, delete, react, unreact) as a request; its event updates the view. */
async function messageAction(frame) {
  try {
    await client.request(frame);
  } catch (err) {
    view.showBanner(err.code === 'disconnected' ? 'Offline: try again when connected.' : err.message, 'error');
  }
}

async function openThread(channel, root) {
  thread = { channel, root, fetched: null };
  render();
  try {
    const page = await client.thread(channel, root, { limit: 1000 });
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
  post(thread.channel, text, thread.root);
}

/** Clicks on messages (main timeline and thread panel): reactions, actions, retries. */
function onMessageClick(e) {
  const b = e.target.closest('button');
  if (!b || !store) {
    return;
  }
  if (b.dataset.retry) {
    client.retry(b.dataset.retry).catch(() => {});
    render();
    return;
  }
  const ch = thread && e.currentTarget.id === 'thread-messages' ? store.channel(thread.channel) : store.channel(active);
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
  $('composer-text').addEventListener('input', () => {
    autosize();
    if (client && active && $('composer-text').value.trim()) {
      client.typing(active); // at most one frame per channel per 3 s (the SDK throttles)
    }
  });
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
  window.addEventListener('online', () => client && client.reconnectNow());
  setInterval(() => {
    // keeps the "reconnecting in N s" countdown current
    if (client && client.state === 'offline') {
      view.setStatus({ state: 'offline', detail: lastOffline });
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

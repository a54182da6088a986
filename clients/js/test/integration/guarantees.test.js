// The SDK's guarantees against a real Parley (see stack.js): sends land exactly once through a gateway SIGKILL
// and restart, and through a "reload" (a new client on the same storage); a frame dropped on the wire is a gap
// the SDK detects and fills. One stack for the whole file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { IDBFactory } from 'fake-indexeddb';
import { ParleyClient, indexedDbStorage, memoryStorage } from '../../src/index.js';
import { ROOT, Stack, until } from './stack.js';

/** @type {Stack} */
let stack;
/** @type {import('./stack.js').ChildGateway} */
let gateway;
const clients = [];

before(async () => {
  stack = await Stack.start();
  gateway = await stack.childGateway();
});

after(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await gateway?.kill();
  await stack?.stop();
});

/** A client of `user` on the child gateway (or `url`), recording its ordered events. */
function client(user, storage = memoryStorage(), extra = {}) {
  const c = new ParleyClient({ url: () => gateway.wsUrl, device: `${user}-it`, token: () => stack.token(user), storage,
    backoff: { baseMs: 100, maxMs: 1000 }, ...extra });
  c.seen = [];
  c.gaps = [];
  c.on('event', (ev) => c.seen.push(ev));
  c.on('gap', (g) => c.gaps.push(g));
  clients.push(c);
  return c;
}

/** Per clientMsgId, how many message events carry it; and whether the channel's seqs are 1..head without a gap. */
async function landed(user, channel, ids = []) {
  let events = [];
  // the REST read side may trail the committed log by a moment: wait until it shows every acked send
  await until(async () => {
    events = await stack.allEvents(user, channel);
    return ids.every((id) => events.some((e) => e.clientMsgId === id));
  }, 'the read side to show every send');
  const seqs = events.map((e) => e.seq);
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1), `the seqs of ${channel} are 1..head, no gap, no repeat`);
  const counts = new Map();
  for (const e of events.filter((x) => x.kind === 'message')) {
    counts.set(e.clientMsgId, (counts.get(e.clientMsgId) || 0) + 1);
  }
  return counts;
}

/** The seqs a client was handed for a channel are strictly consecutive. */
function assertOrdered(c, channel) {
  const seqs = c.seen.filter((e) => e.channel === channel).map((e) => e.seq);
  for (let i = 1; i < seqs.length; i++) {
    assert.equal(seqs[i], seqs[i - 1] + 1, `events of ${channel} handed over in order, no gap: ${seqs}`);
  }
}

test('the gateway is SIGKILLed mid-send and restarted: every queued send lands exactly once', { timeout: 180_000 }, async () => {
  const alice = client('alice');
  await alice.start();
  await alice.createChannel('kill-room');
  const ids = Array.from({ length: 30 }, (_, i) => `kill-${i}`);
  let acked = 0;
  const send = (id, i) => alice.send('kill-room', `message ${i}`, { clientMsgId: id }).then((ack) => {
    acked++;
    return ack;
  });
  // three acked first; then 27 go on the wire and the gateway is killed at once, before any of them can be acked
  // (not after "some acks": on a quiet box the whole burst can be acked within one poll)
  const sends = ids.slice(0, 3).map(send);
  await Promise.all(sends);
  let onTheWire = 0;
  const counting = (o) => o.change === 'queued' && onTheWire++;
  alice.on('outbox', counting);
  sends.push(...ids.slice(3).map((id, i) => send(id, i + 3)));
  await until(() => onTheWire === ids.length - 3, 'the rest queued and sent');
  await gateway.kill(); // some of the 27 committed but not acked, some never read: each must land once
  const ackedBeforeKill = acked;
  await until(() => alice.state === 'offline', 'the SDK to notice');
  await gateway.start(); // same port: the SDK's URL still works
  const acks = await Promise.all(sends);
  assert.ok(ackedBeforeKill < ids.length, 'the kill happened while sends were in flight');
  assert.deepEqual(acks.map((a) => a.clientMsgId), ids);
  const counts = await landed('alice', 'kill-room', ids);
  assert.deepEqual(ids.map((id) => counts.get(id)), ids.map(() => 1), 'one event per clientMsgId');
  assert.equal(alice.pending().length, 0, 'the outbox is empty');
  await until(() => alice.cursor('kill-room') === Math.max(...acks.map((a) => a.seq)), 'the stream to reach the last ack');
  assertOrdered(alice, 'kill-room');
  const messages = [...alice.view('kill-room').messages().values()].map((m) => m.text);
  assert.deepEqual(messages, ids.map((_, i) => `message ${i}`), 'the view holds each message once, in order');
});

test('a reload with unacked sends pending: the new client on the same storage sends them, each lands once', { timeout: 180_000 }, async () => {
  const storage = indexedDbStorage({ indexedDB: new IDBFactory(), name: 'bob-tab' });
  const first = client('bob', storage);
  await first.start();
  await first.createChannel('reload-room');
  const ids = Array.from({ length: 10 }, (_, i) => `reload-${i}`);
  let queued = 0;
  first.on('outbox', (o) => o.change === 'queued' && queued++);
  const sends = ids.slice(0, 5).map((id, i) => first.send('reload-room', `queued ${i}`, { clientMsgId: id }).catch(() => null));
  await until(() => queued === 5, 'the first sends queued (and on the wire)');
  await gateway.kill(); // acks are lost with it; some of those sends may have committed
  sends.push(...ids.slice(5).map((id, i) => first.send('reload-room', `queued ${i + 5}`, { clientMsgId: id }).catch(() => null)));
  await until(() => queued === 10, 'the sends typed while offline queued');
  await first.close(); // the page goes away with its outbox in the storage
  await Promise.all(sends);
  const left = first.pending().map((e) => e.clientMsgId);
  assert.ok(left.length > 0, 'sends were still unacked at the reload');
  await gateway.start();

  const second = client('bob', storage);
  const acked = new Set();
  second.on('outbox', (o) => o.change === 'acked' && acked.add(o.entry.clientMsgId));
  await second.start();
  assert.equal(second.cursor('reload-room') !== null, true, 'the cursor came back from the storage');
  await until(() => second.pending().length === 0, 'the reloaded outbox to drain');
  assert.deepEqual([...acked].sort(), [...left].sort(), 'the new client sent what the old one left');
  const counts = await landed('bob', 'reload-room', ids);
  assert.deepEqual(ids.map((id) => counts.get(id)), ids.map(() => 1), 'one event per clientMsgId');
  assertOrdered(second, 'reload-room');
});

test('a frame dropped on the wire is a gap: detected, filled with events after, handed over in order', { timeout: 120_000 }, async () => {
  let dropped = 0;
  // A fault-injecting decorator around the real WebSocket: drops the first message event with text 'drop me'.
  class DroppingWebSocket extends WebSocket {
    set onmessage(fn) {
      super.onmessage = (m) => {
        if (dropped === 0 && String(m.data).includes('"text":"drop me"')) {
          dropped++;
          return;
        }
        fn(m);
      };
    }
  }
  const carol = client('carol', memoryStorage(), { WebSocket: DroppingWebSocket });
  const dave = client('dave');
  await carol.start();
  await dave.start();
  await carol.createChannel('gap-room');
  await dave.join('gap-room');
  await dave.send('gap-room', 'before');
  await dave.send('gap-room', 'drop me');
  await dave.send('gap-room', 'after');
  await until(() => carol.view('gap-room').messages().size === 3, 'carol to have the three messages');
  assert.equal(dropped, 1);
  assert.equal(carol.gaps.length, 1, 'one gap detected');
  const texts = carol.seen.filter((e) => e.channel === 'gap-room' && e.kind === 'message').map((e) => e.text);
  assert.deepEqual(texts, ['before', 'drop me', 'after']);
  assertOrdered(carol, 'gap-room');
});

test('welcome paging: channels past the welcome\'s list are known, start at their heads, and resume after a restart', { timeout: 120_000 }, async () => {
  const owner = client('fay');
  await owner.start();
  const names = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
  for (const ch of names) {
    await owner.createChannel(ch);
  }
  const lastSend = await owner.send('page-e', 'before the restart');
  // the read side trails the log: wait until it lists all five with the last head, as a welcome would
  await until(async () => {
    const page = await owner.listChannels();
    return page.channels.length === 5 && page.channels.find((c) => c.channel === 'page-e').head === lastSend.seq;
  }, 'the read side to list the five channels');

  const storage = memoryStorage();
  const device = client('fay', storage, { device: 'fay-tablet' });
  const paged = new Promise((resolve) => device.on('channels', resolve));
  const welcome = await device.start();
  assert.deepEqual(welcome.channels.map((c) => c.channel), ['page-a', 'page-b'], 'the welcome lists 2 (PARLEY_WELCOME_CHANNELS)');
  assert.equal(welcome.more, true);
  const rest = /** @type {{channels: {channel: string}[]}} */ (await paged);
  assert.deepEqual(rest.channels.map((c) => c.channel), ['page-c', 'page-d', 'page-e'], 'paged after the welcome');
  assert.deepEqual([...device.channels.keys()].sort(), names);
  assert.equal(device.cursor('page-e'), lastSend.seq, 'a channel past the list starts at its head');
  assert.equal(device.view('page-e').head, lastSend.seq);
  await device.close();

  // while the tablet is away: a message in a channel its welcome does not list; the cursor kept makes it resume
  const missed = await owner.send('page-e', 'while the tablet was away');
  const back = client('fay', storage, { device: 'fay-tablet' });
  await back.start();
  await until(() => back.seen.some((e) => e.channel === 'page-e' && e.seq === missed.seq), 'the missed message on resume');
  assert.deepEqual(back.seen.filter((e) => e.channel === 'page-e').map((e) => e.seq), [missed.seq]);
});

test('a resume point beyond the channel\'s head (resume_ahead): the channel restarts at the head and goes on live', { timeout: 120_000 }, async () => {
  const gus = client('gus');
  await gus.start();
  await gus.createChannel('ahead-room');
  const first = await gus.send('ahead-room', 'one');
  // the gateway takes the head from the read side, which trails the log: wait until it has the message
  await landed('gus', 'ahead-room', [first.clientMsgId]);
  const storage = memoryStorage();
  await storage.set('cursor/ahead-room', first.seq + 1000); // e.g. a tab that knew a longer history
  const stale = client('gus', storage, { device: 'gus-old-tab' });
  const reset = new Promise((resolve) => stale.on('channel_reset', resolve));
  await stale.start();
  assert.deepEqual(await reset, { channel: 'ahead-room', head: first.seq });
  assert.equal(stale.cursor('ahead-room'), first.seq);
  const next = await gus.send('ahead-room', 'two');
  await until(() => stale.seen.some((e) => e.seq === next.seq), 'the next message, live');
  assert.deepEqual(stale.seen.filter((e) => e.channel === 'ahead-room').map((e) => e.text), ['two']);
});

/** The ```js block after `<!-- quickstart: NAME -->` in docs/clients.md, importing the SDK from this checkout. */
async function quickstart(name) {
  const { readFileSync, writeFileSync, mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const doc = readFileSync(join(ROOT, 'docs/clients.md'), 'utf8');
  const m = doc.match(new RegExp(`<!-- quickstart: ${name} -->\\s*\`\`\`js\\n([\\s\\S]*?)\`\`\``));
  assert.ok(m, `docs/clients.md has the ${name} quick start`);
  assert.ok(m[1].trim().split('\n').length <= 15, `the ${name} quick start is at most 15 lines`);
  const sdk = new URL('../../src/index.js', import.meta.url).href;
  const file = join(mkdtempSync(join(tmpdir(), 'parley-qs-')), `${name}.mjs`);
  writeFileSync(file, m[1].replace(/'(@parley\/client|\/sdk\/index\.js)'/g, `'${sdk}'`));
  return file;
}

test('the quick starts of docs/clients.md run: the Node bot echoes, the browser snippet posts', { timeout: 120_000 }, async () => {
  const { spawn } = await import('node:child_process');
  const erin = client('erin');
  await erin.start();
  await erin.createChannel('lobby');
  const bot = spawn(process.execPath, ['--experimental-websocket', await quickstart('node-bot')],
    { env: { ...process.env, PARLEY_HTTP: stack.httpUrl }, stdio: 'inherit' });
  try {
    await until(async () => (await stack.allEvents('erin', 'lobby')).some((e) => e.kind === 'member_joined' && e.member === 'echo-bot'),
      'the bot to join');
    await erin.send('lobby', 'ping');
    await until(() => erin.view('lobby').timeline().some((e) => e.user === 'echo-bot' && e.text === 'echo: ping'), 'the echo');
  } finally {
    bot.kill();
  }
  // The browser snippet, in Node with the few browser globals it uses.
  const area = new Map();
  globalThis.localStorage = { get length() { return area.size; }, key: (i) => [...area.keys()][i] ?? null,
    getItem: (k) => area.get(k) ?? null, setItem: (k, v) => area.set(k, String(v)), removeItem: (k) => area.delete(k) };
  globalThis.location = new URL(stack.httpUrl);
  const realFetch = globalThis.fetch;
  globalThis.fetch = (u, o) => realFetch(new URL(u, stack.httpUrl), o);
  let rendered = 0;
  globalThis.render = () => rendered++;
  try {
    await import(await quickstart('browser'));
  } finally {
    globalThis.fetch = realFetch;
  }
  await until(() => erin.view('lobby').timeline().some((e) => e.user === 'alice' && e.text === 'hello from the browser'),
    'the browser snippet\'s message');
  assert.ok(rendered > 0, 'the snippet rendered');
});

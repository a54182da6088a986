import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParleyClient } from '../../src/index.js';

/** A WebSocket stand-in: records what the client sends; the test plays the gateway with `receive`. */
class FakeSocket {
  /** @type {FakeSocket[]} */
  static opened = [];

  /** @param {string} url */
  constructor(url) {
    this.url = url;
    this.readyState = 1;
    /** @type {any[]} */
    this.sent = [];
    /** @type {any} */
    this.onopen = null;
    /** @type {any} */
    this.onmessage = null;
    /** @type {any} */
    this.onclose = null;
    /** @type {any} */
    this.onerror = null;
    FakeSocket.opened.push(this);
    setTimeout(() => this.onopen && this.onopen(), 0);
  }

  /** @param {string} data */
  send(data) {
    this.sent.push(JSON.parse(data));
  }

  close() {}

  /** @param {object} frame */
  receive(frame) {
    this.onmessage({ data: JSON.stringify(frame) });
  }
}

const until = async (cond) => {
  for (let i = 0; i < 200 && !cond(); i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok(cond(), 'condition not met');
};

const ev = (seq) => ({ type: 'event', channel: 'general', seq, kind: 'message', user: 'bob', text: `m${seq}`, eventId: `e${seq}`, ts: seq });

test('the hello asks for batches, and live events frames reach the stream in order with event frames, gaps filled', async () => {
  FakeSocket.opened = [];
  const c = new ParleyClient({ url: 'ws://gw/ws', device: 'unit', token: async () => 't', WebSocket: /** @type {any} */ (FakeSocket) });
  const seen = [];
  c.on('event', (e) => seen.push(e.seq));
  const started = c.start();
  await until(() => FakeSocket.opened.length === 1 && FakeSocket.opened[0].sent.length === 1);
  const ws = FakeSocket.opened[0];
  assert.equal(ws.sent[0].type, 'hello');
  assert.equal(ws.sent[0].batch, true);
  ws.receive({ type: 'welcome', user: 'alice', gateway: 'gw-1', channels: [{ channel: 'general', head: 4, role: 'member', lastRead: 4, unread: 0, mentions: 0 }],
    delivery: { batch: true, batchWindowMs: 25 } });
  await started;

  ws.receive({ type: 'events', channel: 'general', live: true, events: [ev(5), ev(6), ev(7)] });
  ws.receive(ev(8));
  ws.receive({ type: 'events', channel: 'general', live: true, events: [ev(8), ev(9)] }); // 8 again: dropped
  ws.receive({ type: 'events', channel: 'general', live: true, events: [ev(12), ev(13)] }); // 10, 11 missing
  assert.deepEqual(seen, [5, 6, 7, 8, 9]);
  await until(() => ws.sent.some((f) => f.type === 'events'));
  const ask = ws.sent.find((f) => f.type === 'events');
  assert.equal(ask.after, 9);
  ws.receive({ type: 'events', requestId: ask.requestId, channel: 'general', events: [ev(10), ev(11), ev(12)], head: 13, more: false });
  await until(() => seen.length === 9);
  assert.deepEqual(seen, [5, 6, 7, 8, 9, 10, 11, 12, 13]);
  assert.equal(c.cursor('general'), 13);
  await c.close();
});

test('a client can keep one frame per event', async () => {
  FakeSocket.opened = [];
  const c = new ParleyClient({ url: 'ws://gw/ws', device: 'unit', token: async () => 't', batch: false, WebSocket: /** @type {any} */ (FakeSocket) });
  c.start();
  await until(() => FakeSocket.opened.length === 1 && FakeSocket.opened[0].sent.length === 1);
  assert.equal(FakeSocket.opened[0].sent[0].batch, undefined);
  await c.close();
});

test('pull mode: a head is pulled with events after up to it, then caught_up; focus pushes one channel and pulls the one before', async () => {
  FakeSocket.opened = [];
  const c = new ParleyClient({ url: 'ws://gw/ws', device: 'unit', token: async () => 't', pull: true, WebSocket: /** @type {any} */ (FakeSocket) });
  const seen = [];
  const caught = [];
  c.on('event', (e) => seen.push(e.seq));
  c.on('caught_up', (e) => caught.push(e));
  const started = c.start();
  await until(() => FakeSocket.opened.length === 1 && FakeSocket.opened[0].sent.length === 1);
  const ws = FakeSocket.opened[0];
  assert.equal(ws.sent[0].pull, true);
  ws.receive({ type: 'welcome', user: 'alice', gateway: 'gw-1', channels: [
    { channel: 'general', head: 4, role: 'member', lastRead: 4, unread: 0, mentions: 0 },
    { channel: 'random', head: 2, role: 'member', lastRead: 2, unread: 0, mentions: 0 }] });
  await started;

  ws.receive({ type: 'head', channel: 'general', seq: 7 });
  await until(() => ws.sent.some((f) => f.type === 'events'));
  const ask = ws.sent.find((f) => f.type === 'events');
  assert.deepEqual([ask.channel, ask.after], ['general', 4]);
  ws.receive({ type: 'head', channel: 'general', seq: 9 }); // told again while pulling: the pull goes on to 9
  ws.receive({ type: 'events', requestId: ask.requestId, channel: 'general', events: [ev(5), ev(6), ev(7)], head: 7, more: false });
  await until(() => ws.sent.filter((f) => f.type === 'events').length === 2);
  const ask2 = ws.sent.filter((f) => f.type === 'events')[1];
  assert.equal(ask2.after, 7);
  ws.receive({ type: 'events', requestId: ask2.requestId, channel: 'general', events: [ev(8), ev(9)], head: 9, more: false });
  await until(() => caught.length === 1);
  assert.deepEqual(seen, [5, 6, 7, 8, 9]);
  assert.deepEqual(caught, [{ channel: 'general', seq: 9 }]);

  c.focus('general');
  c.focus('random');
  const modes = ws.sent.filter((f) => f.type === 'set_delivery').map((f) => [f.channel, f.mode, f.after]);
  assert.deepEqual(modes, [['general', 'push', 9], ['general', 'pull', undefined], ['random', 'push', 2]]);
  await c.close();
});

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

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParleyClient, PresenceBook, TypingBook, TypingThrottle } from '../../src/index.js';

test('a watch answer replaces what was known; presence frames change one user; visible:false hides', () => {
  const book = new PresenceBook();
  book.apply({ user: 'zed', status: 'online' });
  const states = book.applyWatch({ users: [{ user: 'bob', status: 'online', lastSeen: 5 }], notVisible: ['mallory'] });
  assert.deepEqual(states, [{ user: 'bob', status: 'online', lastSeen: 5 }]);
  assert.equal(book.get('zed'), undefined);
  assert.ok(book.hidden.has('mallory'));
  assert.deepEqual(book.apply({ user: 'bob', status: 'away', lastSeen: 9 }), { user: 'bob', status: 'away', lastSeen: 9 });
  assert.equal(book.apply({ user: 'bob', visible: false }), null);
  assert.equal(book.get('bob'), undefined);
  assert.ok(book.hidden.has('bob'));
});

test('typing indicators last expiresIn, are refreshed, and end with the typer\'s message', () => {
  const t = new TypingBook();
  t.typed('general', 'bob', 5000, 1000);
  t.typed('general', 'alice', 5000, 2000);
  assert.deepEqual(t.typers('general', 3000), ['alice', 'bob']);
  assert.equal(t.nextExpiry(), 6000);
  t.typed('general', 'bob', 5000, 5500); // refreshed
  assert.deepEqual(t.expire(6500), []);
  assert.deepEqual(t.typers('general', 6500), ['alice', 'bob']);
  assert.deepEqual(t.expire(7000), ['general']);
  assert.deepEqual(t.typers('general', 7000), ['bob']);
  assert.equal(t.stopped('general', 'bob'), true);
  assert.equal(t.stopped('general', 'bob'), false);
  assert.deepEqual(t.typers('general', 7000), []);
});

test('at most one typing frame per channel per interval, a new burst after a send', () => {
  const th = new TypingThrottle(3000);
  assert.equal(th.allow('general', 0), true);
  assert.equal(th.allow('general', 2999), false);
  assert.equal(th.allow('random', 10), true);
  th.reset('general');
  assert.equal(th.allow('general', 3000 - 1), true);
  assert.equal(th.allow('general', 6000), true);
});

test('the client watches again after every welcome, and reports presence and typing as they come', async () => {
  const c = new ParleyClient({ url: 'ws://127.0.0.1:1/ws', device: 'unit', token: async () => 't' });
  const requests = [];
  const sent = [];
  c.conn.isOnline = () => true;
  c.conn.send = (f) => {
    sent.push(f);
    return true;
  };
  c.conn.request = async (f) => {
    requests.push(f);
    return { type: 'presence_watch', requestId: f.requestId, users: [{ user: 'bob', status: 'online' }], notVisible: ['mal'] };
  };
  const presence = [];
  const typing = [];
  c.on('presence', (p) => presence.push(p));
  c.on('typing', (t) => typing.push(t));

  await c.watchPresence(['bob', 'mal', 'bob']);
  assert.deepEqual(requests[0].users, ['bob', 'mal']);
  assert.deepEqual(c.presence('bob'), { user: 'bob', status: 'online', lastSeen: undefined });

  c.setStatus('away');
  c.onWelcome({ type: 'welcome', user: 'alice', gateway: 'gw', channels: [] });
  await new Promise((r) => setImmediate(r));
  assert.equal(requests.length, 2, 'watched again after the welcome');
  assert.deepEqual(sent.filter((f) => f.type === 'set_status').map((f) => f.status), ['away', 'away']);

  c.onFrame({ type: 'presence', user: 'bob', status: 'away', lastSeen: 42 });
  assert.equal(c.presence('bob').status, 'away');
  c.onFrame({ type: 'typing', channel: 'general', user: 'bob', expiresIn: 5000 });
  assert.deepEqual(c.typers('general'), ['bob']);
  c.deliver({ type: 'event', channel: 'general', seq: 1, kind: 'message', user: 'bob', ts: 1, text: 'done' });
  assert.deepEqual(c.typers('general'), []);
  assert.deepEqual(typing.map((t) => t.users), [['bob'], []]);
  assert.deepEqual(presence.map((p) => p.status), ['online', 'online', 'away']);

  assert.equal(c.typing('general'), true);
  assert.equal(c.typing('general'), false, 'throttled');
  assert.deepEqual(sent.filter((f) => f.type === 'typing'), [{ type: 'typing', channel: 'general' }]);
  await c.close();
});

// Unit tests of the chat page's model (parley-web/js/store.js), with Node's own test runner:
//   node --experimental-detect-module --test gateway/src/test/js/page/
// (.ci/run runs them when node is installed). No packages needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatStore, deriveMessages } from '../../../main/resources/parley-web/js/store.js';

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)) };
}

const msg = (channel, seq, user, text, extra = {}) => ({ type: 'event', channel, seq, kind: 'message', user, text,
  ts: 1_700_000_000_000 + seq, ...extra });

function welcomed(user = 'bob', channels = [{ channel: 'lounge', head: 5, role: 'member', visibility: 'public' }]) {
  const s = new ChatStore(user, memoryStorage());
  s.applyWelcome({ type: 'welcome', user, channels });
  return s;
}

test('live events after the welcome head are kept once, in seq order', () => {
  const s = welcomed();
  assert.equal(s.applyLive(msg('lounge', 6, 'alice', 'a')).status, 'new');
  assert.equal(s.applyLive(msg('lounge', 7, 'alice', 'b')).status, 'new');
  assert.equal(s.applyLive(msg('lounge', 7, 'alice', 'b')).status, 'duplicate');
  assert.deepEqual(s.channels.get('lounge').timeline().map((e) => e.text), ['a', 'b']);
  assert.equal(s.channels.get('lounge').cursor, 7);
});

test('a jump in seq is reported as a gap and filled by a history page', () => {
  const s = welcomed();
  s.applyLive(msg('lounge', 6, 'alice', 'a'));
  const r = s.applyLive(msg('lounge', 9, 'alice', 'd'));
  assert.equal(r.status, 'gap');
  assert.equal(r.channel.cursor, 6, 'the resume point stays before the hole');
  s.applyHistory('lounge', [msg('lounge', 7, 'alice', 'b'), msg('lounge', 8, 'alice', 'c')], 9);
  assert.equal(s.channels.get('lounge').cursor, 9);
  assert.deepEqual(s.channels.get('lounge').timeline().map((e) => e.seq), [6, 7, 8, 9]);
});

test('resume points are the last contiguous seq of every channel', () => {
  const s = welcomed('bob', [{ channel: 'lounge', head: 5 }, { channel: 'quiet', head: 2 }]);
  s.applyLive(msg('lounge', 6, 'alice', 'a'));
  s.applyLive(msg('lounge', 8, 'alice', 'c'));
  assert.deepEqual(s.resumePoints(), { lounge: 6, quiet: 2 });
});

test('the latest history page below the head merges with live events already there', () => {
  const s = welcomed();
  s.applyLive(msg('lounge', 6, 'alice', 'live'));
  s.applyHistory('lounge', [1, 2, 3, 4, 5].map((n) => msg('lounge', n, 'alice', `old ${n}`)), 6);
  const ch = s.channels.get('lounge');
  assert.deepEqual(ch.timeline().map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
  assert.equal(ch.cursor, 6);
  assert.equal(ch.hasOlder(), false);
});

test('a channel I am added to starts at its join event; earlier events are history', () => {
  const s = welcomed('bob', []);
  const r = s.applyLive({ type: 'event', channel: 'side', seq: 3, kind: 'member_joined', user: 'alice', member: 'bob',
    role: 'member', ts: 1 });
  assert.equal(r.status, 'new');
  assert.equal(s.channels.get('side').role, 'member');
  assert.equal(s.channels.get('side').hasOlder(), true);
  assert.deepEqual(s.resumePoints(), { side: 3 });
});

test('my message in flight: the committed event replaces it whether it comes before or after the ack', () => {
  const s = welcomed();
  s.queue('lounge', 'first', 'm-1');
  s.queue('lounge', 'second', 'm-2');
  assert.deepEqual(s.unsent().map((m) => m.clientMsgId), ['m-1', 'm-2']);
  // m-1: ack first, then the event
  s.acked('m-1', 6);
  assert.equal(s.outbox.get('m-1').state, 'sent');
  s.applyLive(msg('lounge', 6, 'bob', 'first', { clientMsgId: 'm-1' }));
  assert.equal(s.outbox.has('m-1'), false);
  // m-2: the event overtakes the ack
  s.applyLive(msg('lounge', 7, 'bob', 'second', { clientMsgId: 'm-2' }));
  assert.equal(s.outbox.has('m-2'), false);
  s.acked('m-2', 7);
  assert.equal(s.outbox.size, 0);
  assert.deepEqual(s.channels.get('lounge').timeline().map((e) => e.text), ['first', 'second']);
});

test('a failed send stays in the outbox as failed and is not resent automatically', () => {
  const s = welcomed();
  s.queue('lounge', 'too long', 'm-9');
  s.failed('m-9', 'text is limited');
  assert.equal(s.outbox.get('m-9').state, 'failed');
  assert.deepEqual(s.unsent(), []);
});

test('unread counts others\' messages after my read mark, which survives a new store', () => {
  const storage = memoryStorage();
  const s = new ChatStore('bob', storage);
  s.applyWelcome({ channels: [{ channel: 'lounge', head: 0 }] });
  s.applyHistory('lounge', [], 0);
  s.applyLive(msg('lounge', 1, 'alice', 'a'));
  s.applyLive(msg('lounge', 2, 'bob', 'mine'));
  s.applyLive(msg('lounge', 3, 'alice', 'b'));
  assert.deepEqual(s.unread('lounge'), { count: 2, more: false, mentions: 0 });
  assert.equal(s.markRead('lounge'), true);
  assert.deepEqual(s.unread('lounge'), { count: 0, more: false, mentions: 0 });
  const again = new ChatStore('bob', storage);
  assert.equal(again.readSeq('lounge'), 3);
});

test('channels missing from a later welcome are dropped; leaving marks the channel', () => {
  const s = welcomed('bob', [{ channel: 'a', head: 1 }, { channel: 'b', head: 1 }]);
  s.applyLive({ type: 'event', channel: 'a', seq: 2, kind: 'member_left', user: 'bob', member: 'bob', ts: 1 });
  assert.equal(s.channels.get('a').left, true);
  assert.deepEqual(Object.keys(s.resumePoints()), ['b']);
  s.applyWelcome({ channels: [{ channel: 'b', head: 1 }] });
  assert.deepEqual([...s.channels.keys()], ['b']);
});

test('an event kind the page does not know is kept and does not break anything', () => {
  const s = welcomed();
  const r = s.applyLive({ type: 'event', channel: 'lounge', seq: 6, kind: 'something_new', user: 'alice', ts: 1 });
  assert.equal(r.status, 'new');
  assert.equal(s.channels.get('lounge').cursor, 6);
});

const ev = (channel, seq, kind, user, extra = {}) => ({ type: 'event', channel, seq, kind, user, ts: 1_700_000_000_000 + seq, ...extra });

test('a message shows its latest edit, its reactions and, once deleted, a tombstone without text', () => {
  const s = welcomed('bob', [{ channel: 'lounge', head: 0 }]);
  s.applyHistory('lounge', [], 0);
  s.applyLive(msg('lounge', 1, 'alice', 'draft'));
  s.applyLive(ev('lounge', 2, 'edited', 'alice', { messageSeq: 1, text: 'final' }));
  s.applyLive(ev('lounge', 3, 'reaction_added', 'bob', { messageSeq: 1, emoji: ':tada:' }));
  s.applyLive(ev('lounge', 4, 'reaction_added', 'carol', { messageSeq: 1, emoji: ':tada:' }));
  s.applyLive(ev('lounge', 5, 'reaction_removed', 'bob', { messageSeq: 1, emoji: ':tada:' }));
  let m = deriveMessages(s.channels.get('lounge')).get(1);
  assert.equal(m.text, 'final');
  assert.equal(m.editedAt, 1_700_000_000_002);
  assert.deepEqual([...m.reactions.entries()], [[':tada:', ['carol']]]);
  s.applyLive(ev('lounge', 6, 'deleted', 'alice', { messageSeq: 1 }));
  m = deriveMessages(s.channels.get('lounge')).get(1);
  assert.equal(m.deleted, true);
  assert.equal(m.text, null);
  assert.equal(m.reactions.size, 0);
});

test('an edit loaded before its message (scrolling back) applies once the message arrives', () => {
  const s = welcomed('bob', [{ channel: 'lounge', head: 3 }]);
  s.applyHistory('lounge', [ev('lounge', 3, 'edited', 'alice', { messageSeq: 1, text: 'later text' })], 3);
  assert.equal(deriveMessages(s.channels.get('lounge')).size, 0);
  s.applyHistory('lounge', [msg('lounge', 1, 'alice', 'first text'), msg('lounge', 2, 'bob', 'hi')], 3);
  assert.equal(deriveMessages(s.channels.get('lounge')).get(1).text, 'later text');
});

test('thread replies attach to their root and do not count as unread channel messages', () => {
  const s = welcomed('bob', [{ channel: 'lounge', head: 0 }]);
  s.applyHistory('lounge', [], 0);
  s.applyLive(msg('lounge', 1, 'alice', 'question'));
  s.applyLive(msg('lounge', 2, 'alice', 'answer', { threadRoot: 1 }));
  s.applyLive(msg('lounge', 3, 'carol', 'another', { threadRoot: 1 }));
  assert.deepEqual(deriveMessages(s.channels.get('lounge')).get(1).replies, [2, 3]);
  assert.equal(s.unread('lounge').count, 1);
});

test('my read cursor from another device clears unread here; the server counts cover what is not loaded', () => {
  const s = welcomed('bob', [{ channel: 'lounge', head: 40, lastRead: 30, unread: 7, mentions: 2 }]);
  assert.deepEqual(s.unread('lounge'), { count: 7, more: false, mentions: 2 }, 'nothing loaded: the server\'s counts');
  s.applyLive(msg('lounge', 41, 'alice', 'hey @bob', { mentions: ['bob'] }));
  assert.deepEqual(s.unread('lounge'), { count: 8, more: false, mentions: 3 });
  s.applyLive(ev('lounge', 42, 'read', 'bob', { upTo: 41 }));
  assert.equal(s.readSeq('lounge'), 41);
  assert.equal(s.unread('lounge').count, 0);
  assert.equal(s.channels.get('lounge').lastMessageSeq(), 41, 'read events are not messages: no read-cursor loop');
});

test('a direct channel is named after its other members', () => {
  const s = welcomed('bob', []);
  s.applyLive(ev('dm-abc', 1, 'channel_created', 'alice', { visibility: 'private', direct: true, members: ['alice', 'bob'] }));
  const ch = s.channels.get('dm-abc');
  assert.equal(ch.direct, true);
  assert.equal(ch.displayName('bob'), 'alice');
});

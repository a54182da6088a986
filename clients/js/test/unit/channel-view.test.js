import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelView } from '../../src/index.js';

const ev = (seq, kind, user, extra = {}) => ({ type: 'event', channel: 'lounge', seq, kind, user, ts: 1_700_000_000_000 + seq, ...extra });
const msg = (seq, user, text, extra = {}) => ev(seq, 'message', user, { text, ...extra });

test('a message shows its latest edit, its reactions and, once deleted, a tombstone without text', () => {
  const v = new ChannelView('lounge', 'bob');
  v.apply(msg(1, 'alice', 'draft'));
  v.apply(ev(2, 'edited', 'alice', { messageSeq: 1, text: 'final' }));
  v.apply(ev(3, 'reaction_added', 'bob', { messageSeq: 1, emoji: ':tada:' }));
  v.apply(ev(4, 'reaction_added', 'carol', { messageSeq: 1, emoji: ':tada:' }));
  v.apply(ev(5, 'reaction_removed', 'bob', { messageSeq: 1, emoji: ':tada:' }));
  let m = v.messages().get(1);
  assert.equal(m.text, 'final');
  assert.equal(m.editedAt, 1_700_000_000_002);
  assert.deepEqual([...m.reactions.entries()], [[':tada:', ['carol']]]);
  v.apply(ev(6, 'deleted', 'alice', { messageSeq: 1 }));
  m = v.messages().get(1);
  assert.equal(m.deleted, true);
  assert.equal(m.text, null);
  assert.equal(m.reactions.size, 0);
});

test('an edit loaded before its message (scrolling back) applies once the message arrives', () => {
  const v = new ChannelView('lounge', 'bob');
  v.applyPage([ev(3, 'edited', 'alice', { messageSeq: 1, text: 'later text' })], 3);
  assert.equal(v.messages().size, 0);
  assert.equal(v.hasOlder(), true);
  v.applyPage([msg(1, 'alice', 'first text'), msg(2, 'bob', 'hi')], 3, true);
  assert.equal(v.messages().get(1).text, 'later text');
  assert.equal(v.hasOlder(), false);
  assert.deepEqual(v.timeline().map((e) => e.seq), [1, 2, 3]);
});

test('thread replies attach to their root; a deleted reply leaves the count', () => {
  const v = new ChannelView('lounge', 'bob');
  v.apply(msg(1, 'alice', 'question'));
  v.apply(msg(2, 'alice', 'answer', { threadRoot: 1 }));
  v.apply(msg(3, 'carol', 'another', { threadRoot: 1 }));
  assert.deepEqual(v.messages().get(1).replies, [2, 3]);
  v.apply(ev(4, 'deleted', 'carol', { messageSeq: 3 }));
  assert.deepEqual(v.messages().get(1).replies, [2]);
  assert.equal(v.unread().count, 1, 'replies are not unread channel messages');
});

test('unread: the server counts cover what is not loaded; my read cursor from another device clears them', () => {
  const v = new ChannelView('lounge', 'bob');
  v.applyInfo({ channel: 'lounge', head: 40, lastRead: 30, unread: 7, mentions: 2 });
  assert.deepEqual(v.unread(), { count: 7, mentions: 2, more: false });
  v.apply(msg(41, 'alice', 'hey @bob', { mentions: ['bob'] }));
  assert.deepEqual(v.unread(), { count: 8, mentions: 3, more: false });
  v.apply(ev(42, 'read', 'bob', { upTo: 41 }));
  assert.equal(v.lastRead, 41);
  assert.equal(v.unread().count, 0);
  assert.equal(v.lastMessageSeq(), 41);
  assert.equal(v.markRead(40), false, 'a read cursor only moves forward');
});

test('a direct channel is named after its other members; leaving marks the view', () => {
  const v = new ChannelView('dm-abc', 'bob');
  v.apply(ev(1, 'channel_created', 'alice', { visibility: 'private', direct: true, members: ['alice', 'bob'] }));
  assert.equal(v.direct, true);
  assert.equal(v.displayName(), 'alice');
  v.apply(ev(2, 'member_left', 'bob', { member: 'bob' }));
  assert.equal(v.left, true);
});

test('an event kind this client does not know is kept and breaks nothing', () => {
  const v = new ChannelView('lounge', 'bob');
  assert.equal(v.apply(ev(6, 'something_new', 'alice')), true);
  assert.equal(v.apply(ev(6, 'something_new', 'alice')), false);
  assert.equal(v.messages().size, 0);
  assert.equal(v.head, 6);
});

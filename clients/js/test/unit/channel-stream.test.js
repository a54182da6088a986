import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelStream } from '../../src/index.js';

const ev = (seq) => ({ type: 'event', channel: 'c', seq, kind: 'message', user: 'u', ts: seq, text: `m${seq}` });

/** A stream over a fixed log; fetchAfter serves pages of `pageSize` from it. */
function streamOver(log, cursor, pageSize = 2) {
  const delivered = [];
  const fetched = [];
  const gaps = [];
  const s = new ChannelStream('c', cursor, {
    deliver: (e) => delivered.push(e.seq),
    fetchAfter: async (ch, after) => {
      fetched.push(after);
      const events = log.filter((e) => e.seq > after).slice(0, pageSize);
      return { events, more: log.some((e) => e.seq > after + pageSize), head: log.length };
    },
    onGap: (g) => gaps.push(g),
  });
  return { s, delivered, fetched, gaps };
}

test('in-order events are delivered, repeats dropped', () => {
  const { s, delivered, fetched } = streamOver([], 4);
  assert.equal(s.offer(ev(5)), 'delivered');
  assert.equal(s.offer(ev(6)), 'delivered');
  assert.equal(s.offer(ev(6)), 'duplicate');
  assert.equal(s.offer(ev(3)), 'duplicate');
  assert.deepEqual(delivered, [5, 6]);
  assert.deepEqual(fetched, []);
});

test('a gap is detected, filled with events-after pages, and what was held follows in order', async () => {
  const log = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(ev);
  const { s, delivered, fetched, gaps } = streamOver(log, 2, 2);
  assert.equal(s.offer(ev(7)), 'held');
  assert.equal(s.offer(ev(8)), 'held', 'live events during the fill wait their turn');
  await s.filling;
  assert.deepEqual(gaps, [{ channel: 'c', after: 2, seq: 7 }]);
  assert.deepEqual(fetched, [2, 4], 'pages until the held events connect, no further');
  assert.deepEqual(delivered, [3, 4, 5, 6, 7, 8]);
  assert.equal(s.cursor, 8);
  assert.equal(s.offer(ev(9)), 'delivered');
});

test('a channel seen first live starts at its first event', () => {
  const { s, delivered } = streamOver([], null);
  assert.equal(s.offer(ev(12)), 'delivered');
  assert.equal(s.cursor, 12);
  assert.deepEqual(delivered, [12]);
});

test('fill(upTo) pages up to a head (after behind) even with nothing held', async () => {
  const log = [1, 2, 3, 4, 5].map(ev);
  const { s, delivered } = streamOver(log, 0, 2);
  await s.fill(5);
  assert.deepEqual(delivered, [1, 2, 3, 4, 5]);
});

test('a failed fill keeps the held events until reset (the next connection replays the gap)', async () => {
  const delivered = [];
  const s = new ChannelStream('c', 1, { deliver: (e) => delivered.push(e.seq), fetchAfter: async () => {
    throw new Error('offline');
  } });
  s.offer(ev(4));
  await s.filling?.catch(() => {});
  assert.equal(s.held.size, 1);
  s.reset();
  assert.equal(s.held.size, 0);
  assert.equal(s.offer(ev(2)), 'delivered');
  assert.deepEqual(delivered, [2]);
});

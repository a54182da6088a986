import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../../src/index.js';

test('full jitter: each delay is drawn in [0, min(max, base * 2^n)]', () => {
  const top = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0.999999 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => top.next()), [99, 199, 399, 799, 999, 999]);
  const bottom = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0 });
  assert.deepEqual([1, 2, 3].map(() => bottom.next()), [0, 0, 0]);
});

test('the server\'s retryAfterMs is a floor, and a success starts over', () => {
  const b = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0.5 });
  assert.equal(b.next(), 50);
  assert.equal(b.next(700), 700);
  assert.equal(b.next(), 200);
  b.reset();
  assert.equal(b.next(), 50);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OverloadedError, ParleyClient, ParleyError, RateLimitedError } from '../../src/index.js';

/** A client whose transport answers each request with the next of `answers` (an Error rejects), recording the frames. */
function clientAnswering(answers) {
  const c = new ParleyClient({ url: 'ws://127.0.0.1:1/ws', device: 'unit', token: async () => 't' });
  const sent = [];
  c.conn.request = async (frame) => {
    sent.push(frame);
    const a = answers.shift();
    if (a instanceof Error) {
      throw a;
    }
    return a;
  };
  return { c, sent };
}

test('a request refused with rate_limited or overloaded is sent again with the same requestId after retryAfterMs', async () => {
  const ok = { type: 'ok', channel: 'general', seq: 3 };
  const { c, sent } = clientAnswering([new RateLimitedError('slow down', { retryAfterMs: 5 }),
    new OverloadedError('busy', { retryAfterMs: 5 }), ok]);
  assert.deepEqual(await c.join('general'), ok);
  assert.equal(sent.length, 3);
  assert.ok(sent[0].requestId);
  assert.deepEqual(sent.map((f) => f.requestId), [sent[0].requestId, sent[0].requestId, sent[0].requestId]);
});

test('other errors, and a refusal without retryAfterMs, are the caller\'s at once', async () => {
  const { c, sent } = clientAnswering([new ParleyError('not_allowed', 'private channel')]);
  await assert.rejects(c.join('secret'), (e) => e instanceof ParleyError && e.code === 'not_allowed');
  assert.equal(sent.length, 1);
  const second = clientAnswering([new RateLimitedError('slow down')]);
  await assert.rejects(second.c.join('general'), (e) => e instanceof RateLimitedError);
  assert.equal(second.sent.length, 1);
});

test('after five retries the refusal is the caller\'s', async () => {
  const { c, sent } = clientAnswering(Array.from({ length: 6 }, () => new OverloadedError('busy', { retryAfterMs: 1 })));
  await assert.rejects(c.join('general'), (e) => e instanceof OverloadedError);
  assert.equal(sent.length, 6);
});

test('sends refused mid-burst are sent again oldest first, and one burst of refusals is one back-off step', async () => {
  // the gateway admits a connection's sends to a channel in order: after b is refused, c is refused too (held back)
  const refusals = new Map([['b', 1], ['c', 1]]);
  const { c, sent } = clientAnswering([]);
  let attemptsAtRetry = -1;
  c.conn.isOnline = () => true;
  c.conn.request = async (frame) => {
    sent.push(frame.clientMsgId);
    if (sent.length === 4) {
      attemptsAtRetry = c.sendBackoff.attempt;
    }
    if (refusals.get(frame.clientMsgId)) {
      refusals.set(frame.clientMsgId, refusals.get(frame.clientMsgId) - 1);
      throw new RateLimitedError('slow down', { retryAfterMs: 5 });
    }
    return { type: 'ack', channel: 'general', clientMsgId: frame.clientMsgId, seq: sent.length };
  };
  const acks = await Promise.all(['a', 'b', 'c'].map((id) => c.send('general', id, { clientMsgId: id })));
  assert.deepEqual(sent, ['a', 'b', 'c', 'b', 'c']);
  assert.deepEqual(acks.map((a) => a.clientMsgId), ['a', 'b', 'c']);
  assert.ok(acks[1].seq < acks[2].seq, 'b lands before c');
  assert.equal(attemptsAtRetry, 1, 'the held-back refusal of c added no back-off step');
  assert.equal(c.pending().length, 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDBFactory } from 'fake-indexeddb';
import { Outbox, indexedDbStorage, memoryStorage, webStorage } from '../../src/index.js';

/** A Web Storage area over a Map (window.localStorage's interface). */
function area() {
  const m = new Map();
  return {
    get length() { return m.size; },
    key: (i) => [...m.keys()][i] ?? null,
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => m.set(k, String(v)),
    removeItem: (k) => m.delete(k),
    clear: () => m.clear(),
  };
}

const kinds = {
  memory: () => { const s = memoryStorage(); return () => s; },
  webStorage: () => { const a = area(); return () => webStorage(/** @type {any} */ (a), 'parley.alice.'); },
  indexedDB: () => { const f = new IDBFactory(); return () => indexedDbStorage({ indexedDB: f, name: 'parley-alice' }); },
};

for (const [name, make] of Object.entries(kinds)) {
  test(`${name}: values, prefixes and deletes survive a new handle on the same place`, async () => {
    const reopen = make();
    const s = reopen();
    await s.set('cursor/general', 41);
    await s.set('cursor/random', 7);
    await s.set('outbox/m-1', { text: 'hi', n: [1, 2] });
    await s.delete('cursor/random');
    const again = reopen();
    assert.equal(await again.get('cursor/general'), 41);
    assert.equal(await again.get('cursor/random'), undefined);
    assert.deepEqual(await again.get('outbox/m-1'), { text: 'hi', n: [1, 2] });
    assert.deepEqual((await again.keys('cursor/')).sort(), ['cursor/general']);
  });

  test(`${name}: an outbox reloaded from the storage has every unacked send, in order, with its state`, async () => {
    const reopen = make();
    const box = new Outbox(reopen());
    for (let i = 0; i < 5; i++) {
      await box.add({ clientMsgId: `m-${i}`, channel: 'general', text: `t${i}` });
    }
    await box.remove('m-1');
    await box.setState('m-3', 'failed', { code: 'not_a_member', message: 'no' });
    const reloaded = new Outbox(reopen());
    await reloaded.load();
    assert.deepEqual(reloaded.list().map((e) => `${e.clientMsgId}:${e.state}`), ['m-0:pending', 'm-2:pending', 'm-3:failed', 'm-4:pending']);
    const next = await reloaded.add({ clientMsgId: 'm-5', channel: 'general', text: 't5' });
    assert.ok(next.order > reloaded.get('m-4').order, 'new sends queue after the reloaded ones');
  });
}

// Where the client keeps what must survive a reconnect or a reload: its per-channel cursors and its outbox.
// Three implementations of one small async key-value interface: memory (tests, bots that need no restart
// safety), localStorage (a browser tab) and IndexedDB (browsers and workers; larger, asynchronous).

/**
 * JSON values by string key. Every method may be asynchronous.
 * @typedef {object} ClientStorage
 * @property {(key: string) => Promise<any>} get the value, or undefined
 * @property {(key: string, value: any) => Promise<void>} set
 * @property {(key: string) => Promise<void>} delete
 * @property {(prefix: string) => Promise<string[]>} keys every key that starts with prefix
 */

/**
 * In memory only: nothing survives the process, but the same object may be handed to a new client
 * (what a test of "reload" does).
 * @returns {ClientStorage}
 */
export function memoryStorage() {
  /** @type {Map<string, string>} */
  const m = new Map();
  return {
    async get(key) {
      const v = m.get(key);
      return v === undefined ? undefined : JSON.parse(v);
    },
    async set(key, value) {
      m.set(key, JSON.stringify(value));
    },
    async delete(key) {
      m.delete(key);
    },
    async keys(prefix) {
      return [...m.keys()].filter((k) => k.startsWith(prefix));
    },
  };
}

/**
 * A Web Storage area (window.localStorage or sessionStorage), every key under `prefix`.
 * @param {Storage} area
 * @param {string} [prefix] e.g. 'parley.alice.tab-1.' so that users and tabs do not share an outbox
 * @returns {ClientStorage}
 */
export function webStorage(area, prefix = 'parley.') {
  return {
    async get(key) {
      const v = area.getItem(prefix + key);
      return v === null ? undefined : JSON.parse(v);
    },
    async set(key, value) {
      area.setItem(prefix + key, JSON.stringify(value));
    },
    async delete(key) {
      area.removeItem(prefix + key);
    },
    async keys(p) {
      const out = [];
      for (let i = 0; i < area.length; i++) {
        const k = area.key(i);
        if (k !== null && k.startsWith(prefix + p)) {
          out.push(k.slice(prefix.length));
        }
      }
      return out;
    },
  };
}

/**
 * An IndexedDB database with one object store of JSON values.
 * @param {{indexedDB?: IDBFactory, name?: string}} [options] indexedDB defaults to globalThis.indexedDB
 * @returns {ClientStorage}
 */
export function indexedDbStorage(options = {}) {
  const factory = options.indexedDB || globalThis.indexedDB;
  if (!factory) {
    throw new Error('no IndexedDB here: pass options.indexedDB');
  }
  const name = options.name || 'parley';
  const STORE = 'kv';
  /** @type {Promise<IDBDatabase>|null} */
  let opened = null;
  const db = () => {
    if (!opened) {
      opened = new Promise((resolve, reject) => {
        const req = factory.open(name, 1);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return opened;
  };
  /**
   * @template T
   * @param {IDBTransactionMode} mode
   * @param {(store: IDBObjectStore) => IDBRequest<T>} op
   * @returns {Promise<T>}
   */
  const run = async (mode, op) => {
    const tx = (await db()).transaction(STORE, mode);
    const req = op(tx.objectStore(STORE));
    return new Promise((resolve, reject) => {
      // resolve when the transaction is durable, not just when the request succeeded
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error || req.error);
      tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'));
    });
  };
  return {
    async get(key) {
      return run('readonly', (s) => s.get(key));
    },
    async set(key, value) {
      await run('readwrite', (s) => s.put(value, key));
    },
    async delete(key) {
      await run('readwrite', (s) => s.delete(key));
    },
    async keys(prefix) {
      const keys = await run('readonly', (s) => s.getAllKeys());
      return keys.map(String).filter((k) => k.startsWith(prefix));
    },
  };
}


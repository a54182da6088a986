// Sends not yet acknowledged, persisted before they go on the wire: after a reconnect, or a reload of the
// page or process (a new client on the same storage), each is sent again with the same clientMsgId, which
// the gateway turns into the original ack — a message is never posted twice and never silently lost.

/** @typedef {import('./storage.js').ClientStorage} ClientStorage */

/**
 * @typedef {object} OutboxEntry
 * @property {string} clientMsgId
 * @property {string} channel
 * @property {string} text
 * @property {number|null} threadRoot
 * @property {number} at when it was queued (epoch ms)
 * @property {number} order queueing order, for entries queued in the same millisecond
 * @property {'pending'|'failed'} state failed: refused for good (e.g. invalid, not_a_member); retry() or discard()
 * @property {{code: string, message: string}|null} error why it failed
 */

const PREFIX = 'outbox/';

export class Outbox {
  /** @param {ClientStorage} storage */
  constructor(storage) {
    this.storage = storage;
    /** @type {Map<string, OutboxEntry>} */
    this.entries = new Map();
    this.counter = 0;
  }

  /** Reads what a previous client on this storage left unsent. */
  async load() {
    for (const key of await this.storage.keys(PREFIX)) {
      /** @type {OutboxEntry|undefined} */
      const e = await this.storage.get(key);
      if (e && e.clientMsgId) {
        this.entries.set(e.clientMsgId, e);
        this.counter = Math.max(this.counter, e.order + 1);
      }
    }
  }

  /**
   * Queues a send and persists it (before it is sent).
   * @param {{clientMsgId: string, channel: string, text: string, threadRoot?: number|null}} send
   * @returns {Promise<OutboxEntry>}
   */
  async add(send) {
    /** @type {OutboxEntry} */
    const entry = { clientMsgId: send.clientMsgId, channel: send.channel, text: send.text,
      threadRoot: send.threadRoot ?? null, at: Date.now(), order: this.counter++, state: 'pending', error: null };
    this.entries.set(entry.clientMsgId, entry);
    await this.storage.set(PREFIX + entry.clientMsgId, entry);
    return entry;
  }

  /** @param {string} clientMsgId */
  get(clientMsgId) {
    return this.entries.get(clientMsgId);
  }

  /**
   * Acknowledged (or its committed event seen): forgotten.
   * @param {string} clientMsgId
   * @returns {Promise<boolean>} whether it was there
   */
  async remove(clientMsgId) {
    if (!this.entries.delete(clientMsgId)) {
      return false;
    }
    await this.storage.delete(PREFIX + clientMsgId);
    return true;
  }

  /**
   * @param {string} clientMsgId
   * @param {'pending'|'failed'} state
   * @param {{code: string, message: string}|null} [error]
   */
  async setState(clientMsgId, state, error = null) {
    const e = this.entries.get(clientMsgId);
    if (!e) {
      return undefined;
    }
    e.state = state;
    e.error = error;
    await this.storage.set(PREFIX + clientMsgId, e);
    return e;
  }

  /**
   * Entries in the order they were queued.
   * @param {(e: OutboxEntry) => boolean} [filter]
   */
  list(filter = () => true) {
    return [...this.entries.values()].filter(filter).sort((a, b) => a.order - b.order);
  }
}

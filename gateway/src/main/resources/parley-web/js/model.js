// What the page draws, read from the SDK's client (clients/js, served at /sdk/): my channels (its materialized
// views), their unread counts, and my messages not committed yet (its outbox). No state of its own beyond
// what only the page cares about (which pages of history it asked for).

/** @typedef {import('../sdk/index.js').ParleyClient} ParleyClient */
/** @typedef {import('../sdk/index.js').ChannelView} ChannelView */

export class PageModel {
  /**
   * @param {ParleyClient} client
   * @param {string} user
   */
  constructor(client, user) {
    this.client = client;
    this.user = user;
  }

  /** @param {string} name */
  channel(name) {
    const v = this.client.views.get(name);
    return v && !v.left ? v : undefined;
  }

  /** @param {string} name */
  has(name) {
    return this.channel(name) !== undefined;
  }

  /** My channels (their views), by name. */
  sortedChannels() {
    return [...this.client.views.values()].filter((v) => !v.left).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * My sends in flight (or refused) in a channel: top-level ones, or the replies of one thread.
   * @param {string} channel
   * @param {number|null} [threadRoot]
   */
  pendingFor(channel, threadRoot = null) {
    return this.client.pending(channel, threadRoot);
  }

  /** @param {string} name */
  unread(name) {
    const v = this.channel(name);
    return v ? v.unread() : { count: 0, more: false, mentions: 0 };
  }

  /** @param {string} name */
  readSeq(name) {
    return this.channel(name)?.lastRead || 0;
  }
}

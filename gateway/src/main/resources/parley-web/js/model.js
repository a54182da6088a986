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

  /**
   * A user's presence as far as this user may see it: 'online', 'away', 'offline', or null (not watched, or
   * sharing no channel).
   * @param {string} user
   */
  presenceOf(user) {
    return this.client.presence(user)?.status || null;
  }

  /** @param {string} name @returns {string[]} the others typing in the channel now */
  typers(name) {
    return this.client.typers(name);
  }

  /**
   * Whose presence the page shows: the other members of my direct channels and the authors in the open channel
   * (at most `max`, the gateway's default bound).
   * @param {string|null} active
   * @param {number} [max]
   * @returns {string[]}
   */
  usersToWatch(active, max = 500) {
    const users = new Set();
    for (const v of this.sortedChannels()) {
      if (v.direct) {
        v.members.filter((m) => m !== this.user).forEach((m) => users.add(m));
      }
    }
    const open = active ? this.channel(active) : undefined;
    if (open) {
      for (const ev of open.timeline()) {
        if (ev.kind === 'message' && ev.user !== this.user) {
          users.add(ev.user);
        }
      }
    }
    return [...users].sort().slice(0, max);
  }
}

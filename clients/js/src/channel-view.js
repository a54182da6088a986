// A channel's materialized state, derived from its events in seq order: edits applied, deletions as tombstones,
// reactions aggregated, thread replies attached to their root, the user's read cursor and unread counts.
// Pure data, no I/O: the client feeds it its ordered stream and the history pages it loads.

/** @typedef {import('./types.js').ChannelEvent} ChannelEvent */
/** @typedef {import('./types.js').ChannelInfo} ChannelInfo */

/**
 * A message in its current state.
 * @typedef {object} Message
 * @property {number} seq
 * @property {string} user
 * @property {number} ts
 * @property {string|null} text null once deleted
 * @property {boolean} deleted
 * @property {number|null} editedAt
 * @property {Map<string, string[]>} reactions emoji -> users, in the order they reacted
 * @property {number[]} replies seqs of the (not deleted) replies, for a thread root
 * @property {number|null} threadRoot
 * @property {string} [clientMsgId]
 * @property {string} [messageId]
 * @property {string[]} mentions
 */

/** Kinds that change a message rather than show up as a line of their own. */
export const MESSAGE_CHANGES = new Set(['edited', 'deleted', 'reaction_added', 'reaction_removed']);

/** Kinds that are not shown at all (read cursors; others' private events). */
export const INVISIBLE = new Set(['read', 'hidden']);

export class ChannelView {
  /**
   * @param {string} name
   * @param {string} me the signed-in user
   */
  constructor(name, me) {
    this.name = name;
    this.me = me;
    /** @type {string|null} */
    this.title = null;
    /** @type {string|null} */
    this.visibility = null;
    /** @type {string|null} */
    this.role = null;
    this.direct = name.startsWith('dm-');
    /** @type {string[]} members of a direct channel */
    this.members = [];
    this.left = false;
    /** highest seq known to exist */
    this.head = 0;
    /** @type {number|null} lowest seq loaded (null: nothing yet) */
    this.from = null;
    /** @type {Map<number, ChannelEvent>} */
    this.events = new Map();
    /** my read cursor: I have read everything up to this seq */
    this.lastRead = 0;
    // unread and mentions as the server counted them at the last welcome / channel list, and the head then
    this.serverUnread = 0;
    this.serverMentions = 0;
    this.serverHead = 0;
    /** @type {Map<number, Message>|null} cache of messages(), dropped on every change */
    this.derived = null;
  }

  /**
   * The channel as a welcome or a channel list describes it.
   * @param {ChannelInfo} c
   */
  applyInfo(c) {
    this.role = c.role || this.role;
    this.visibility = c.visibility || this.visibility;
    this.title = c.title || this.title;
    this.head = Math.max(this.head, c.head || 0);
    this.left = false;
    this.serverUnread = c.unread || 0;
    this.serverMentions = c.mentions || 0;
    this.serverHead = c.head || 0;
    this.lastRead = Math.max(this.lastRead, c.lastRead || 0);
  }

  /**
   * One event (from the ordered stream, or a page: any order, any overlap with what is here).
   * @param {ChannelEvent} ev
   * @returns {boolean} false when it was already here
   */
  apply(ev) {
    if (this.events.has(ev.seq)) {
      return false;
    }
    this.events.set(ev.seq, ev);
    this.derived = null;
    this.head = Math.max(this.head, ev.seq);
    this.from = this.from === null ? ev.seq : Math.min(this.from, ev.seq);
    switch (ev.kind) {
      case 'channel_created':
        this.visibility = ev.visibility || this.visibility;
        this.title = ev.title || this.title;
        if (ev.direct) {
          this.direct = true;
          this.members = ev.members || [];
        }
        break;
      case 'member_joined':
        if (ev.member === this.me && ev.role) {
          this.role = ev.role;
          this.left = false;
        }
        break;
      case 'member_left':
        if (ev.member === this.me) {
          this.left = true;
        }
        break;
      case 'read': // read cursors of old logs were channel events
        if (ev.user === this.me && typeof ev.upTo === 'number') {
          this.markRead(ev.upTo);
        }
        break;
      default:
        break;
    }
    return true;
  }

  /**
   * A page of events (`events` before or after a seq).
   * @param {ChannelEvent[]} events
   * @param {number} [head]
   * @param {boolean} [reachedStart] the page is the oldest there is (nothing before it)
   */
  applyPage(events, head, reachedStart = false) {
    for (const ev of events) {
      this.apply(ev);
    }
    if (head !== undefined) {
      this.head = Math.max(this.head, head);
    }
    if (reachedStart) {
      this.from = 1;
    } else if (events.length === 0 && this.from === null) {
      this.from = this.head + 1; // nothing loaded and nothing there: no older page to ask for
    }
  }

  /**
   * My read cursor moved (here, on another device, or a `read` frame).
   * @param {number} upTo
   * @returns {boolean} whether it moved forward
   */
  markRead(upTo) {
    if (upTo <= this.lastRead) {
      return false;
    }
    this.lastRead = upTo;
    return true;
  }

  /** Events in seq order. */
  timeline() {
    return [...this.events.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Whether older events exist than what is loaded. */
  hasOlder() {
    return this.from !== null && this.from > 1;
  }

  /** The highest seq of a message in what is loaded: how far a read cursor may usefully move. */
  lastMessageSeq() {
    let last = 0;
    for (const ev of this.events.values()) {
      if (ev.kind === 'message' && ev.seq > last) {
        last = ev.seq;
      }
    }
    return last;
  }

  /**
   * How a direct channel is shown: its other members.
   * @param {string} [me]
   */
  displayName(me = this.me) {
    if (this.direct && this.members.length) {
      return this.members.filter((m) => m !== me).join(', ') || me;
    }
    return this.name;
  }

  /**
   * The loaded messages in their current state. Changes whose message is not loaded (yet) are skipped;
   * loading older events re-derives everything.
   * @returns {Map<number, Message>} by seq, ascending
   */
  messages() {
    if (this.derived) {
      return this.derived;
    }
    /** @type {Map<number, Message>} */
    const msgs = new Map();
    for (const ev of this.timeline()) {
      if (ev.kind === 'message') {
        msgs.set(ev.seq, {
          seq: ev.seq, user: ev.user, ts: ev.ts, text: ev.deleted ? null : (ev.text ?? null), deleted: !!ev.deleted,
          editedAt: null, reactions: new Map(), replies: [], threadRoot: ev.threadRoot || null,
          clientMsgId: ev.clientMsgId, messageId: ev.messageId, mentions: ev.mentions || [],
        });
        const root = ev.threadRoot ? msgs.get(ev.threadRoot) : undefined;
        if (root) {
          root.replies.push(ev.seq);
        }
        continue;
      }
      const m = ev.messageSeq !== undefined ? msgs.get(ev.messageSeq) : undefined;
      if (!m) {
        continue;
      }
      if (ev.kind === 'edited' && !ev.deleted && !m.deleted) {
        m.text = ev.text ?? m.text;
        m.editedAt = ev.ts;
        m.mentions = ev.mentions || [];
      } else if (ev.kind === 'deleted') {
        m.deleted = true;
        m.text = null;
        m.reactions = new Map();
      } else if (ev.kind === 'reaction_added' && ev.emoji) {
        const users = m.reactions.get(ev.emoji) || [];
        if (!users.includes(ev.user)) {
          m.reactions.set(ev.emoji, [...users, ev.user]);
        }
      } else if (ev.kind === 'reaction_removed' && ev.emoji) {
        const users = (m.reactions.get(ev.emoji) || []).filter((u) => u !== ev.user);
        if (users.length) {
          m.reactions.set(ev.emoji, users);
        } else {
          m.reactions.delete(ev.emoji);
        }
      }
    }
    for (const m of msgs.values()) {
      const root = m.threadRoot && m.deleted ? msgs.get(m.threadRoot) : undefined;
      if (root) {
        root.replies = root.replies.filter((r) => r !== m.seq);
      }
    }
    this.derived = msgs;
    return msgs;
  }

  /**
   * Others' top-level messages after my read cursor: counted on what is loaded when it reaches back to the
   * cursor; before that, the server's count at the last welcome plus what arrived since.
   * @returns {{count: number, mentions: number, more: boolean}} more: there may be older unread ones
   */
  unread() {
    const mark = this.lastRead;
    const deleted = new Set([...this.events.values()].filter((e) => e.kind === 'deleted').map((e) => e.messageSeq));
    const covered = this.from !== null && this.from <= mark + 1;
    const since = covered ? mark : Math.max(mark, this.serverHead);
    let count = 0;
    let mentions = 0;
    for (const ev of this.events.values()) {
      if (ev.seq > since && ev.kind === 'message' && ev.user !== this.me && !ev.threadRoot && !ev.deleted
          && !deleted.has(ev.seq)) {
        count++;
        if ((ev.mentions || []).includes(this.me)) {
          mentions++;
        }
      }
    }
    if (!covered && mark < this.serverHead) {
      count += this.serverUnread;
      mentions += this.serverMentions;
    }
    const more = !covered && this.from !== null && this.from > mark + 1 && count > 0 && this.serverHead === 0;
    return { count, mentions, more };
  }
}

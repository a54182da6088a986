// One channel's events in strictly increasing seq with no gap and no repeat, whatever the wire does.
// The gateway promises that order per connection; this checks it anyway: an event at or below the cursor is a
// repeat (dropped), one beyond cursor + 1 reveals a gap, which is filled with `events after cursor` pages
// before anything later is delivered.

/** @typedef {import('./types.js').ChannelEvent} ChannelEvent */
/** @typedef {{events: ChannelEvent[], more: boolean, head?: number}} Page */

export class ChannelStream {
  /**
   * @param {string} channel
   * @param {number|null} cursor the last seq delivered; null when unknown (the first event sets it)
   * @param {{deliver: (ev: ChannelEvent) => void, fetchAfter: (channel: string, after: number) => Promise<Page>,
   *   onGap?: (info: {channel: string, after: number, seq: number}) => void}} hooks
   */
  constructor(channel, cursor, hooks) {
    this.channel = channel;
    this.cursor = cursor;
    this.hooks = hooks;
    /** @type {Map<number, ChannelEvent>} events past a gap, held until it is filled */
    this.held = new Map();
    /** @type {Promise<void>|null} */
    this.filling = null;
  }

  /**
   * An event from the wire (live or catch-up).
   * @param {ChannelEvent} ev
   * @returns {'delivered'|'duplicate'|'held'}
   */
  offer(ev) {
    if (this.cursor === null) {
      this.cursor = ev.seq - 1; // a channel first seen now (created, joined): what came before is history
    }
    if (ev.seq <= this.cursor || this.held.has(ev.seq)) {
      return 'duplicate';
    }
    if (ev.seq === this.cursor + 1 && !this.filling) {
      this.deliver(ev);
      this.drain();
      return 'delivered';
    }
    this.held.set(ev.seq, ev);
    if (!this.filling) {
      this.hooks.onGap?.({ channel: this.channel, after: this.cursor, seq: ev.seq });
      this.fill().catch(() => {
        // offline: the next connection resumes from the cursor and replays the gap anyway
      });
    }
    return 'held';
  }

  /**
   * Fetches pages after the cursor until the held events connect (or, with `upTo`, until that seq).
   * @param {number} [upTo]
   * @returns {Promise<void>}
   */
  fill(upTo) {
    if (!this.filling) {
      this.filling = this.fillPages(upTo).finally(() => {
        this.filling = null;
        this.drain();
      });
    }
    return this.filling;
  }

  /** @param {number} [upTo] */
  async fillPages(upTo) {
    for (;;) {
      const target = upTo ?? (this.held.size ? Math.min(...this.held.keys()) - 1 : this.cursor ?? 0);
      if ((this.cursor ?? 0) >= target) {
        return;
      }
      const before = this.cursor;
      const page = await this.hooks.fetchAfter(this.channel, this.cursor ?? 0);
      for (const ev of page.events) {
        if (ev.seq === (this.cursor ?? 0) + 1) {
          this.held.delete(ev.seq);
          this.deliver(ev);
        }
      }
      if (upTo === undefined) {
        this.drainHeld();
      }
      if (this.cursor === before || !page.more && (this.cursor ?? 0) >= (page.head ?? 0)) {
        return; // no progress, or nothing more to have
      }
    }
  }

  /** Delivers held events that are next in line. */
  drain() {
    if (!this.filling) {
      this.drainHeld();
    }
  }

  drainHeld() {
    let next;
    while ((next = this.held.get((this.cursor ?? 0) + 1))) {
      this.held.delete(next.seq);
      this.deliver(next);
    }
  }

  /** @param {ChannelEvent} ev */
  deliver(ev) {
    this.cursor = ev.seq;
    this.hooks.deliver(ev);
  }

  /** A new connection replays everything after the cursor: forget what was held. */
  reset() {
    this.held.clear();
  }
}

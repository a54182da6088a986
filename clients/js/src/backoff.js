// Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the n-th
// retry waits a uniformly random time in [0, min(maxMs, baseMs * 2^n)], so that clients cut off together do
// not come back together.

/**
 * @typedef {object} BackoffOptions
 * @property {number} [baseMs] first ceiling (default 250)
 * @property {number} [maxMs] largest ceiling (default 30,000)
 * @property {() => number} [random] a number in [0, 1) (default Math.random)
 */

export class Backoff {
  /** @param {BackoffOptions} [options] */
  constructor(options = {}) {
    this.baseMs = options.baseMs ?? 250;
    this.maxMs = options.maxMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.attempt = 0;
  }

  /** The ceiling of the next delay. */
  ceiling() {
    return Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
  }

  /**
   * The delay before the next attempt; counts the attempt.
   * @param {number} [atLeastMs] a floor the server asked for (retryAfterMs)
   * @returns {number}
   */
  next(atLeastMs = 0) {
    const delay = Math.floor(this.random() * this.ceiling());
    this.attempt++;
    return Math.max(delay, atLeastMs);
  }

  /** After a success: the next failure starts from the base again. */
  reset() {
    this.attempt = 0;
  }
}

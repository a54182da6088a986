// A minimal typed event emitter (no dependency on the DOM's EventTarget or Node's EventEmitter).

/** @template {Record<string, any>} E */
export class Emitter {
  constructor() {
    /** @type {Map<keyof E, Set<(arg: any) => void>>} */
    this.listeners = new Map();
  }

  /**
   * @template {keyof E} K
   * @param {K} type
   * @param {(arg: E[K]) => void} listener
   * @returns {() => void} removes the listener
   */
  on(type, listener) {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * @template {keyof E} K
   * @param {K} type
   * @param {E[K]} arg
   */
  emit(type, arg) {
    for (const listener of [...(this.listeners.get(type) || [])]) {
      try {
        listener(arg);
      } catch (e) {
        // one listener's bug does not break the client or the other listeners
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }
}

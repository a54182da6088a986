// A real Parley for the SDK's integration tests: `./parley start` on ephemeral ports and a temp data dir (Kafka,
// registry, topology and a gateway in one process), plus a second gateway in its own JVM (GatewayMain, from
// ops/target) that a test can SIGKILL and start again on the same port. Nothing is mocked.
//
// Needs the ops build (ops/target/classes and ops/target/lib): `./parley start` builds it when missing or stale
// unless PARLEY_SKIP_BUILD=1 (what `./parley test` sets, after its mvn verify).

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The topology query RPC's secret, shared by `./parley start` and the child gateways of this run. */
const RPC_SECRET = randomBytes(32).toString('hex');

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const START_TIMEOUT_MS = 240_000;

/**
 * Waits until the process prints a line matching `re`; resolves with the match.
 * @param {import('node:child_process').ChildProcess} proc
 * @param {RegExp} re
 * @param {string} what
 * @param {() => string} output
 */
function waitForLine(proc, re, what, output) {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${START_TIMEOUT_MS} ms:\n${output()}`)),
      START_TIMEOUT_MS);
    const check = () => {
      const m = output().match(re);
      if (m) {
        clearTimeout(timer);
        proc.stdout.off('data', check);
        resolvePromise(m);
      }
    };
    proc.stdout.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready:\n${output()}`));
    });
  });
}

/** @param {import('node:child_process').ChildProcess} proc */
function collect(proc) {
  let out = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  return () => out;
}

export class Stack {
  static async start() {
    const s = new Stack();
    s.dataDir = mkdtempSync(join(tmpdir(), 'parley-sdk-it-'));
    s.proc = spawn(join(ROOT, 'parley'), ['start', '--gateway-port', '0', '--kafka-port', '0', '--registry-port', '0',
      '--topology-port', '0', '--data-dir', join(s.dataDir, 'data'), '--topic-prefix', 'sdkit'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PARLEY_LOG_LEVEL: 'WARN', PARLEY_TOPOLOGY_RPC_SECRET: RPC_SECRET } });
    const out = collect(s.proc);
    await waitForLine(s.proc, /Parley is up[\s\S]*Stop with Ctrl-C/, './parley start', out);
    const field = (label) => {
      const m = out().match(new RegExp(`${label}\\s+(\\S+)`));
      if (!m) {
        throw new Error(`no "${label}" in the summary:\n${out()}`);
      }
      return m[1];
    };
    s.bootstrap = field('Kafka bootstrap servers');
    s.registry = field('Schema registry');
    s.topologyUrl = out().match(/queries at (http\S+?),/)[1];
    s.wsUrl = field('WebSocket');
    s.httpUrl = s.wsUrl.replace(/^ws/, 'http').replace(/\/ws$/, '');
    return s;
  }

  /** A dev token of the stack's gateways (dev mode). */
  async token(user) {
    const r = await fetch(`${this.httpUrl}/api/dev/token`, { method: 'POST', body: JSON.stringify({ user }) });
    if (!r.ok) {
      throw new Error(`dev token: HTTP ${r.status}`);
    }
    return (await r.json()).token;
  }

  /** Every event of a channel through the REST API (pages of 1,000). */
  async allEvents(user, channel) {
    const token = await this.token(user);
    const events = [];
    for (let after = 0; ;) {
      const r = await fetch(`${this.httpUrl}/api/v1/channels/${channel}/events?after=${after}&limit=1000`,
        { headers: { Authorization: `Bearer ${token}` } });
      const page = await r.json();
      events.push(...page.events);
      if (!page.more || page.events.length === 0) {
        return events;
      }
      after = page.events[page.events.length - 1].seq;
    }
  }

  /**
   * A second gateway in its own JVM (the one tests kill); `port` 0 for a free one.
   * @returns {Promise<ChildGateway>}
   */
  async childGateway(port = 0) {
    const g = new ChildGateway(this);
    await g.start(port);
    return g;
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM'); // like Ctrl-C: the stack stops cleanly
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export class ChildGateway {
  /** @param {Stack} stack */
  constructor(stack) {
    this.stack = stack;
    this.proc = null;
    this.port = 0;
    this.wsUrl = '';
  }

  async start(port = this.port) {
    const cp = [join(ROOT, 'ops/target/classes'), join(ROOT, 'ops/target/lib/*')].join(':');
    const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin/java') : 'java';
    this.proc = spawn(java, ['-Xmx256m', '-XX:+UseSerialGC',
      '-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.parley,java.lang,java.util,java.math,java.time',
      '-cp', cp, 'dev.parley.gateway.GatewayMain'], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PARLEY_BOOTSTRAP_SERVERS: this.stack.bootstrap, PARLEY_SCHEMA_REGISTRY_URL: this.stack.registry,
        PARLEY_TOPOLOGY_URLS: this.stack.topologyUrl, PARLEY_TOPOLOGY_RPC_SECRET: RPC_SECRET, PARLEY_TOPIC_PREFIX: 'sdkit', PARLEY_DEV_MODE: 'true',
        PARLEY_GATEWAY_PORT: String(port), PARLEY_GATEWAY_BIND: '127.0.0.1', PARLEY_LOG_LEVEL: 'WARN',
        // a welcome lists 2 channels: clients with more page the rest (welcome paging is tested too)
        PARLEY_WELCOME_CHANNELS: '2' },
    });
    const out = collect(this.proc);
    const m = await waitForLine(this.proc, /PARLEY_GATEWAY_READY (\S+)/, 'the child gateway', out);
    this.wsUrl = m[1];
    this.port = Number(new URL(this.wsUrl).port);
    return this;
  }

  /** SIGKILL: no close frames, no flush; its clients see the TCP connection die. */
  async kill() {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGKILL');
      await exited;
    }
  }
}

/**
 * Resolves when `predicate()` holds, polling (the SDK's events arrive asynchronously); fails after `ms`.
 * @param {() => boolean|Promise<boolean>} predicate
 * @param {string} what
 */
export async function until(predicate, what, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

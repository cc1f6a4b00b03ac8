// A real relaisd for the browser tests: its own scratch folder, a free loopback port, SQLite,
// mail to the test SMTP server (TEST_SMTP_PORT, TEST_MAILDIR from scripts/test-services.sh),
// the demo manifest applied and an operator created, with the passwords they print.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const source = path.resolve(new URL('../../..', import.meta.url).pathname);
const build = process.env.TEST_RELAIS_BUILD || path.join(source, 'build/debug');

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class RelaisServer {
  constructor(name) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `relais-browser-${name}-`));
    this.accounts = {};
    this.proc = null;
  }

  settings() {
    return [
      '--config', path.join(source, 'config/relais.properties'),
      '--set', `data.dir=${this.dir}/var`,
      '--set', `migrations.dir=${source}/migrations`,
      '--set', `http.port=${this.port}`,
      '--set', 'log.level=warning',
      '--set', `smtp.port=${process.env.TEST_SMTP_PORT || 25}`,
      '--set', 'mail.poll_ms=200',
      '--set', 'mail.retry_base_ms=500',
      ...(process.env.TEST_WEB_DIR ? ['--set', `web.dir=${process.env.TEST_WEB_DIR}`] : []),
    ];
  }

  relaisd(args) {
    return execFileSync(path.join(build, 'bin/relaisd'), [...args, ...this.settings()], { encoding: 'utf8', cwd: source });
  }

  /** Applies the demo manifest and creates an operator; keeps their printed passwords. */
  async provision() {
    this.port = await freePort();
    const report = this.relaisd(['tenants', 'apply', path.join(source, 'tenants/demo.json')]);
    for (const m of report.matchAll(/user\s+(\S+@\S+) .*password: (\S+)/g)) this.accounts[m[1]] = m[2];
    const op = this.relaisd(['operator', 'create', '--email', 'operateur@relais.example', '--password', 'generate']);
    this.accounts['operateur@relais.example'] = op.match(/password: (\S+)/)[1];
    return this;
  }

  password(email) {
    if (!this.accounts[email]) throw new Error(`no password for ${email}`);
    return this.accounts[email];
  }

  url(host = 'demo') {
    return host ? `http://${host}.localhost:${this.port}` : `http://localhost:${this.port}`;
  }

  async start() {
    this.log = fs.openSync(path.join(this.dir, 'relaisd.log'), 'a');
    this.proc = spawn(path.join(build, 'bin/relaisd'), this.settings(), { cwd: source, stdio: ['ignore', this.log, this.log] });
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    for (let i = 0; i < 300; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        if (r.ok) return this;
      } catch { /* not yet */ }
      if (this.proc.exitCode !== null) break;
      await Promise.race([sleep(100), exited]);
    }
    throw new Error(`relaisd did not start; see ${this.dir}/relaisd.log:\n${fs.readFileSync(path.join(this.dir, 'relaisd.log'), 'utf8')}`);
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.kill('SIGTERM');
    await Promise.race([exited, sleep(15000)]);
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    fs.closeSync(this.log);
  }

  /** The server dies at once (SIGKILL), as in a crash or a power cut: nothing is drained. */
  async kill() {
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.kill('SIGKILL');
    await exited;
    fs.closeSync(this.log);
  }

  cleanup() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The mails to `address` in the test SMTP server's Maildir, decoded (quoted-printable). */
export function mailsTo(address) {
  const root = process.env.TEST_MAILDIR;
  if (!root) throw new Error('TEST_MAILDIR is not set: run under scripts/test-services.sh');
  const out = [];
  for (const sub of ['new', 'cur']) {
    const dir = path.join(root, sub);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const to = text.match(/^X-Envelope-To: (.*)$/m);
      if (to && to[1].includes(address)) out.push(decodeQuotedPrintable(text));
    }
  }
  return out;
}

function decodeQuotedPrintable(text) {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Waits for a mail to `address` whose text matches `pattern`; returns it. */
export async function waitForMail(address, pattern, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = mailsTo(address).find((m) => pattern.test(m));
    if (found) return found;
    await sleep(200);
  }
  throw new Error(`no mail to ${address} matching ${pattern} within ${timeoutMs} ms`);
}

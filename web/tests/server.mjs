// Starts a real fieldlinkd with the demo accounts on a free port and a fresh data folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// extraEnv: settings for this server (FIELDLINK_...), over the defaults below. `again`: a
// server stopped with stop({ keepData: true }), to start anew on its port and data (a
// restart, as the page sees it).
export async function startServer(extraEnv = {}, again = null) {
  const binary = process.env.FIELDLINK_SERVER_BIN;
  if (!binary) throw new Error('FIELDLINK_SERVER_BIN names the fieldlinkd to test');
  const dir = again?.dir ?? mkdtempSync(join(tmpdir(), 'fieldlink-e2e-'));
  const port = again ? new URL(again.url).port : '0';
  const child = spawn(binary, ['--demo', `--port=${port}`, `--data-dir=${join(dir, 'data')}`], {
    env: { ...process.env, FIELDLINK_AUTH_JWT_SECRET: 'e2e-secret-0123456789abcdef0123456789abcdef',
           FIELDLINK_AUTH_PBKDF2_ITERATIONS: '1000', FIELDLINK_HTTP_ADDRESS: '127.0.0.1',
           ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fieldlinkd did not start:\n${log}`)), 20000);
    const read = (chunk) => {
      log += chunk;
      const found = log.match(/fieldlinkd listening on (\S+)/);
      if (found) { clearTimeout(timer); resolve(found[1].replace(/\/$/, '')); }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`fieldlinkd exited (${code}):\n${log}`)));
  });
  return {
    url,
    dir,
    log: () => log,
    async stop({ keepData = false } = {}) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

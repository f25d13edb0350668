// Starts a real fieldlinkd with the demo accounts on a free port and a fresh data folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// extraEnv: settings for this server (FIELDLINK_...), over the defaults below.
export async function startServer(extraEnv = {}) {
  const binary = process.env.FIELDLINK_SERVER_BIN;
  if (!binary) throw new Error('FIELDLINK_SERVER_BIN names the fieldlinkd to test');
  const dir = mkdtempSync(join(tmpdir(), 'fieldlink-e2e-'));
  const child = spawn(binary, ['--demo', '--port=0', `--data-dir=${join(dir, 'data')}`], {
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
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The test's card reader (scripts/e2e.sh starts pcscd with the vpcd virtual reader): a virtual
// card from vicc goes in and out of it, as a token comes and goes; and the app's own word that
// it asked the token library afresh after such an event.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** vpcd's port; unset when no reader was started (then the tests that need one are skipped). */
export const VPCD_PORT = process.env.E2E_VPCD_PORT;

/** A virtual card in the reader: plugged in until killed. */
export function plugCard() {
  // Debian's vicc imports `Crypto`; pycryptodome installs as `Cryptodome`.
  const shim = join(process.env.E2E_FILES, 'py');
  mkdirSync(shim, { recursive: true });
  if (!existsSync(join(shim, 'Crypto'))) symlinkSync('/usr/lib/python3/dist-packages/Cryptodome', join(shim, 'Crypto'));
  return spawn('/usr/bin/python3', ['/usr/bin/vicc', '-t', 'iso7816', '-P', VPCD_PORT], {
    env: { ...process.env, PYTHONPATH: `/usr/lib/python3/site-packages/virtualsmartcard:${shim}` },
    stdio: 'ignore',
  });
}

/** How many times the app has initialized the token library anew (its log says each). */
export function rescans() {
  const log = join(process.env.KEP_RENEW_DATA_DIR, 'logs', 'kep-renew.log');
  if (!existsSync(log)) return 0;
  return readFileSync(log, 'utf8').split('\n').filter((line) => line.includes('the token library was initialized anew')).length;
}

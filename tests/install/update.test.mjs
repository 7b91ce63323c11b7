// The update, for real: the installed 0.1.0 (from the signed repository) asks the loopback
// release server, offers 0.1.1 with its notes, and installs it only when «Установить и
// перезапустить» is clicked. A signature by another key and a package whose bytes changed are
// refused with a message while 0.1.0 keeps working; the genuine package is installed with
// `sudo dpkg -i` by the updater, the app restarts, and the running app is 0.1.1.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { Session, waitForDriver } from '../e2e/webdriver.mjs';

const APP = process.env.INSTALLED_APP ?? '/usr/bin/kep-renew';
const RESULTS = process.env.INSTALL_RESULTS ?? 'test-results/install';
const SERVED = process.env.UPDATE_SERVED; // the folder the release server serves
const SERVER = process.env.UPDATE_SERVER; // its https://127.0.0.1:PORT/
const NEW = process.env.UPDATE_NEW_VERSION;
const OLD = process.env.INSTALLED_VERSION;
const NEW_DEB = process.env.UPDATE_DEB; // the genuine 0.1.1 package
const SERVER_LOG = process.env.UPDATE_SERVER_LOG; // what the server was asked for
const NOTES = readFileSync(process.env.UPDATE_NOTES ?? '/dev/null', 'utf8').trim();

function served() {
  try {
    return readFileSync(SERVER_LOG, 'utf8');
  } catch {
    return '';
  }
}

function installedVersion() {
  return execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'kep-renew'], { encoding: 'utf8' });
}

/** Makes the server's latest.json one of the manifests the package test wrote
 * (scripts/release-manifest.mjs): `genuine`, `other-key` or `changed`. */
function publish(variant) {
  copyFileSync(`${SERVED}/${variant}.json`, `${SERVED}/latest.json`);
}

function footer(session) {
  return session.waitFor(async () => (await (await session.find('[data-testid="app-version"]')).text()) || null, 'the footer');
}

function runningApps() {
  try {
    return execFileSync('pgrep', ['-x', 'kep-renew'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe('the update from 0.1.0 to 0.1.1', () => {
  let session;

  before(async () => {
    for (const v of [SERVED, SERVER, SERVER_LOG, NEW, OLD, NEW_DEB, NOTES]) assert.ok(v, 'the package test sets the UPDATE_* variables');
    // The genuine package under its own name, and a copy whose bytes changed (same signature).
    copyFileSync(NEW_DEB, `${SERVED}/kep-renew_${NEW}_amd64.deb`);
    const changed = readFileSync(NEW_DEB);
    changed[changed.length >> 1] ^= 0x55;
    writeFileSync(`${SERVED}/changed_${NEW}_amd64.deb`, changed);
    publish('other-key');
    await waitForDriver();
    session = await Session.start(APP);
  });

  after(async () => {
    if (session) await session.end();
    for (const pid of runningApps()) {
      try {
        process.kill(Number(pid));
      } catch {
        // already gone
      }
    }
  });

  it('offers the new version with its notes at start, and nothing is installed without consent', async () => {
    assert.equal(await footer(session), `KEP Renew ${OLD} · linux x86_64`);
    const banner = await session.waitForElement('[data-testid="update"]', 'the update offer', 30_000);
    assert.match(await banner.text(), new RegExp(`Доступна новая версия ${NEW.replaceAll('.', '\\.')}`));
    assert.equal(await (await session.find('[data-testid="update-notes"]')).text(), NOTES);
    writeFileSync(`${RESULTS}/update-offer.png`, await session.screenshot());
    assert.equal(installedVersion(), OLD);
  });

  it('refuses a signature by another key, and 0.1.0 keeps working', async () => {
    await (await session.find('[data-testid="update-install"]')).click();
    const error = await session.waitForElement('[data-testid="update"] [data-testid="error"]', 'the refusal', 60_000);
    assert.match(await error.text(), /проверку подписи/);
    assert.equal(installedVersion(), OLD);
    assert.equal(await footer(session), `KEP Renew ${OLD} · linux x86_64`);
    writeFileSync(`${RESULTS}/update-wrong-signature.png`, await session.screenshot());
  });

  it('refuses a package whose bytes changed, and 0.1.0 keeps working', async () => {
    publish('changed');
    await (await session.find('[data-testid="update-install"]')).click();
    // (The first refusal's message stays until the new answer: wait for the changed package to
    // be fetched, then for the answer.)
    await session.waitFor(() => served().includes(`GET /changed_${NEW}_amd64.deb`), 'the changed package fetched', 60_000);
    await session.waitFor(async () => {
      const text = await (await session.find('[data-testid="update"] [data-testid="error"]')).text();
      return /проверку подписи/.test(text) && (await (await session.find('[data-testid="update-install"]')).enabled());
    }, 'the second refusal', 60_000);
    assert.equal(installedVersion(), OLD);
    assert.equal(await footer(session), `KEP Renew ${OLD} · linux x86_64`);
  });

  it('installs the genuine package on consent, restarts, and runs 0.1.1', async () => {
    publish('genuine');
    const before = runningApps();
    await (await session.find('[data-testid="update-install"]')).click();
    // dpkg replaces the package, the app starts its new binary and ends itself.
    const restarted = await session.waitFor(() => {
      const now = runningApps().filter((pid) => !before.includes(pid));
      return installedVersion() === NEW && now.length > 0 ? now : null;
    }, 'the installed update and the restarted app', 120_000);
    await session.end().catch(() => {});
    session = null;
    const title = 'Обновление сертификата КЭП';
    await new Promise((r) => setTimeout(r, 500));
    const windows = execFileSync('xdotool', ['search', '--sync', '--name', title], { encoding: 'utf8', timeout: 30_000 }).trim();
    assert.ok(windows.length > 0, `the restarted app (${restarted}) shows no window`);
    // The app restarted by the updater is not under WebDriver: end it, and look at 0.1.1 in a
    // session of its own.
    for (const pid of runningApps()) process.kill(Number(pid));
    await new Promise((r) => setTimeout(r, 500));
    session = await Session.start(APP);
    assert.equal(await footer(session), `KEP Renew ${NEW} · linux x86_64`);
    writeFileSync(`${RESULTS}/updated-${NEW}.png`, await session.screenshot());
    // 0.1.1 is the latest: no offer.
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((await session.findAll('[data-testid="update"]')).length, 0);
  });
});

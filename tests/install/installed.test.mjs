// The app as a person has it after `apt-get install kep-renew`: /usr/bin/kep-renew from the
// signed repository, started through tauri-driver in the virtual display. It opens its window
// with the Russian title on «Мои сертификаты», goes on to the login,
// and reports the version the package carries.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session, waitForDriver } from '../e2e/webdriver.mjs';

const APP = process.env.INSTALLED_APP ?? '/usr/bin/kep-renew';
const VERSION = process.env.INSTALLED_VERSION;
const RESULTS = process.env.INSTALL_RESULTS ?? 'test-results/install';
const TITLE = 'Обновление сертификата КЭП';

describe('the installed app', () => {
  let session;

  before(async () => {
    assert.ok(VERSION, 'INSTALLED_VERSION must name the package version');
    mkdirSync(RESULTS, { recursive: true });
    await waitForDriver();
    session = await Session.start(APP);
  });

  after(async () => {
    if (session) await session.end();
  });

  it('opens its window with the Russian title, «Мои сертификаты», the login and the package version', async () => {
    assert.equal(await session.title(), TITLE);
    const ids = execFileSync('xdotool', ['search', '--name', TITLE], { encoding: 'utf8' }).trim();
    assert.ok(ids.length > 0, 'no X window carries the title');
    // A fresh installation starts on «Мои сертификаты», with the way to log in.
    await session.waitForElement('[data-testid="home"]', 'the home');
    await session.clickWhenReady('[data-testid="home-login"]');
    const heading = await session.waitForElement('[data-testid="stage-screen"] h2', 'the login screen');
    assert.equal(await heading.text(), 'Вход в личный кабинет');
    const footer = await session.waitFor(async () => {
      const text = await (await session.find('[data-testid="app-version"]')).text();
      return text || null;
    }, 'the version in the footer');
    assert.equal(footer, `KEP Renew ${VERSION} · linux x86_64`);
    writeFileSync(`${RESULTS}/installed-${VERSION}.png`, await session.screenshot());
  });

  it('says nothing when the release server has nothing to offer (it answers 404 here)', async () => {
    // The check ran at start and failed; it is retried quietly, never shown as an error.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await session.findAll('[data-testid="update"]')).length, 0);
    assert.equal((await session.findAll('[data-testid="error"]')).length, 0);
  });
});

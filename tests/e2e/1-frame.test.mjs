// The real app window (WebKitGTK under Xvfb) through tauri-driver: it opens with the Russian
// title, shows the six stages with the current one highlighted, talks to the backend over IPC,
// and lets the user read what lies ahead. Runs first, on a fresh app data folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VPCD_PORT, plugCard } from './card.mjs';
import { Session, waitForDriver } from './webdriver.mjs';

const APP = process.env.APP_BIN;
const RESULTS = process.env.E2E_RESULTS ?? 'test-results/e2e';
const NOTIFICATIONS = process.env.E2E_NOTIFICATIONS;
const TOKENS = process.env.E2E_TOKENS;
const E2E_FILES = process.env.E2E_FILES;
const TITLE = 'Обновление сертификата КЭП';

const STAGE_NAMES = [
  'Заполнение и отправка заявки',
  'Проверка заявки Удостоверяющим центром',
  'Выпуск сертификата',
  'Выбор места хранения сертификата и создание закрытого ключа',
  'Подтверждение личности',
  'Установка сертификата',
];

describe('the app window', () => {
  let session;

  before(async () => {
    assert.ok(APP, 'APP_BIN must name the app binary');
    mkdirSync(RESULTS, { recursive: true });
    await waitForDriver();
    session = await Session.start(APP);
  });

  after(async () => {
    if (session) {
      writeFileSync(`${RESULTS}/last.png`, await session.screenshot().catch(() => Buffer.alloc(0)));
      await session.end();
    }
  });

  it('has the Russian title, on the page and on the native window', async () => {
    assert.equal(await session.title(), TITLE);
    // The X server's own view of the window: the title Tauri gave the GTK window.
    const ids = execFileSync('xdotool', ['search', '--name', TITLE], { encoding: 'utf8' }).trim();
    assert.ok(ids.length > 0, 'no X window carries the title');
  });

  it('opens on «Мои сертификаты»: the seeded certificate marked, its status from the CA, renewable', async () => {
    const card = await session.waitForElement('[data-testid="my-certificate"][data-id="computer:current"]', 'the home');
    // The seeded КЭП ends within 60 days: marked, and «Обновить сертификат» offered.
    assert.equal(await card.attribute('data-expiry'), 'within60');
    // Valid, per the CA's OCSP responder (the chain checked against the CA's own anchors).
    const status = await session.waitFor(async () => {
      const badge = await session.find('[data-testid="my-certificate"][data-id="computer:current"] [data-testid="status"]');
      return (await badge.attribute('data-state')) === 'valid' ? badge.text() : null;
    }, 'the status');
    assert.match(await status, /Действует/);
    assert.match(await card.text(), /Квалифицированный/);
    await session.clickWhenReady('[data-testid="my-certificate"][data-id="computer:current"] [data-testid="home-details"]', 'Подробнее');
    const details = await session
      .waitForElement('[data-testid="certificate-details"]', 'the details', 20_000)
      .catch(async (error) => {
        writeFileSync(`${RESULTS}/home-details-missing.html`, await session.execute('return document.body.innerHTML'));
        throw error;
      });
    assert.match(await details.text(), /СНИЛС/);
    writeFileSync(`${RESULTS}/home.png`, await session.screenshot());
    // The 60-day reminder, once, on the desktop (the test's notification server on D-Bus).
    const reminders = () =>
      existsSync(NOTIFICATIONS)
        ? readFileSync(NOTIFICATIONS, 'utf8')
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line))
            .filter((n) => n.summary === 'Срок сертификата подходит к концу')
        : [];
    await session.waitFor(() => reminders().length > 0 || null, 'the expiry reminder');
    assert.match(reminders()[0].body, /Иванов Иван Иванович: осталось \d+ (день|дня|дней)\. Обновите/);
    assert.equal(reminders().length, 1);
  });

  it('shows a token plugged in after start, and its certificate, without a click; a pulled one goes', { skip: !VPCD_PORT && 'no card reader (scripts/e2e.sh starts one)' }, async () => {
    const tokens = () => session.execute("return [...document.querySelectorAll('[data-testid=home-token]')].map((t) => t.textContent)");
    await session.waitFor(async () => (await tokens()).length === 1 || null, 'the test token on the home');
    // A new token, with a certificate on it, made behind the app's back (SoftHSM2 reads its
    // slots only when initialized: the app sees it only by asking the module afresh)…
    const before = new Set(readdirSync(TOKENS));
    const pkcs11 = (...args) => execFileSync('pkcs11-tool', ['--module', process.env.KEP_PKCS11_MODULE, ...args], { stdio: 'pipe' });
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'Второй токен', '--so-pin', '87654321', '--pin', '12345678'], { stdio: 'pipe' });
    const folder = [...readdirSync(TOKENS)].find((f) => !before.has(f));
    const der = join(E2E_FILES, 'on-the-new-token.der');
    execFileSync('openssl', ['x509', '-in', join(process.env.KEP_RENEW_DATA_DIR, 'keys', 'current.crt'), '-outform', 'DER', '-out', der]);
    pkcs11('--token-label', 'Второй токен', '--login', '--pin', '12345678', '--write-object', der, '--type', 'cert', '--id', '0b', '--label', 'Сертификат');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal((await tokens()).length, 1, 'nothing changes before a reader says so');
    // …then a card goes into the reader: the home shows the token and its certificate.
    const card = plugCard();
    try {
      const shown = await session.waitFor(async () => {
        const now = await tokens();
        return now.length === 2 ? now : null;
      }, 'the new token on the home', 20_000);
      assert.ok(shown.some((t) => t.includes('Второй токен')), shown.join(', '));
      await session.waitForElement('[data-testid="my-certificate"][data-id^="token:"]', 'its certificate on the home');
      writeFileSync(`${RESULTS}/home-token-arrived.png`, await session.screenshot());
    } finally {
      // Pulled out: the token goes with the card.
      rmSync(join(TOKENS, folder), { recursive: true, force: true });
      card.kill();
    }
    await session.waitFor(async () => (await tokens()).length === 1 || null, 'the pulled token gone', 20_000);
    await session.waitFor(async () => (await session.findAll('[data-testid="my-certificate"][data-id^="token:"]')).length === 0 || null, 'its certificate gone');
    await (await session.find('[data-testid="home-login"]')).click();
  });

  it('shows the six stages in order, the first one current', async () => {
    const titles = await session.waitFor(async () => {
      const items = await session.findAll('.stage-list .stage-title');
      return items.length === 6 ? Promise.all(items.map((i) => i.text())) : null;
    }, 'six stages');
    assert.deepEqual(titles, STAGE_NAMES);

    const current = await session.findAll('.stage-list [aria-current="step"]');
    assert.equal(current.length, 1);
    assert.equal(await current[0].attribute('data-stage'), 'application');
    // The current stage shows its screen: a fresh app starts at the login.
    const heading = await session.waitForElement('[data-testid="stage-screen"] h2', 'the login screen');
    assert.equal(await heading.text(), 'Вход в личный кабинет');
  });

  it('shows the version the backend reports over IPC', async () => {
    const footer = await session.waitFor(async () => {
      const text = await (await session.find('[data-testid="app-version"]')).text();
      return text || null;
    }, 'the version in the footer');
    assert.match(footer, /^KEP Renew \d+\.\d+\.\d+ · linux x86_64$/);
    writeFileSync(`${RESULTS}/wizard.png`, await session.screenshot());
  });

  it('describes an upcoming stage and goes back to the current one', async () => {
    await (await session.find('.stage-list [data-stage="key"]')).click();
    const panel = await session.find('[data-testid="stage-panel"]');
    assert.equal(await panel.attribute('data-stage'), 'key');
    assert.equal(await (await panel.find('h2')).text(), STAGE_NAMES[3]);
    assert.match(await panel.text(), /датчик/i);
    writeFileSync(`${RESULTS}/stage-key.png`, await session.screenshot());

    await (await session.find('[data-testid="stage-panel"] .link-button')).click();
    const back = await session.find('[data-testid="stage-screen"]');
    assert.equal(await back.attribute('data-stage'), 'application');
  });

  it('opens «Настройки»: the CA, the token libraries, the version, the log folder', async () => {
    await (await session.find('[data-testid="open-settings"]')).click();
    const url = await session.waitForElement('[data-testid="settings-ca-url"]', 'the settings screen');
    assert.equal(await url.text(), process.env.KEP_CA_URL);
    assert.match(await (await session.find('[data-testid="settings-version"]')).text(), /^\d+\.\d+\.\d+$/);
    assert.match(await (await session.find('[data-testid="settings-log-folder"]')).text(), /logs$/);
    assert.match(await (await session.find('[data-testid="settings-modules"]')).text(), /Рутокен/);
    // An address with nothing behind it is refused in Russian within seconds; nothing changes.
    await (await session.find('[data-testid="settings-ca-input"]')).type('https://127.0.0.1:9/');
    await (await session.find('[data-testid="settings-ca-switch"]')).click();
    const error = await session.waitForElement('[data-testid="settings"] [data-testid="error"]', 'the refusal');
    assert.match(await error.text(), /нет связи/);
    assert.equal(await url.text(), process.env.KEP_CA_URL);
    // Starting hidden at login to keep reminding: off until turned on (the XDG autostart entry,
    // with the argument that keeps the window hidden), and off again.
    const autostart = join(process.env.HOME, '.config', 'autostart');
    const entries = () => (existsSync(autostart) ? readdirSync(autostart).filter((f) => f.endsWith('.desktop')) : []);
    assert.deepEqual(entries(), [], 'no autostart entry by default');
    await session.clickWhenReady('[data-testid="settings-start-at-login"]:not([disabled])');
    await session.waitFor(() => entries().length === 1 || null, 'the autostart entry');
    assert.match(readFileSync(join(autostart, entries()[0]), 'utf8'), /^Exec=.*--hidden/m);
    writeFileSync(`${RESULTS}/settings.png`, await session.screenshot());
    await session.clickWhenReady('[data-testid="settings-start-at-login"]:not([disabled])');
    await session.waitFor(() => entries().length === 0 || null, 'the autostart entry removed');
    await (await session.find('[data-testid="settings-close"]')).click();
    await session.waitForElement('[data-testid="stage-screen"]', 'the wizard again');
  });
});

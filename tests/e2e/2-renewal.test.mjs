// All six stages in the real window against a real kep-ca (started by scripts/e2e.sh): login with
// the calling number's digits, the application, requisites, files dropped onto the window and
// chosen in the dialog (through the e2e hooks: the rest is the real path — checks, previews,
// uploads), submission, the CA asking for documents (seen by the background refresh, with a
// desktop notification), the approval, the statement signed with a КЭП or by hand, the key on the
// computer or a token, identity confirmed by the officer, installation. The app is quit and
// started again in every stage and lands on the same step; the CA is stalled (SIGSTOP) mid-wizard
// and the app says so in time, logs out at once, and sends the application exactly once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VPCD_PORT, plugCard, rescans } from './card.mjs';
import { Session, waitForDriver } from './webdriver.mjs';

const APP = process.env.APP_BIN;
const CA = process.env.KEP_CA_URL;
const CONTROL = process.env.KEP_E2E_CONTROL_DIR;
const FILES = process.env.E2E_FILES;
const NOTIFICATIONS = process.env.E2E_NOTIFICATIONS;
const RESULTS = process.env.E2E_RESULTS ?? 'test-results/e2e';
const PHONE_DIGITS = '9990000001';
const CA_PID = Number(process.env.E2E_CA_PID);

async function ca(path, init = {}) {
  const response = await fetch(new URL(path, CA), {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function operator(login = 'operator') {
  const { token } = await ca('api/v1/operator/login', {
    method: 'POST',
    body: JSON.stringify({ login, password: 'kep-renew-dev-operator' }),
  });
  return { authorization: `Bearer ${token}` };
}

async function decide(id, decision) {
  return ca(`api/v1/operator/applications/${id}/decision`, {
    method: 'POST',
    headers: await operator(),
    body: JSON.stringify(decision),
  });
}

/** A small but real PDF (one page with a line), with a correct cross-reference table. */
function pdf() {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 280] /Contents 4 0 R >>',
  ];
  const stream = '0 0 1 RG 4 w 20 20 m 180 260 l S';
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** An input's current value (the property, not the attribute). */
function value(session, element) {
  return session.execute('return arguments[0].value', [{ [ELEMENT]: element.id }]);
}

function notifications() {
  if (!existsSync(NOTIFICATIONS)) return [];
  return readFileSync(NOTIFICATIONS, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('stages 1–2 against a real CA', () => {
  let session;
  let applicationId;
  const shot = async (name) => writeFileSync(join(RESULTS, `${name}.png`), await session.screenshot());
  const file = (name, bytes) => {
    const path = join(FILES, name);
    writeFileSync(path, bytes);
    return path;
  };
  const control = (name, paths) => writeFileSync(join(CONTROL, name), JSON.stringify(paths));
  /** Quits the app and starts it again; it must land on `selector`. */
  const restart = async (selector, what) => {
    await session.end();
    session = await Session.start(APP);
    return session.waitForElement(selector, `${what} after a restart`, 20_000);
  };
  const sensorFull = () =>
    session.execute("return document.querySelector('[data-testid=sensor]').classList.contains('full')");
  /** Moves the real pointer around the sensor until its pool is full (256 credited bits). */
  const fillSensor = async (seed) => {
    const sensor = await session.waitForElement('[data-testid="sensor"]', 'the sensor');
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 20 && !(await sensorFull()); round++) {
      const points = Array.from({ length: 60 }, () => [
        Math.round(random() * 300 - 150),
        Math.round(random() * 120 - 60),
        5 + Math.round(random() * 20),
      ]);
      await session.moveWithin(sensor, points);
    }
    await session.waitFor(sensorFull, 'the sensor to fill');
  };
  /** From «Мои сертификаты» (where a fresh start without a session opens) to the login. */
  const toLogin = async () => {
    const found = await session.waitFor(async () => {
      if ((await session.findAll('[data-testid="phone"]')).length > 0) return 'login';
      return (await session.findAll('[data-testid="home-login"]')).length > 0 ? 'home' : null;
    }, 'the login or the home');
    if (found === 'home') await session.clickWhenReady('[data-testid="home-login"]');
  };
  /** Logs in from the login step (waiting out the CA's pause between calls if it asks). */
  const logIn = async () => {
    await toLogin();
    const phone = await session.waitForElement('[data-testid="phone"]', 'the phone field');
    await phone.clear();
    await phone.type(PHONE_DIGITS);
    for (let attempt = 0; ; attempt++) {
      await session.clickWhenReady('[data-testid="get-code"]');
      const outcome = await session.waitFor(async () => {
        if ((await session.findAll('[data-testid="code-0"]')).length > 0) return 'code';
        const errors = await session.findAll('[data-testid="error"][data-kind="rate_limited"]');
        return errors.length > 0 ? errors[0] : null;
      }, 'the code boxes or the pause');
      if (outcome === 'code') break;
      assert.ok(attempt < 3, 'the CA keeps refusing calls');
      const wait = Number((await outcome.text()).match(/(\d+) с/)?.[1] ?? 5);
      await new Promise((resolve) => setTimeout(resolve, (wait + 1) * 1000));
    }
    const call = await ca('dev/calls/last');
    const digits = call.caller.replace(/\D/g, '').slice(-4);
    for (let i = 0; i < 4; i++) await (await session.find(`[data-testid="code-${i}"]`)).type(digits[i]);
  };

  before(async () => {
    for (const [name, value] of Object.entries({ APP, CA, CONTROL, FILES, NOTIFICATIONS })) {
      assert.ok(value, `${name} is set by scripts/e2e.sh`);
    }
    mkdirSync(RESULTS, { recursive: true });
    await waitForDriver();
    session = await Session.start(APP);
  });

  after(async () => {
    if (session) {
      writeFileSync(join(RESULTS, 'renewal-last.png'), await session.screenshot().catch(() => Buffer.alloc(0)));
      await session.end();
    }
  });

  it('renews from «Мои сертификаты»: the login with the calling number\'s last four digits, then the renewal\'s pre-filled requisites', async () => {
    // The seeded КЭП ends within 60 days: «Обновить сертификат» on the home.
    await session.clickWhenReady('[data-testid="my-certificate"][data-id="computer:current"] [data-testid="home-renew"]', 'Обновить сертификат');
    const phone = await session.waitForElement('[data-testid="phone"]', 'the phone field');
    await phone.type(PHONE_DIGITS);
    assert.equal(await value(session, phone), '+7 (999) 000-00-01');
    await session.clickWhenReady('[data-testid="get-code"]');
    await session.waitForElement('[data-testid="code-0"]', 'the code boxes');
    const countdown = await (await session.find('[data-testid="countdown"]')).text();
    assert.match(countdown, /через \d+ с/);
    await shot('login-code');
    const call = await ca('dev/calls/last');
    const digits = call.caller.replace(/\D/g, '').slice(-4);
    for (let i = 0; i < 4; i++) await (await session.find(`[data-testid="code-${i}"]`)).type(digits[i]);
    // Straight to the renewal of that certificate, filled in from the last requisites.
    const snils = await session.waitForElement('[data-testid="field-snils"]', 'the renewal\'s requisites');
    assert.equal(await value(session, snils), '112-233-445 95');
    await shot('renewal-from-home');
    // The list: the seeded application and this renewal, which says what it renews.
    await session.clickWhenReady('[data-testid="to-applications"]');
    await session.waitFor(async () => (await session.findAll('[data-testid="application"]')).length === 2, 'two applications');
    const renews = await session.findAll('[data-testid="application-renews"]');
    assert.match(await renews[1].text(), /Обновление сертификата Иванов Иван Иванович/);
    await shot('applications');
  });

  it('opens the application, reads what lies ahead and resumes after a restart', async () => {
    await session.clickWhenReady('[data-testid="application"] button', 'Заполнить заявку');
    await session.clickWhenReady('[data-testid="start"]', 'Приступить');
    const snils = await session.waitForElement('[data-testid="field-snils"]', 'the requisites form');
    assert.equal(await value(session, snils), '112-233-445 95', 'pre-filled from the current certificate');
    await shot('requisites');
    // A change typed but not sent yet…
    const email = await session.find('[data-testid="field-email"]');
    await email.clear();
    await email.type('ivanov.new@example.ru');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the draft is kept 0.3 s after typing

    // …survives quitting mid-stage: the same step, no new login (the session is in the keyring).
    await session.end();
    session = await Session.start(APP);
    await session.waitForElement('[data-testid="step-requisites"]', 'the requisites after the restart');
    assert.equal((await session.findAll('[data-testid="step-login"]')).length, 0);
    const emailAgain = await session.waitForElement('[data-testid="field-email"]');
    assert.equal(await value(session, emailAgain), 'ivanov.new@example.ru');
  });

  it('validates the requisites as they are typed and goes on', async () => {
    const inn = await session.waitForElement('[data-testid="field-inn"]');
    await inn.clear();
    await inn.type('500100732258');
    await (await session.find('[data-testid="field-email"]')).click();
    const message = await session.waitForElement('[data-testid="error-inn"]', 'the ИНН message');
    assert.match(await message.text(), /ИНН/);
    await inn.clear();
    await inn.type('500100732259');
    await session.waitFor(async () => (await session.findAll('[data-testid="error-inn"]')).length === 0, 'the message to go');
    await session.clickWhenReady('[data-testid="continue"]');
    await session.waitForElement('[data-testid="step-documents"]', 'the documents step');
  });

  it('takes files dropped onto the window and chosen in the dialog, with checks and previews', async () => {
    const png = file('passport.png', PNG);
    const wrong = file('notes.pdf', Buffer.from('these are notes, not a PDF'));
    control('drop.json', [png, wrong]);
    await session.waitFor(async () => (await session.findAll('[data-testid="pending-file"]')).length === 2, 'two dropped files');
    const problem = await session.waitForElement('[data-testid="file-problem"]');
    assert.equal(await problem.text(), 'Можно загрузить только PDF, JPEG или PNG.');
    await session.waitForElement('[data-testid="image-preview"]', 'the image preview');
    const html = await session.execute('return document.body.innerHTML');
    assert.ok(!html.includes(FILES), 'no path reaches the page');
    await shot('dropped');

    await session.clickWhenReady('[data-name="passport.png"] [data-testid="upload-file"]');
    await session.waitFor(async () => (await session.findAll('[data-testid="uploaded-document"]')).length === 1, 'the upload');

    control('dialog.json', [file('snils-scan.pdf', pdf())]);
    await session.clickWhenReady('[data-testid="choose-files"]');
    await session.waitForElement('[data-name="snils-scan.pdf"]', 'the chosen PDF');
    // pdf.js drew the page: the blue line of the test PDF is on the canvas.
    const drawn = await session.waitFor(
      () =>
        session.execute(`
          const c = document.querySelector('[data-name="snils-scan.pdf"] canvas');
          if (!c || c.width === 0) return 0;
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let blue = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 200 && d[i] < 80 && d[i + 3] > 0) blue++;
          return blue;`),
      'the PDF’s first page drawn',
    );
    assert.ok(drawn > 10, `${drawn} blue pixels`);
    await shot('pdf-preview');
    await session.execute(`const s = document.querySelector('[data-name="snils-scan.pdf"] select'); s.value = 'snils'; s.dispatchEvent(new Event('change'));`);
    await session.clickWhenReady('[data-name="snils-scan.pdf"] [data-testid="upload-file"]');
    await session.waitFor(async () => (await session.findAll('[data-testid="uploaded-document"]')).length === 2, 'the second upload');
    await session.waitForElement('[data-testid="uploaded-document"][data-kind="snils"]');
  });

  it('sends the application and waits for the CA', async () => {
    await session.clickWhenReady('[data-testid="submit"]');
    const review = await session.waitForElement('[data-testid="step-review"]', 'the review page');
    assert.equal(await review.attribute('data-status'), 'in_review');
    assert.match(await review.text(), /1–2 часа/);
    const current = await session.findAll('.stage-list [aria-current="step"]');
    assert.equal(await current[0].attribute('data-stage'), 'ca_review');
    await shot('review');
    const queue = await ca('api/v1/operator/queue', { headers: await operator() });
    applicationId = queue[0].id;
    // Stage 2: quit while the CA reviews; back on the status page.
    const again = await restart('[data-testid="step-review"]', 'the review page');
    assert.equal(await again.attribute('data-status'), 'in_review');
  });

  it('follows the CA asking for documents, and sends them again', async () => {
    await decide(applicationId, { decision: 'request_documents', comment: 'Скан СНИЛС нечитаем, загрузите другой.' });
    const comment = await session.waitForElement('[data-testid="ca-comment"]', 'the CA’s comment', 20_000);
    assert.equal(await comment.text(), 'Скан СНИЛС нечитаем, загрузите другой.');
    await session.waitFor(() => notifications().some((n) => n.summary === 'Нужны документы'), 'the desktop notification');
    await shot('documents-requested');

    const before = (await session.findAll('[data-testid="uploaded-document"]')).length;
    await session.clickWhenReady('[data-testid="uploaded-document"][data-kind="snils"] button');
    await session.waitFor(async () => (await session.findAll('[data-testid="uploaded-document"]')).length === before - 1, 'the old copy removed');
    control('drop.json', [file('snils-better.pdf', pdf())]);
    await session.waitForElement('[data-name="snils-better.pdf"]');
    await session.execute(`const s = document.querySelector('[data-name="snils-better.pdf"] select'); s.value = 'snils'; s.dispatchEvent(new Event('change'));`);
    await session.clickWhenReady('[data-name="snils-better.pdf"] [data-testid="upload-file"]');
    await session.waitForElement('[data-testid="uploaded-document"][data-kind="snils"]', 'the corrected scan');
    await session.clickWhenReady('[data-testid="submit"]');
    await session.waitForElement('[data-testid="step-review"][data-status="in_review"]', 'review again');
  });

  it('tells the user when the certificate is ready to be issued', async () => {
    await decide(applicationId, { decision: 'approve' });
    await session.waitForElement('[data-testid="approved"]', 'the approval', 20_000);
    const current = await session.findAll('.stage-list [aria-current="step"]');
    assert.equal(await current[0].attribute('data-stage'), 'issuance');
    await session.waitFor(
      () => notifications().some((n) => n.summary === 'Ваш сертификат готов к выпуску!'),
      'the notification',
    );
    await shot('approved');
  });

  it('saves the statement blank through the dialog', async () => {
    await session.clickWhenReady('[data-testid="proceed"]', 'Продолжить');
    await session.waitForElement('[data-testid="step-statement"][data-status="approved"]', 'the statement step');
    await session.clickWhenReady('[data-testid="how-scan"]');
    const blank = join(FILES, 'blank.pdf');
    writeFileSync(join(CONTROL, 'save.json'), JSON.stringify(blank));
    await session.clickWhenReady('[data-testid="download-blank"]');
    await session.waitForElement('[data-testid="blank-saved"]', 'the saved message');
    assert.ok(readFileSync(blank).subarray(0, 5).equals(Buffer.from('%PDF-')), 'the blank is the PDF');
    await shot('statement-scan-path');
  });

  it('signs the statement with the current КЭП from the key store', async () => {
    await session.clickWhenReady('[data-testid="how-kep"]');
    const certificates = await session.waitFor(async () => {
      const found = await session.findAll('[data-testid="signing-certificate"]');
      return found.length > 0 ? found : null;
    }, 'the current certificate');
    assert.equal(certificates.length, 1);
    assert.match(await certificates[0].text(), /Иванов Иван Иванович/);
    const password = await session.find('[data-testid="key-password"]');
    await password.type('не тот пароль');
    await session.clickWhenReady('[data-testid="sign"]');
    const error = await session.waitForElement('[data-testid="error"]', 'the wrong-password message');
    assert.match(await error.text(), /Неверный пароль контейнера/);
    await (await session.find('[data-testid="key-password"]')).type('kep-renew-dev-key');
    await session.clickWhenReady('[data-testid="sign"]');
    await session.waitForElement('[data-testid="statement-accepted"]', 'the accepted statement', 20_000);
    const current = await session.findAll('.stage-list [aria-current="step"]');
    assert.equal(await current[0].attribute('data-stage'), 'key');
    await shot('statement-signed');
    const view = await ca(`api/v1/operator/queue?status=in_review`, { headers: await operator() });
    assert.equal(view.length, 0);
  });

  it('makes the key from the random-number sensor and installs the issued certificate', async () => {
    await session.clickWhenReady('[data-testid="proceed-key"]');
    await fillSensor(12345);
    await shot('sensor');
    await (await session.find('[data-testid="new-password"]')).type('новый пароль ключа');
    await (await session.find('[data-testid="new-password-again"]')).type('новый пароль ключа');
    await session.clickWhenReady('[data-testid="create-key"]');
    // Signed with the КЭП and confirmed by the registries: issued at once.
    await session.waitForElement('[data-testid="step-install"][data-status="issued"]', 'the issued certificate', 30_000);
    // (The stage list follows the same view; a cold CI run once read it a moment early.)
    const stage = await session.waitFor(async () => {
      const current = await session.findAll('.stage-list [aria-current="step"]');
      const name = current[0] ? await current[0].attribute('data-stage') : null;
      return name === 'install' ? name : null;
    }, 'stage 6 current in the stage list');
    assert.equal(stage, 'install');
    // Stage 6: quit between "issued" and "installed"; the install step again.
    await restart('[data-testid="step-install"][data-status="issued"]', 'the install step');
    await session.clickWhenReady('[data-testid="install"]');
    const installed = await session.waitForElement('[data-testid="installed"]', 'the installed certificate', 20_000);
    assert.match(await installed.text(), /серийный номер [0-9A-F]+/);
    await shot('installed');
    const keys = join(process.env.KEP_RENEW_DATA_DIR, 'keys');
    const pem = readFileSync(join(keys, `renewal-${applicationId}.key.pem`), 'utf8');
    assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/, 'the key is stored encrypted');
    assert.ok(existsSync(join(keys, `renewal-${applicationId}.crt`)), 'the certificate beside it');

    // «Мои сертификаты»: the new certificate with the record of this renewal, re-verified here;
    // the one it replaced says so.
    await session.clickWhenReady('[data-testid="open-home"]');
    const card = `[data-testid="my-certificate"][data-id="computer:renewal-${applicationId}"]`;
    await session.clickWhenReady(`${card} [data-testid="record-check"]`, 'Проверить');
    const result = await session.waitForElement(`${card} [data-testid="record-result"]`, 'the check');
    const oks = await session.execute(
      "return [...arguments[0].querySelectorAll('li')].map((li) => li.dataset.ok)",
      [{ [ELEMENT]: result.id }],
    );
    assert.deepEqual(oks, ['true', 'true'], await result.text());
    await session.waitFor(async () => {
      const badge = await session.findAll('[data-testid="my-certificate"][data-id="computer:current"] [data-testid="status"][data-state="superseded"]');
      return badge.length > 0;
    }, 'the replaced certificate marked superseded');
    await shot('home-record');
    await session.clickWhenReady('[data-testid="open-home"]');
    await session.waitForElement('[data-testid="installed"]', 'the wizard again');
  });

  it('renews again, signing with the new КЭП and putting the key on a token', async () => {
    // The CA opens the next renewal; it starts from the last requisites.
    const next = await ca('api/v1/operator/applications', {
      method: 'POST',
      headers: await operator(),
      body: JSON.stringify({ phone: '+79990000001' }),
    });
    await session.clickWhenReady('[data-testid="to-list"]');
    await session.waitFor(async () => (await session.findAll('[data-testid="application"]')).length === 3, 'three applications (the renewal from the home among them)');
    await session.clickWhenReady('[data-testid="application"]:last-child button', 'Заполнить заявку');
    await session.clickWhenReady('[data-testid="start"]');
    await session.clickWhenReady('[data-testid="continue"]', 'the pre-filled requisites');
    await session.clickWhenReady('[data-testid="submit"]');
    await session.waitForElement('[data-testid="step-review"][data-status="in_review"]', 'review');
    await decide(next, { decision: 'approve' });
    await session.clickWhenReady('[data-testid="proceed"]', 'the approval', 20_000);

    // The certificate installed a moment ago is offered first; its container password signs.
    const password = await session.waitForElement('[data-testid="key-password"]', 'the signing form');
    await password.type('новый пароль ключа');
    await session.clickWhenReady('[data-testid="sign"]');
    await session.clickWhenReady('[data-testid="proceed-key"]', 'the accepted statement', 20_000);

    await session.clickWhenReady('[data-testid="storage-token"]');
    const token = await session.waitForElement('[data-testid="token"]', 'the token in the list');
    assert.match(await token.text(), /KEP Renew e2e/);
    await fillSensor(777);
    // A wrong PIN first: the token's message; then the factory PIN, remembered.
    await (await session.find('[data-testid="token-pin"]')).type('00000000');
    await session.clickWhenReady('[data-testid="create-key"]');
    const error = await session.waitForElement('[data-testid="error"]', 'the wrong-PIN message');
    assert.match(await error.text(), /Неверный PIN-код/);
    // (A wrong PIN made no key: the pool is still full.)
    assert.ok(await sensorFull(), 'the sensor kept its pool');
    await (await session.find('[data-testid="token-pin"]')).type('12345678');
    await session.clickWhenReady('[data-testid="remember-pin"]');
    await session.clickWhenReady('[data-testid="create-key"]');
    await session.waitForElement('[data-testid="step-install"][data-status="issued"]', 'the certificate for the token key', 30_000);
    await shot('token-issued');
    // The PIN is remembered: installation does not ask for it.
    await session.clickWhenReady('[data-testid="install"]');
    await session.waitForElement('[data-testid="installed"]', 'installed on the token', 20_000);
    assert.equal((await session.findAll('[data-testid="install-pin"]')).length, 0);
    await shot('token-installed');
  });

  it('does not offer a superseded КЭП for the statement and signs with the one on the token', async () => {
    const next = await ca('api/v1/operator/applications', {
      method: 'POST',
      headers: await operator(),
      body: JSON.stringify({ phone: '+79990000001' }),
    });
    await session.clickWhenReady('[data-testid="to-list"]');
    await session.waitFor(async () => (await session.findAll('[data-testid="application"]')).length === 4, 'four applications');
    await session.clickWhenReady('[data-testid="application"]:last-child button');
    await session.clickWhenReady('[data-testid="start"]');
    await session.clickWhenReady('[data-testid="continue"]');
    await session.clickWhenReady('[data-testid="submit"]');
    await session.waitForElement('[data-testid="step-review"][data-status="in_review"]');
    await decide(next, { decision: 'approve' });
    await session.clickWhenReady('[data-testid="proceed"]', 'the approval', 20_000);
    // The certificates in the key store were superseded by the renewals (the CA's CRL says so):
    // shown, not offered. The one on the token is chosen.
    await session.waitFor(async () => (await session.findAll('[data-testid="signing-certificate"]')).length === 3, 'three certificates');
    const superseded = await session.waitFor(
      () =>
        session.execute(
          `return [...document.querySelectorAll('[data-testid="signing-certificate"]')]
            .filter((li) => li.querySelector('input').disabled && li.textContent.includes('отозван')).length`,
        ),
      'the superseded ones marked',
    );
    assert.equal(superseded, 2);
    await shot('superseded-marked');
    const chosen = await session.execute("return document.querySelector('[data-testid=signing-certificate] input:checked').value");
    assert.match(chosen, /^token:/);
    const label = await session.execute("return document.querySelector('[data-testid=key-password]').closest('label').textContent");
    assert.match(label, /PIN-код токена/);
    await (await session.find('[data-testid="key-password"]')).type('12345678');
    await session.clickWhenReady('[data-testid="sign"]');
    await session.waitForElement('[data-testid="statement-accepted"]', 'signed with the token', 20_000);
    await shot('signed-on-token');

    // Stage 4 on the token (the PIN typed, nothing more remembered); stage 6 with the PIN
    // remembered last time, which the token no longer takes (changed elsewhere): forgotten at
    // once, the PIN field shown with the token's words, never retried behind the person's back.
    await session.clickWhenReady('[data-testid="proceed-key"]', 'the accepted statement', 20_000);
    await session.clickWhenReady('[data-testid="storage-token"]');
    await session.waitForElement('[data-testid="token"]', 'the token in the list');
    assert.equal(await (await session.find('[data-testid="length-512"]')).attribute('disabled'), 'true', 'no 512-bit keys on this token');
    await fillSensor(555);
    await (await session.find('[data-testid="token-pin"]')).type('12345678');
    await session.clickWhenReady('[data-testid="create-key"]');
    await session.waitForElement('[data-testid="step-install"][data-status="issued"]', 'the certificate for the second token key', 30_000);
    assert.equal((await session.findAll('[data-testid="install-pin"]')).length, 0, 'the remembered PIN is used');
    if (!VPCD_PORT) return; // (the rest needs the test's card reader: scripts/e2e.sh)
    // The PIN is changed on another computer: the token leaves this one and comes back (a card
    // out and in the reader), and the app asks the token library afresh.
    execFileSync('pkcs11-tool', ['--module', process.env.KEP_PKCS11_MODULE, '--token-label', 'KEP Renew e2e', '--login', '--pin', '12345678', '--change-pin', '--new-pin', '11223344'], { stdio: 'pipe' });
    const before = rescans();
    const card = plugCard();
    await session.waitFor(() => rescans() > before || null, 'the token library asked afresh', 20_000);
    card.kill();
    await session.waitFor(() => rescans() > before + 1 || null, 'asked afresh after the card left', 20_000);
    await session.clickWhenReady('[data-testid="install"]');
    const refused = await session.waitForElement('[data-testid="error"]', 'the refused remembered PIN', 20_000);
    assert.match(await refused.text(), /Запомненный PIN-код не подошёл/);
    assert.match(await refused.text(), /Неверный PIN-код/);
    const pin = await session.waitForElement('[data-testid="install-pin"]', 'the PIN field');
    await shot('remembered-pin-refused');
    await pin.type('11223344');
    // «Запомнить PIN-код» at stage 6, as the seed offers it.
    await session.clickWhenReady('[data-testid="install-remember-pin"]');
    await session.clickWhenReady('[data-testid="install"]');
    await session.waitForElement('[data-testid="installed"]', 'installed with the PIN typed', 20_000);
    await shot('installed-after-refused-pin');
  });

  it('signs a dropped PDF on the token, checks it, and catches a tampered copy', async () => {
    // The token's PIN as the previous test left it (changed there when the card reader runs).
    const tokenPin = VPCD_PORT ? '11223344' : '12345678';
    // From «Мои сертификаты»: «Подписать файл» on the certificate on the token.
    await session.clickWhenReady('[data-testid="open-home"]');
    await session.waitFor(
      () =>
        session.execute(`
          const sign = [...document.querySelectorAll('[data-testid=home-sign]')]
            .find((b) => b.closest('li, article, .certificate')?.textContent.includes('На токене'));
          if (!sign) return null;
          sign.click();
          return true;`),
      '«Подписать файл» on the token certificate',
      20_000,
    );
    await session.waitForElement('[data-testid="documents"]', 'the signing screen');
    const contract = file('contract.pdf', pdf());
    control('drop.json', [contract]);
    await session.waitFor(async () => (await session.findAll('[data-testid="chosen-document"]')).length === 1, 'the dropped PDF');
    const offered = await session.waitFor(
      () => session.execute("return document.querySelector('[data-testid=sign-certificate]')?.value || null"),
      'the token certificate chosen',
    );
    assert.match(offered, /^token:/);
    const label = await session.execute("return document.querySelector('[data-testid=sign-secret]').closest('label').textContent");
    assert.match(label, /PIN-код токена/);
    await (await session.find('[data-testid="sign-secret"]')).type(tokenPin);
    await session.clickWhenReady('[data-testid="sign-documents"]');
    const done = await session.waitForElement('[data-testid="signed-file"]', 'the signature written', 30_000);
    assert.equal(await done.text(), 'Готово: contract.pdf.sig');
    const signature = join(FILES, 'contract.pdf.sig');
    assert.ok(existsSync(signature), 'the .sig beside the PDF');
    assert.equal(readFileSync(signature)[0], 0x30, 'DER');
    await shot('signed-file');

    // The signature dropped beside its PDF: checked, valid; the report saved through the dialog.
    control('drop.json', [signature]);
    await session.clickWhenReady('[data-testid="check-signature"]', 'the signature to check');
    const verdict = await session.waitForElement('[data-testid="verdict"]', 'the verdict', 20_000);
    assert.equal(await verdict.attribute('data-verdict'), 'valid', await verdict.text());
    assert.match(await verdict.text(), /Файл не изменён после подписания/);
    await shot('signature-valid');
    const report = join(FILES, 'report.pdf');
    control('save.json', report);
    await session.clickWhenReady('[data-testid="save-report"]');
    await session.waitFor(() => existsSync(report) || null, 'the report saved');
    assert.equal(readFileSync(report).subarray(0, 5).toString(), '%PDF-');

    // A tampered copy with the same signature: the list cleared, both dropped, caught.
    await session.clickWhenReady('[data-testid="clear-documents"]');
    await session.waitFor(async () => (await session.findAll('[data-testid="chosen-document"]')).length === 0, 'the list cleared');
    const tampered = Buffer.from(readFileSync(contract));
    tampered[tampered.length - 10] ^= 0x01;
    const changed = file('contract-changed.pdf', tampered);
    const changedSig = file('contract-changed.pdf.sig', readFileSync(signature));
    control('drop.json', [changed, changedSig]);
    await session.waitFor(async () => (await session.findAll('[data-testid="chosen-document"]')).length === 2, 'both dropped');
    await session.clickWhenReady('[data-testid="check-signature"]');
    const caught = await session.waitForElement('[data-testid="verdict"]', 'the verdict on the tampered copy', 20_000);
    assert.equal(await caught.attribute('data-verdict'), 'invalid');
    assert.match(await caught.text(), /файл изменён после подписания/);
    await shot('signature-tampered');
    // Back to the wizard, as the next test expects (the home, then the wizard).
    await session.clickWhenReady('[data-testid="documents-back"]');
    await session.clickWhenReady('[data-testid="open-home"]');
    await session.waitForElement('[data-testid="step-install"]', 'the wizard again');
  });

  it('copes with a CA that stops answering: the message in time, logout at once, sent once', async () => {
    const next = await ca('api/v1/operator/applications', {
      method: 'POST',
      headers: await operator(),
      body: JSON.stringify({ phone: '+79990000001' }),
    });
    await session.clickWhenReady('[data-testid="to-applications"]');
    await session.waitFor(async () => (await session.findAll('[data-testid="application"]')).length === 5, 'five applications');
    await session.clickWhenReady('[data-testid="application"]:last-child button');
    await session.clickWhenReady('[data-testid="start"]');
    await session.clickWhenReady('[data-testid="continue"]');
    await session.waitForElement('[data-testid="step-documents"]', 'the documents step');

    // The CA process stalls (as a hung server or a dead link looks) just as the user sends.
    process.kill(CA_PID, 'SIGSTOP');
    let waited;
    try {
      const started = Date.now();
      await session.clickWhenReady('[data-testid="submit"]');
      await session.waitForElement('[data-testid="cancel-action"]', 'the offer to cancel', 10_000);
      await shot('stalled-waiting');
      // The deadline is 15 s; the message must come before it plus 15 s of grace.
      const error = await session.waitForElement('[data-testid="error"][data-kind="network"]', 'the message', 30_000);
      waited = (Date.now() - started) / 1000;
      assert.match(await error.text(), /Удостоверяющий центр не отвечает/);
      await shot('stalled-message');
      const loggingOut = Date.now();
      await session.clickWhenReady('[data-testid="logout"]');
      await session.waitForElement('[data-testid="step-login"]', 'the login after «Выйти»', 5_000);
      const logoutSeconds = (Date.now() - loggingOut) / 1000;
      writeFileSync(
        join(RESULTS, 'stalled-ca.txt'),
        `message after ${waited.toFixed(1)} s (deadline 15 s); logout took ${logoutSeconds.toFixed(1)} s while stalled\n`,
      );
      console.log(`stalled CA: message after ${waited.toFixed(1)} s, logout ${logoutSeconds.toFixed(1)} s`);
    } finally {
      process.kill(CA_PID, 'SIGCONT');
    }

    // Log in again and carry on: the application was sent once (the stalled request reached
    // the CA, or the repeat with the same key did), and the app shows where it stands.
    await logIn();
    await session.waitFor(async () => (await session.findAll('[data-testid="application"]')).length === 5, 'still five applications');
    await session.clickWhenReady('[data-testid="application"]:last-child button');
    const where = await session.waitFor(async () => {
      if ((await session.findAll('[data-testid="step-review"]')).length > 0) return 'review';
      if ((await session.findAll('[data-testid="step-overview"]')).length > 0) return 'overview';
      return null;
    }, 'the application');
    if (where === 'overview') {
      // The stalled request never got to the CA: send it again (with the same key).
      await session.clickWhenReady('[data-testid="start"]');
      await session.clickWhenReady('[data-testid="continue"]');
      await session.clickWhenReady('[data-testid="submit"]');
    }
    await session.waitForElement('[data-testid="step-review"][data-status="in_review"]', 'the review page');
    const sent = await session.findAll('[data-testid="timeline"] li[data-status="in_review"]');
    assert.equal(sent.length, 1, 'sent exactly once');
    const queue = await ca('api/v1/operator/queue', { headers: await operator() });
    assert.equal(queue.filter((a) => a.id === next).length, 1);
    applicationId = next;
  });

  it('goes the paper way: a scanned statement, the key, identity in person, restarts in every stage', async () => {
    await decide(applicationId, { decision: 'approve' });
    await session.clickWhenReady('[data-testid="proceed"]', 'the approval', 20_000);
    // Stage 3: quit at the statement; back at it.
    await restart('[data-testid="step-statement"]', 'the statement');
    await session.clickWhenReady('[data-testid="how-scan"]');
    control('drop.json', [file('statement-signed.png', PNG)]);
    await session.clickWhenReady('[data-name="statement-signed.png"] [data-testid="upload-file"]', 'the dropped scan');
    await session.waitForElement('[data-testid="statement-scan"]', 'the uploaded scan');
    await session.clickWhenReady('[data-testid="submit-scan"]');
    await session.waitForElement('[data-testid="statement-in-review"]', 'the statement with the operator');
    await ca(`api/v1/operator/applications/${applicationId}/statement-decision`, {
      method: 'POST',
      headers: await operator(),
      body: JSON.stringify({ decision: 'approve' }),
    });
    await session.clickWhenReady('[data-testid="proceed-key"]', 'the accepted statement', 20_000);
    // Stage 4: quit at the key step; back at it.
    await restart('[data-testid="step-key"]', 'the key step');
    // A 512-bit key this time (TC26-512-A, in the computer key store).
    await session.clickWhenReady('[data-testid="length-512"]');
    await fillSensor(4242);
    await (await session.find('[data-testid="new-password"]')).type('пароль бумажного пути');
    await (await session.find('[data-testid="new-password-again"]')).type('пароль бумажного пути');
    await session.clickWhenReady('[data-testid="create-key"]');
    // Signed by hand: identity must be confirmed in person.
    const identity = await session.waitForElement('[data-testid="step-identity"]', 'the identity step', 30_000);
    assert.match(await identity.text(), /оригинал заявления/);
    let current = await session.findAll('.stage-list [aria-current="step"]');
    assert.equal(await current[0].attribute('data-stage'), 'identity');
    await shot('identity');
    // Stage 5: quit while waiting for the officer; back at it.
    await restart('[data-testid="step-identity"]', 'the identity step');
    await ca(`api/v1/operator/applications/${applicationId}/identity`, {
      method: 'POST',
      headers: await operator('officer'),
    });
    // The background refresh sees the certificate issued and moves on to the installation.
    await session.waitForElement('[data-testid="step-install"][data-status="issued"]', 'the issued certificate', 20_000);
    current = await session.findAll('.stage-list [aria-current="step"]');
    assert.equal(await current[0].attribute('data-stage'), 'install');
    await session.clickWhenReady('[data-testid="install"]');
    const installed = await session.waitForElement('[data-testid="installed"]', 'the installed certificate', 20_000);
    await shot('paper-way-installed');
    // The home has it, with its 512-bit key.
    const serial = (await installed.text()).match(/серийный номер ([0-9A-Fa-f]+)/)[1];
    await session.clickWhenReady('[data-testid="open-home"]');
    const card = await session.waitFor(async () => {
      for (const card of await session.findAll('[data-testid="my-certificate"]')) {
        if ((await card.text()).toUpperCase().includes(serial.toUpperCase())) return card;
      }
      return null;
    }, 'the 512-bit certificate on the home');
    await (await card.find('[data-testid="home-details"]')).click();
    const algorithm = await session.waitForElement('[data-testid="details-key-algorithm"]', 'its details');
    assert.equal(await algorithm.text(), 'ГОСТ Р 34.10-2012 512 бит');
    await shot('home-512');
    await session.clickWhenReady('[data-testid="open-home"]');
    await session.waitForElement('[data-testid="installed"]', 'the wizard again');
    // Nothing of it is left half-done at the CA: one certificate, completed.
    const done = await ca(`api/v1/operator/queue?status=completed`, { headers: await operator() });
    assert.ok(done.some((a) => a.id === applicationId), 'completed at the CA');
  });
});

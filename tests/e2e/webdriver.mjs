// A small W3C WebDriver client over Node's fetch: enough to drive the app's real window through
// tauri-driver (which hands the session to WebKitWebDriver).
import { setTimeout as sleep } from 'node:timers/promises';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** The id of a web element reference (W3C key; WebKitWebDriver may also use the legacy one). */
function elementId(reference) {
  const id = reference?.[ELEMENT] ?? reference?.ELEMENT;
  if (typeof id !== 'string') throw new Error(`not an element reference: ${JSON.stringify(reference)}`);
  return id;
}

export const DRIVER_URL = process.env.WEBDRIVER_URL ?? 'http://127.0.0.1:4444';

async function request(method, path, body) {
  const response = await fetch(`${DRIVER_URL}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    const { error, message } = payload.value ?? {};
    throw new Error(`WebDriver ${method} ${path}: ${response.status} ${error ?? ''} ${message ?? ''}`);
  }
  return payload.value;
}

/** Waits until tauri-driver accepts connections. */
export async function waitForDriver(timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(`${DRIVER_URL}/status`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`tauri-driver did not start: ${error}`);
      await sleep(200);
    }
  }
}

export class Session {
  constructor(id) {
    this.id = id;
  }

  /** Starts the app binary in a new session (only `tauri:options`, no `browserName`). */
  static async start(application) {
    const value = await request('POST', '/session', {
      capabilities: { alwaysMatch: { 'tauri:options': { application } } },
    });
    return new Session(value.sessionId);
  }

  cmd(method, path, body) {
    return request(method, `/session/${this.id}${path}`, body);
  }

  title() {
    return this.cmd('GET', '/title');
  }

  async find(css) {
    const value = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return new Element(this, elementId(value));
  }

  async findAll(css) {
    const values = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return values.map((v) => new Element(this, elementId(v)));
  }

  /** Polls `probe` until it returns a truthy value or the time is up. */
  async waitFor(probe, what, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        const value = await probe();
        if (value) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
      await sleep(150);
    }
  }

  /** Runs `script` in the page with `args` (elements may be passed as `{[ELEMENT]: id}`). */
  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** Clicks the first element matching `css` once it is there. */
  async clickWhenReady(css, what = css) {
    const element = await this.waitFor(async () => {
      const found = await this.findAll(css);
      return found[0] ?? null;
    }, what);
    await element.click();
    return element;
  }

  /** Waits for an element matching `css` and returns it. */
  waitForElement(css, what = css, timeoutMs = 15_000) {
    return this.waitFor(async () => (await this.findAll(css))[0] ?? null, what, timeoutMs);
  }

  /** Real pointer moves through `points` ([x, y] from the element's centre, ms per move). */
  async moveWithin(element, points) {
    const actions = points.map(([x, y, duration]) => ({
      type: 'pointerMove',
      duration,
      origin: { [ELEMENT]: element.id },
      x,
      y,
    }));
    await this.cmd('POST', '/actions', {
      actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }],
    });
    await this.cmd('DELETE', '/actions').catch(() => {});
  }

  /** A PNG of the window, as a Buffer. */
  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  async end() {
    await request('DELETE', `/session/${this.id}`).catch(() => {});
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  text() {
    return this.session.cmd('GET', `/element/${this.id}/text`);
  }

  attribute(name) {
    return this.session.cmd('GET', `/element/${this.id}/attribute/${encodeURIComponent(name)}`);
  }

  click() {
    return this.session.cmd('POST', `/element/${this.id}/click`, {});
  }

  enabled() {
    return this.session.cmd('GET', `/element/${this.id}/enabled`);
  }

  /** Types `text` into the element (real key events). */
  type(text) {
    return this.session.cmd('POST', `/element/${this.id}/value`, { text });
  }

  clear() {
    return this.session.cmd('POST', `/element/${this.id}/clear`, {});
  }

  async find(css) {
    const value = await this.session.cmd('POST', `/element/${this.id}/element`, {
      using: 'css selector',
      value: css,
    });
    return new Element(this.session, elementId(value));
  }
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import App from '../App.svelte';
import { ru } from '../lib/i18n/ru';
import { STAGES } from '../lib/wizard/stages';
import { application, view, toLogin } from './fixtures';

beforeEach(() => {
  mockIPC(
    (cmd) => {
      if (cmd === 'app_info') return { version: '0.1.0', os: 'linux', arch: 'x86_64' };
      if (cmd === 'wizard_view') return view();
      throw { kind: 'internal', message: 'unexpected' };
    },
    { shouldMockEvents: true },
  );
});

afterEach(() => {
  cleanup();
  clearMocks();
});

function stageButtons(): HTMLElement[] {
  const nav = screen.getByRole('navigation', { name: ru.stagesHeading });
  return within(nav).getAllByRole('button');
}

describe('the wizard frame', () => {
  it('shows the six stages by their Russian names, in order', () => {
    render(App);
    const titles = stageButtons().map((b) => b.querySelector('.stage-title')?.textContent);
    expect(titles).toEqual(STAGES.map((s) => ru.stages[s].title));
    expect(titles).toEqual([
      'Заполнение и отправка заявки',
      'Проверка заявки Удостоверяющим центром',
      'Выпуск сертификата',
      'Выбор места хранения сертификата и создание закрытого ключа',
      'Подтверждение личности',
      'Установка сертификата',
    ]);
  });

  it('highlights exactly the current stage and shows its screen', async () => {
    render(App);
    await toLogin();
    const current = stageButtons().filter((b) => b.getAttribute('aria-current') === 'step');
    expect(current).toHaveLength(1);
    expect(current[0]?.dataset['stage']).toBe('application');
    const screenOf = await screen.findByTestId('step-login');
    expect(screen.getByTestId('stage-screen').dataset['stage']).toBe('application');
    expect(within(screenOf).getByRole('heading', { level: 2 }).textContent).toBe(ru.login.heading);
  });

  it('describes an upcoming stage plainly and returns to the current one', async () => {
    render(App);
    await toLogin();
    const keyStage = stageButtons().find((b) => b.dataset['stage'] === 'key');
    expect(keyStage).toBeDefined();
    await fireEvent.click(keyStage!);

    const panel = screen.getByTestId('stage-panel');
    expect(panel.dataset['stage']).toBe('key');
    expect(panel.textContent).toContain(ru.previewNote);
    for (const step of ru.stages.key.steps) expect(panel.textContent).toContain(step);
    // The current stage keeps its highlight while another is viewed.
    expect(keyStage!.getAttribute('aria-current')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: ru.backToCurrent }));
    expect(screen.getByTestId('stage-screen').dataset['stage']).toBe('application');
  });

  it('shows the version the backend reports', async () => {
    render(App);
    await waitFor(() =>
      expect(screen.getByTestId('app-version').textContent).toBe('KEP Renew 0.1.0 · linux x86_64'),
    );
  });

  it('shows a Russian message when the backend fails', async () => {
    clearMocks();
    mockIPC(() => {
      throw { kind: 'io', message: 'Не удалось прочитать папку данных приложения' };
    });
    render(App);
    await waitFor(() =>
      expect(screen.getAllByRole('alert')[0]?.textContent).toContain(
        'Не удалось прочитать папку данных приложения',
      ),
    );
  });
});

describe('a CA that does not answer', () => {
  it('offers «Отменить» while a call waits, and «Выйти» works meanwhile', async () => {
    clearMocks();
    const calls: string[] = [];
    let hung: ((value: unknown) => void) | null = null;
    mockIPC(
      (cmd) => {
        calls.push(cmd);
        if (cmd === 'app_info') return { version: '0.1.0', os: 'linux', arch: 'x86_64' };
        if (cmd === 'wizard_view')
          return view({ step: { step: 'applications' }, applications: [application()] });
        // The CA hangs: this call answers only when the test says so.
        if (cmd === 'choose_application') return new Promise((resolve) => (hung = resolve));
        if (cmd === 'cancel_action') return null;
        if (cmd === 'logout') return view();
        throw { kind: 'internal', message: `unexpected ${cmd}` };
      },
      { shouldMockEvents: true },
    );
    render(App);
    const fill = await screen.findByRole('button', { name: ru.applications.fill });
    await fireEvent.click(fill);
    expect(screen.queryByTestId('waiting')).toBeNull();
    const cancel = await screen.findByTestId('cancel-action', {}, { timeout: 3000 });
    expect(screen.getByTestId('waiting').textContent).toContain(ru.waiting.text);
    await fireEvent.click(cancel);
    await waitFor(() => expect(calls).toContain('cancel_action'));

    // Logging out does not wait for the hung call.
    await fireEvent.click(screen.getByTestId('logout'));
    await screen.findByTestId('step-login');
    expect(hung).not.toBeNull();
  });
});

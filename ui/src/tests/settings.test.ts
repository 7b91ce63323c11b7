import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import App from '../App.svelte';
import type { SettingsView } from '../bindings/SettingsView';
import { ru } from '../lib/i18n/ru';
import { view, toLogin } from './fixtures';

function settings(patch: Partial<SettingsView> = {}): SettingsView {
  return {
    version: '0.1.0',
    ca_url: 'https://uc.example.ru/',
    ca_source: 'build',
    ca_switchable: true,
    switch_blocked: null,
    log_folder: '/home/user/.local/share/ru.keprenew.desktop/logs',
    modules: [
      { path: '/usr/lib/librtpkcs11ecp.so', vendor: 'rutoken', present: true, in_use: true },
      { path: '/usr/lib/libjcPKCS11-2.so', vendor: 'jacarta', present: false, in_use: false },
    ],
    ...patch,
  };
}

function backendMock(handler: (cmd: string, args: Record<string, unknown>) => unknown): string[] {
  const calls: string[] = [];
  // The OS's autostart entry, as the backend reports it: none until turned on.
  let atLogin = false;
  mockIPC(
    (cmd, args) => {
      calls.push(cmd);
      if (cmd === 'app_info') return { version: '0.1.0', os: 'linux', arch: 'x86_64' };
      if (cmd === 'wizard_view') return view();
      if (cmd === 'start_at_login') return atLogin;
      if (cmd === 'set_start_at_login') return (atLogin = (args as { enabled: boolean }).enabled);
      return handler(cmd, (args ?? {}) as Record<string, unknown>);
    },
    { shouldMockEvents: true },
  );
  return calls;
}

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('settings', () => {
  it('starts at login only once turned on, and off again', async () => {
    const calls = backendMock((cmd) => {
      if (cmd === 'settings_view') return settings();
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(App);
    await toLogin();
    await fireEvent.click(await screen.findByTestId('open-settings'));
    const box = (await screen.findByTestId('settings-start-at-login')) as HTMLInputElement;
    await waitFor(() => expect(box.disabled).toBe(false));
    expect(box.checked).toBe(false);
    expect(calls).not.toContain('set_start_at_login');
    await fireEvent.click(box);
    await waitFor(() => expect(box.checked).toBe(true));
    await fireEvent.click(box);
    await waitFor(() => expect(box.checked).toBe(false));
    expect(calls.filter((c) => c === 'set_start_at_login')).toHaveLength(2);
  });

  it('shows the CA, the libraries, the version and the log folder, and switches after the check', async () => {
    let current = settings();
    const calls = backendMock((cmd, args) => {
      if (cmd === 'settings_view') return current;
      if (cmd === 'switch_ca') {
        const url = (args['switch'] as { url: string }).url;
        if (url === 'https://dead.example/')
          throw { kind: 'network', message: 'По этому адресу нет связи: проверьте адрес и подключение к интернету. Настройки не изменены.' };
        current = settings({ ca_url: url, ca_source: 'person' });
        return current;
      }
      if (cmd === 'reset_ca') return (current = settings());
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(App);
    await toLogin();
    await fireEvent.click(await screen.findByTestId('open-settings'));
    expect((await screen.findByTestId('settings-ca-url')).textContent).toBe('https://uc.example.ru/');
    expect(screen.getByTestId('settings-ca-source').textContent).toContain(ru.settings.caSource.build);
    expect(screen.getByTestId('settings-version').textContent).toBe('0.1.0');
    expect(screen.getByTestId('settings-log-folder').textContent).toContain('/logs');
    const modules = screen.getByTestId('settings-modules');
    expect(modules.textContent).toContain('Рутокен');
    expect(modules.textContent).toContain(ru.settings.inUse);
    expect(modules.textContent).toContain(ru.settings.absent);
    expect(screen.getByTestId('settings-module-warning').textContent).toContain('PIN');

    const input = screen.getByTestId('settings-ca-input') as HTMLInputElement;
    const go = screen.getByTestId('settings-ca-switch') as HTMLButtonElement;
    expect(go.disabled).toBe(true);
    await fireEvent.input(input, { target: { value: 'https://dead.example/' } });
    await fireEvent.click(go);
    expect((await screen.findByTestId('error')).textContent).toContain('нет связи');
    expect(screen.getByTestId('settings-ca-url').textContent).toBe('https://uc.example.ru/');

    await fireEvent.input(input, { target: { value: 'https://uc2.example.ru/' } });
    await fireEvent.click(go);
    await screen.findByTestId('settings-switched');
    expect(screen.getByTestId('settings-ca-url').textContent).toBe('https://uc2.example.ru/');
    expect(screen.queryByTestId('error')).toBeNull();
    // The wizard reloads its view from the new CA.
    await waitFor(() => expect(calls.filter((c) => c === 'wizard_view').length).toBeGreaterThan(1));

    await fireEvent.click(screen.getByTestId('settings-ca-reset'));
    await waitFor(() => expect(screen.getByTestId('settings-ca-url').textContent).toBe('https://uc.example.ru/'));
    await fireEvent.click(screen.getByTestId('settings-close'));
    await screen.findByTestId('phone');
  });

  it('says why the CA cannot be switched, and refuses a file that is not a library', async () => {
    backendMock((cmd) => {
      if (cmd === 'settings_view')
        return settings({
          ca_source: 'organization',
          ca_switchable: false,
          switch_blocked: 'Адрес удостоверяющего центра задан вашей организацией: изменить его может только администратор.',
        });
      if (cmd === 'choose_pkcs11_module')
        throw { kind: 'invalid_input', message: 'Этот файл не загружается как библиотека PKCS#11. Выберите библиотеку от производителя вашего токена.' };
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(App);
    await fireEvent.click(await screen.findByTestId('open-settings'));
    expect((await screen.findByTestId('settings-ca-blocked')).textContent).toContain('администратор');
    expect(screen.queryByTestId('settings-ca-input')).toBeNull();
    await fireEvent.click(screen.getByTestId('settings-module-choose'));
    expect((await screen.findByTestId('error')).textContent).toContain('PKCS#11');
  });
});

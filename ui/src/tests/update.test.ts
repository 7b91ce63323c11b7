import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import App from '../App.svelte';
import { view, toLogin } from './fixtures';

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('updates', () => {
  it('offers the new version with its notes, installs only on consent, and says why not', async () => {
    const installs: unknown[] = [];
    mockIPC(
      (cmd, args) => {
        if (cmd === 'app_info') return { version: '0.1.0', os: 'linux', arch: 'x86_64' };
        if (cmd === 'wizard_view') return view();
        if (cmd === 'update_offer') return { version: '0.1.1', current_version: '0.1.0', notes: 'Исправлена установка на Рутокен.' };
        if (cmd === 'install_update') {
          installs.push(args);
          throw {
            kind: 'signature_rejected',
            message: 'Обновление не прошло проверку подписи и не установлено. Программа продолжает работать в текущей версии.',
          };
        }
        throw { kind: 'internal', message: `unexpected ${cmd}` };
      },
      { shouldMockEvents: true },
    );
    render(App);
    await toLogin();
    const banner = await screen.findByTestId('update');
    expect(banner.textContent).toContain('Доступна новая версия 0.1.1');
    expect(screen.getByTestId('update-notes').textContent).toBe('Исправлена установка на Рутокен.');
    expect(installs).toEqual([]);
    await fireEvent.click(screen.getByTestId('update-install'));
    expect((await screen.findByTestId('error')).textContent).toContain('проверку подписи');
    expect(installs).toEqual([{ version: '0.1.1' }]);
    await fireEvent.click(screen.getByTestId('update-later'));
    await waitFor(() => expect(screen.queryByTestId('update')).toBeNull());
    // A later offer (the daily check) shows again.
    await emit('update-available', { version: '0.1.2', current_version: '0.1.0', notes: null });
    expect((await screen.findByTestId('update')).textContent).toContain('0.1.2');
  });
});

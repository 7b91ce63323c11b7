import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { backend, BackendError, toBackendError } from '../lib/backend';
import { ru } from '../lib/i18n/ru';

afterEach(() => clearMocks());

describe('backend', () => {
  it('calls app_info and returns its typed answer', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === 'app_info') return { version: '9.9.9', os: 'linux', arch: 'x86_64' };
      throw new Error(`unexpected command ${cmd}`);
    });
    await expect(backend.appInfo()).resolves.toEqual({
      version: '9.9.9',
      os: 'linux',
      arch: 'x86_64',
    });
    expect(calls).toEqual(['app_info']);
  });

  it('passes the backend {kind, message} through as a BackendError', async () => {
    mockIPC(() => {
      throw { kind: 'network', message: 'Удостоверяющий центр не отвечает' };
    });
    const error = await backend.appInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).kind).toBe('network');
    expect((error as BackendError).message).toBe('Удостоверяющий центр не отвечает');
  });

  it('turns a rejection outside the contract into a calm internal error', () => {
    const original = console.error;
    console.error = () => {};
    try {
      for (const reason of ['Command app_info not allowed by ACL', null, { kind: 'bogus', message: 'x' }]) {
        const error = toBackendError(reason);
        expect(error.kind).toBe('internal');
        expect(error.message).toBe(ru.errors.internal);
      }
    } finally {
      console.error = original;
    }
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { backend } from '../lib/backend';
import { emptyRequisites, messagesByField } from '../lib/requisites';
import type { RequisitesCheck } from '../bindings/RequisitesCheck';

afterEach(() => clearMocks());

const check: RequisitesCheck = {
  normalized: null,
  errors: [
    { field: 'snils', kind: 'snils_checksum', message: 'Неверное контрольное число СНИЛС.' },
    { field: 'inn', kind: 'empty', message: 'Укажите ИНН.' },
  ],
};

describe('requisites', () => {
  it('sends the whole form to check_requisites', async () => {
    let sent: unknown;
    mockIPC((cmd, args) => {
      expect(cmd).toBe('check_requisites');
      sent = args;
      return check;
    });
    const input = { ...emptyRequisites(), snils: '112-233-445 96' };
    await expect(backend.checkRequisites(input)).resolves.toEqual(check);
    expect(sent).toEqual({ input });
  });

  it('shows messages only under touched fields', () => {
    expect(messagesByField(check, new Set())).toEqual({});
    expect(messagesByField(check, new Set(['snils']))).toEqual({
      snils: 'Неверное контрольное число СНИЛС.',
    });
  });
});

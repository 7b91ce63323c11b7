import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import App from '../App.svelte';
import type { ChosenFile } from '../bindings/ChosenFile';
import type { SignatureCheck } from '../bindings/SignatureCheck';
import { ru } from '../lib/i18n/ru';
import { certificate, view } from './fixtures';

const contract: ChosenFile = { id: 'f1', name: 'договор.pdf', size: 2048, is_signature: false };
const other: ChosenFile = { id: 'f2', name: 'акт.pdf', size: 4096, is_signature: false };
const signature: ChosenFile = { id: 's1', name: 'договор.pdf.sig', size: 1300, is_signature: true };

function verdict(): SignatureCheck {
  return {
    file_name: 'договор.pdf',
    content_sha256: 'ab'.repeat(32),
    signature_name: 'договор.pdf.sig',
    verdict: 'valid',
    headline: 'Подпись действительна.',
    signer: certificate().summary,
    signing_time: '2026-12-03T10:00:00Z',
    time_note: 'Время подписания указано самим подписавшим.',
    content_unchanged: true,
    content_note: 'Файл не изменён после подписания.',
    trust: { kind: 'this_ca' },
    trust_note: 'Сертификат выдан удостоверяющим центром, с которым работает приложение.',
    status: { state: 'valid', source: 'ocsp', checked_at: '2026-12-03T10:00:00Z' },
    status_note: 'Сертификат не отозван.',
    chain: [{ subject: 'Иванов Иван Иванович', serial: '5DD4F86B', not_after: '2027-01-15T20:49:40Z' }],
    checked_at: '2026-12-03T10:05:00Z',
  };
}

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('«Подписать или проверить файл»', () => {
  it('opens from the home with the certificate chosen, signs what was dropped, pairs and checks a signature', async () => {
    let files: ChosenFile[] = [];
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    mockIPC(
      (cmd, args) => {
        const a = (args ?? {}) as Record<string, unknown>;
        calls.push({ cmd, args: a });
        if (cmd === 'app_info') return { version: '0.1.0', os: 'linux', arch: 'x86_64' };
        if (cmd === 'wizard_view') return view();
        if (cmd === 'list_tokens') return [];
        if (cmd === 'set_drop_target') return null;
        if (cmd === 'my_certificates')
          return [
            certificate(),
            certificate({
              id: 'token:01:0a',
              place: { kind: 'token', label: 'Рутокен', serial: '01' },
              status: { state: 'unchecked', reason: 'Нет связи со службой статусов.' },
            }),
            certificate({ id: 'computer:old', can_sign: false, status: { state: 'expired' } }),
          ];
        if (cmd === 'chosen_documents') return files;
        if (cmd === 'sign_documents')
          return [{ file_id: 'f1', name: 'договор.pdf', signature_name: 'договор.pdf.sig', replaced: false, problem: null }];
        if (cmd === 'check_signature') return verdict();
        if (cmd === 'save_check_report') return 'Протокол проверки договор.pdf.pdf';
        throw { kind: 'internal', message: `unexpected ${cmd}` };
      },
      { shouldMockEvents: true },
    );
    render(App);
    await screen.findByTestId('home');
    // On the home, drops are documents.
    await waitFor(() =>
      expect(calls.some((c) => c.cmd === 'set_drop_target' && c.args['documents'] === true)).toBe(true),
    );
    const cards = await screen.findAllByTestId('my-certificate');
    expect(within(cards[2] as HTMLElement).queryByTestId('home-sign')).toBeNull();
    await fireEvent.click(within(cards[1] as HTMLElement).getByTestId('home-sign'));
    await screen.findByTestId('documents');

    // The token certificate is chosen; its unknown status is a warning, not a refusal.
    const select = (await screen.findByTestId('sign-certificate')) as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe('token:01:0a'));
    expect(select.options).toHaveLength(2);
    expect(screen.getByRole('status').textContent).toContain(ru.signing.unchecked);
    expect(screen.getByTestId('sign-secret').closest('label')?.textContent).toContain(ru.signing.secretToken);

    // Files dropped onto the window arrive through the backend's event.
    files = [contract];
    await emit('documents-added', files);
    await waitFor(() => expect(screen.getAllByTestId('chosen-document')).toHaveLength(1));
    const sign = screen.getByTestId('sign-documents') as HTMLButtonElement;
    expect(sign.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('sign-secret'), { target: { value: '12345678' } });
    await fireEvent.click(sign);
    expect((await screen.findByTestId('signed-file')).textContent).toContain(ru.signing.signed('договор.pdf.sig'));
    const signed = calls.find((c) => c.cmd === 'sign_documents');
    expect(signed?.args).toEqual({
      request: { certificate_id: 'token:01:0a', file_ids: ['f1'], encoding: 'der', choose_place: false },
      secret: '12345678',
    });
    // The PIN is not kept on the screen once it has signed.
    expect((screen.getByTestId('sign-secret') as HTMLInputElement).value).toBe('');

    // A signature dropped with two documents: paired with its own by name, checked.
    files = [other, contract, signature];
    await emit('documents-added', [signature]);
    const check = await screen.findByTestId('check-signature');
    await fireEvent.click(check);
    const shown = await screen.findByTestId('verdict');
    expect(shown.dataset['verdict']).toBe('valid');
    expect(shown.textContent).toContain(ru.signing.verdict.valid);
    expect(shown.textContent).toContain('Файл не изменён после подписания.');
    expect(calls.find((c) => c.cmd === 'check_signature')?.args).toEqual({ signatureId: 's1', fileId: 'f1' });
    await fireEvent.click(within(shown).getByTestId('save-report'));
    expect(await within(shown).findByText(ru.signing.reportSaved('Протокол проверки договор.pdf.pdf'))).toBeTruthy();
  });
});

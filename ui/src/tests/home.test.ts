import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type { TokenChoice } from '../bindings/TokenChoice';
import App from '../App.svelte';
import { ru } from '../lib/i18n/ru';
import { application, certificate, view } from './fixtures';

function backendMock(handler: (cmd: string, args: Record<string, unknown>) => unknown): string[] {
  const calls: string[] = [];
  mockIPC(
    (cmd, args) => {
      calls.push(cmd);
      if (cmd === 'app_info') return { version: '0.1.0', os: 'linux', arch: 'x86_64' };
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

describe('«Мои сертификаты»', () => {
  it('opens before any login with each certificate marked, its status said, details and .cer', async () => {
    let list = [
      certificate(),
      certificate({
        id: 'token:01:0a',
        place: { kind: 'token', label: 'Рутокен Иванова', serial: '01' },
        status: { state: 'unchecked', reason: 'Нет связи со службой статусов удостоверяющего центра.' },
        expiry: 'fine',
        renewable: false,
        summary: { ...certificate().summary, serial: 'AB', days_left: 300, qualified: false },
      }),
      certificate({
        id: 'computer:old',
        status: { state: 'expired' },
        expiry: 'expired',
        removable: true,
        summary: { ...certificate().summary, serial: 'OLD', days_left: -20 },
      }),
    ];
    const calls = backendMock((cmd, args) => {
      if (cmd === 'wizard_view') return view();
      if (cmd === 'my_certificates') return list;
      if (cmd === 'certificate_details')
        return {
          certificate: list.find((c) => c.id === args['id']),
          subject: ['Владелец = Иванов Иван Иванович', 'СНИЛС = 11223344595'],
          issuer: ['Владелец = KEP Renew Dev Issuing CA'],
          policies: ['КС1 (1.2.643.100.113.1)'],
          // The same words twice (one tool for both roles) are shown twice.
          issuer_sign_tools: ['KEP Renew kep-gost', 'KEP Renew kep-gost', 'Сертификат 1', 'Сертификат 1'],
        };
      if (cmd === 'save_certificate') return 'Сертификат.cer';
      if (cmd === 'remove_certificate') {
        list = list.filter((c) => c.id !== args['id']);
        return null;
      }
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(App);
    await screen.findByTestId('home');
    const cards = await screen.findAllByTestId('my-certificate');
    expect(cards).toHaveLength(3);
    const [current, onToken, old] = cards as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(current).getByTestId('expiry').textContent).toBe(ru.home.expiry.within60(45));
    expect(within(current).getByTestId('status').textContent).toBe(ru.home.status.valid('ocsp'));
    expect(current.textContent).toContain(ru.home.place.computer);
    expect(current.textContent).toContain(ru.home.qualified);
    expect(within(onToken).getByTestId('status').textContent).toBe(ru.home.status.unchecked);
    expect(within(onToken).getByTestId('status-note').textContent).toContain('Нет связи');
    expect(onToken.textContent).toContain(ru.home.place.token('Рутокен Иванова'));
    expect(within(onToken).queryByTestId('home-renew')).toBeNull();
    expect(within(old).getByTestId('expiry').textContent).toBe(ru.home.expiry.expired(-20));

    // «Подробнее», saved as .cer through the backend's dialog.
    await fireEvent.click(within(current).getByTestId('home-details'));
    const details = await screen.findByTestId('certificate-details');
    expect(within(details).getByTestId('details-snils').textContent).toBe('11223344595');
    expect(within(details).getByTestId('details-policies').textContent).toContain('КС1');
    await fireEvent.click(within(details).getByTestId('details-save'));
    expect((await screen.findByTestId('details-saved')).textContent).toBe(ru.home.saved('Сертификат.cer'));

    // Removal only after the confirmation.
    await fireEvent.click(within(old).getByTestId('home-remove'));
    expect(calls).not.toContain('remove_certificate');
    await fireEvent.click(await screen.findByTestId('home-remove-confirm'));
    await screen.findByTestId('home-removed');
    await waitFor(() => expect(screen.getAllByTestId('my-certificate')).toHaveLength(2));
  });

  it('shows a token inserted after start, and its certificate, without a click; a pulled one goes', async () => {
    const token: TokenChoice = {
      serial: '7f3a',
      label: 'Рутокен Иванова',
      model: 'SoftHSM v2',
      problem: null,
      pin_to_be_changed: false,
      gost_512: false,
    };
    let present: TokenChoice[] = [];
    const onToken = certificate({
      id: 'token:7f3a:0a',
      place: { kind: 'token', label: 'Рутокен Иванова', serial: '7f3a' },
    });
    const calls = backendMock((cmd) => {
      if (cmd === 'wizard_view') return view();
      if (cmd === 'list_tokens') return present;
      if (cmd === 'my_certificates') return present.length > 0 ? [certificate(), onToken] : [certificate()];
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(App);
    await waitFor(() => expect(screen.getAllByTestId('my-certificate')).toHaveLength(1));
    expect(screen.queryByTestId('home-tokens')).toBeNull();

    // The backend heard a reader event and read the tokens afresh.
    present = [token];
    await emit('tokens-changed', present);
    expect((await screen.findByTestId('home-token')).textContent).toBe(ru.home.token('Рутокен Иванова', '7f3a'));
    await waitFor(() => expect(screen.getAllByTestId('my-certificate')).toHaveLength(2));
    expect(screen.getAllByTestId('my-certificate')[1]?.dataset['id']).toBe('token:7f3a:0a');
    expect(calls.filter((c) => c === 'my_certificates')).toHaveLength(2);

    present = [];
    await emit('tokens-changed', present);
    await waitFor(() => expect(screen.getAllByTestId('my-certificate')).toHaveLength(1));
    expect(screen.queryByTestId('home-tokens')).toBeNull();
  });

  it('renews: the login first, then the prefilled requisites; another CA\'s certificate says a new one is opened', async () => {
    let renewals = 0;
    backendMock((cmd, args) => {
      if (cmd === 'wizard_view') return view();
      if (cmd === 'my_certificates') return [certificate(), certificate({ id: 'computer:foreign' })];
      if (cmd === 'renew_certificate') {
        renewals++;
        if (args['id'] === 'computer:foreign')
          return view({ step: { step: 'requisites', application_id: 8 }, application: application({ id: 8 }) });
        return view();
      }
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(App);
    const cards = await screen.findAllByTestId('my-certificate');
    // Not logged in: the backend answers the login step.
    await fireEvent.click(within(cards[0]!).getByTestId('home-renew'));
    await screen.findByTestId('step-login');
    expect(screen.queryByTestId('notice')).toBeNull();
    // Back home, the other CA's certificate: a new application, said so.
    await fireEvent.click(screen.getByTestId('open-home'));
    const again = await screen.findAllByTestId('my-certificate');
    await fireEvent.click(within(again[1]!).getByTestId('home-renew'));
    expect((await screen.findByTestId('notice')).textContent).toBe(ru.home.otherCa);
    await screen.findByTestId('step-requisites');
    expect(renewals).toBe(2);
  });

  it('lists the renewal record under its certificate and re-verifies it on «Проверить»', async () => {
    backendMock((cmd, args) => {
      if (cmd === 'wizard_view') return view();
      if (cmd === 'my_certificates')
        return [
          certificate({
            expiry: 'fine',
            renewable: false,
            record: {
              application_id: 5,
              installed_at: '2026-12-01T20:00:00Z',
              statement: 'signed',
              files: ['certificate.cer', 'chain.pem', 'statement.pdf', 'statement.pdf.sig'],
              folder: '/home/user/.local/share/kep-renew/records/5',
            },
          }),
        ];
      if (cmd === 'check_record') {
        expect(args['applicationId']).toBe(5);
        return {
          statement_ok: false,
          statement: 'Подпись заявления не прошла проверку: подпись не соответствует файлу',
          chain_ok: true,
          chain: 'Цепочка сертификата проверена до корневого сертификата удостоверяющего центра.',
        };
      }
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(App);
    const record = await screen.findByTestId('record');
    expect(record.textContent).toContain(ru.home.recordSigned);
    expect(record.textContent).toContain('заявке № 5');
    await fireEvent.click(within(record).getByTestId('record-check'));
    const result = await screen.findByTestId('record-result');
    const [statement, chain] = result.querySelectorAll('li');
    expect(statement?.dataset['ok']).toBe('false');
    expect(statement?.textContent).toContain('не прошла проверку');
    expect(chain?.dataset['ok']).toBe('true');
  });

  it('the applications list says what each application renews and when', async () => {
    backendMock((cmd) => {
      if (cmd === 'wizard_view')
        return view({
          step: { step: 'applications' },
          applications: [
            application({
              renews: { serial: '5DD4F86B', owner: 'Иванов Иван Иванович', not_after: 1_800_000_000 },
              timeline: [
                { at: 1_795_000_000, status: 'draft', actor: 'system', comment: null },
                { at: 1_795_600_000, status: 'in_review', actor: 'applicant', comment: null },
              ],
              status: 'in_review',
            }),
            application({ id: 8 }),
          ],
        });
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(App);
    await screen.findByTestId('step-applications');
    const [renewal, fresh] = screen.getAllByTestId('application') as [HTMLElement, HTMLElement];
    expect(within(renewal).getByTestId('application-renews').textContent).toContain('Иванов Иван Иванович, № 5DD4F86B');
    expect(within(renewal).getByTestId('application-dates').textContent).toMatch(/^Создана .+, изменена .+/);
    expect(renewal.textContent).toContain(ru.statuses.in_review);
    expect(within(fresh).getByTestId('application-renews').textContent).toBe(ru.applications.newCertificate);
  });
});

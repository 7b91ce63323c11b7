import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import App from '../App.svelte';
import type { WizardView } from '../bindings/WizardView';
import { ru } from '../lib/i18n/ru';
import RequisitesStep from '../lib/steps/RequisitesStep.svelte';
import ReviewStep from '../lib/steps/ReviewStep.svelte';
import StatementStep from '../lib/steps/StatementStep.svelte';
import IdentityStep from '../lib/steps/IdentityStep.svelte';
import InstallStep from '../lib/steps/InstallStep.svelte';
import KeyStep from '../lib/steps/KeyStep.svelte';
import UploadZone from '../lib/upload/UploadZone.svelte';
import { application, certificateSummary, REQUISITES, view, toLogin } from './fixtures';

type Handler = (cmd: string, args: Record<string, unknown>) => unknown;

function backendMock(handler: Handler): { calls: [string, Record<string, unknown>][] } {
  const calls: [string, Record<string, unknown>][] = [];
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push([cmd, a]);
      if (cmd === 'app_info') return { version: '0.1.0', os: 'linux', arch: 'x86_64' };
      return handler(cmd, a);
    },
    { shouldMockEvents: true },
  );
  return { calls };
}

afterEach(() => {
  cleanup();
  clearMocks();
  vi.useRealTimers();
});

describe('login', () => {
  it('masks the phone, counts down from the CA, and signs in with four digits', async () => {
    const { calls } = backendMock((cmd, args) => {
      if (cmd === 'wizard_view') return view();
      if (cmd === 'request_code') return { retry_after_s: 60, expires_in_s: 300, caller_mask: '+7 (9XX) XXX-12-34' };
      if (cmd === 'verify_code') {
        if (args['code'] === '1111')
          throw { kind: 'code_wrong', message: 'Неверный код. Осталось попыток: 4.' };
        return view({ step: { step: 'applications' }, applications: [application()] });
      }
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(App);
    await toLogin();
    const phone = (await screen.findByTestId('phone')) as HTMLInputElement;
    const getCode = screen.getByTestId('get-code') as HTMLButtonElement;
    expect(getCode.disabled).toBe(true);
    await fireEvent.input(phone, { target: { value: '89990000001' } });
    expect(phone.value).toBe('+7 (999) 000-00-01');
    expect(getCode.disabled).toBe(false);
    await fireEvent.click(getCode);
    await screen.findByTestId('code-0');
    expect(calls.find(([c]) => c === 'request_code')?.[1]).toEqual({ phone: '+79990000001' });
    expect(screen.getByTestId('countdown').textContent).toContain(ru.login.resendIn(60));

    // A wrong code: the CA's message, the boxes cleared.
    for (let i = 0; i < 4; i++) await fireEvent.input(screen.getByTestId(`code-${i}`), { target: { value: '1' } });
    const alert = await screen.findByTestId('error');
    expect(alert.dataset['kind']).toBe('code_wrong');
    expect(alert.textContent).toContain('Осталось попыток: 4');

    // A pasted code fills all four boxes and signs in.
    await fireEvent.input(screen.getByTestId('code-0'), { target: { value: '1234' } });
    await screen.findByTestId('step-applications');
    expect(calls.filter(([c]) => c === 'verify_code').at(-1)?.[1]).toEqual({ phone: '+79990000001', code: '1234' });
    expect(screen.getAllByTestId('application')).toHaveLength(1);
  });

  it('tells what to do when the CA is unreachable', async () => {
    backendMock((cmd) => {
      if (cmd === 'wizard_view') return view();
      throw { kind: 'network', message: 'Удостоверяющий центр не отвечает.' };
    });
    render(App);
    await toLogin();
    await fireEvent.input(await screen.findByTestId('phone'), { target: { value: '9990000001' } });
    await fireEvent.click(screen.getByTestId('get-code'));
    const alert = await screen.findByTestId('error');
    expect(alert.textContent).toContain('Удостоверяющий центр не отвечает.');
    expect(alert.textContent).toContain(ru.nextStep.network);
  });
});

describe('an ended session', () => {
  it('goes back to the login with a message that says the step is kept', async () => {
    let expired = false;
    backendMock((cmd) => {
      if (cmd === 'wizard_view')
        return expired
          ? view()
          : view({ step: { step: 'overview', application_id: 7 }, application: application() });
      if (cmd === 'start_application') {
        expired = true;
        throw { kind: 'unauthorized', message: 'Сессия истекла. Войдите снова по номеру телефона — вы вернётесь на тот же шаг, введённые данные сохранены.' };
      }
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(App);
    await fireEvent.click(await screen.findByTestId('start'));
    await screen.findByTestId('step-login');
    const alerts = screen.getAllByTestId('error').map((e) => e.textContent ?? '');
    expect(alerts.some((t) => t.includes('Сессия истекла') && t.includes(ru.nextStep.unauthorized))).toBe(true);
  });
});

describe('requisites', () => {
  it('shows each field’s message as the user types and saves only valid requisites', async () => {
    const { calls } = backendMock((cmd, args) => {
      if (cmd === 'check_requisites') {
        const input = args['input'] as typeof REQUISITES;
        return input.snils === '112-233-445 95'
          ? { normalized: input, errors: [] }
          : {
              normalized: null,
              errors: [{ field: 'snils', kind: 'checksum', message: 'Контрольное число СНИЛС не сходится.' }],
            };
      }
      if (cmd === 'save_draft') return null;
      if (cmd === 'save_requisites') return view({ step: { step: 'documents', application_id: 7 }, application: application() });
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    const onview = vi.fn<(v: WizardView) => void>();
    render(RequisitesStep, { application: application(), onview });
    const snils = (await screen.findByTestId('field-snils')) as HTMLInputElement;
    expect(snils.value).toBe('112-233-445 95');
    await fireEvent.input(snils, { target: { value: '112-233-445 96' } });
    await fireEvent.blur(snils);
    // The typed value is kept as a draft shortly after.
    await waitFor(() =>
      expect(calls.find(([c]) => c === 'save_draft')?.[1]).toEqual({
        input: { ...REQUISITES, snils: '112-233-445 96' },
      }),
    );
    expect((await screen.findByTestId('error-snils')).textContent).toBe('Контрольное число СНИЛС не сходится.');
    await fireEvent.click(screen.getByTestId('continue'));
    await screen.findByText(ru.requisites.fixErrors);
    expect(calls.some(([c]) => c === 'save_requisites')).toBe(false);

    await fireEvent.input(snils, { target: { value: '112-233-445 95' } });
    await waitFor(() => expect(screen.queryByTestId('error-snils')).toBeNull());
    await fireEvent.click(screen.getByTestId('continue'));
    await waitFor(() => expect(onview).toHaveBeenCalledOnce());
    expect(calls.find(([c]) => c === 'save_requisites')?.[1]).toEqual({ input: REQUISITES });
  });
});

describe('the upload zone', () => {
  it('lists dropped files by id, refuses wrong ones, previews images and uploads with progress', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).buffer;
    let finishUpload: (v: WizardView) => void = () => {};
    const { calls } = backendMock((cmd) => {
      if (cmd === 'pending_files') return [];
      if (cmd === 'file_preview') return png;
      if (cmd === 'discard_file') return null;
      if (cmd === 'choose_files')
        return [{ id: 'c3', name: 'snils.pdf', size: 2048, media_type: null, problem: 'Можно загрузить только PDF, JPEG или PNG.' }];
      if (cmd === 'upload_file')
        return new Promise<WizardView>((resolve) => (finishUpload = resolve));
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    const onview = vi.fn<(v: WizardView) => void>();
    render(UploadZone, { uploaded: [], onview });
    await screen.findByTestId('upload-zone');
    await waitFor(() => expect(calls.some(([c]) => c === 'pending_files')).toBe(true));

    await emit('tauri://drag-enter', {});
    await waitFor(() => expect(screen.getByTestId('upload-zone').classList.contains('hovering')).toBe(true));
    await emit('files-added', [
      { id: 'a1', name: 'passport.png', size: 350_000, media_type: 'image/png', problem: null },
    ]);
    await emit('tauri://drag-drop', {});
    const item = await screen.findByTestId('pending-file');
    expect(item.dataset['name']).toBe('passport.png');
    expect(item.textContent).not.toContain('/'); // no path anywhere
    expect((within(item).getByTestId('file-kind') as HTMLSelectElement).value).toBe('passport_main');
    await within(item).findByTestId('image-preview');

    await fireEvent.click(screen.getByTestId('choose-files'));
    const problem = await screen.findByTestId('file-problem');
    expect(problem.textContent).toBe('Можно загрузить только PDF, JPEG или PNG.');

    await fireEvent.click(within(item).getByTestId('upload-file'));
    await emit('upload-progress', { file_id: 'a1', sent: 175_000, total: 350_000 });
    const bar = (await screen.findByTestId('upload-progress')) as HTMLProgressElement;
    await waitFor(() => expect(bar.value).toBe(50));
    expect(calls.find(([c]) => c === 'upload_file')?.[1]).toEqual({ fileId: 'a1', kind: 'passport_main' });
    finishUpload(view({ step: { step: 'documents', application_id: 7 }, application: application() }));
    await waitFor(() => expect(onview).toHaveBeenCalledOnce());
    await waitFor(() => expect(screen.getAllByTestId('pending-file')).toHaveLength(1));
  });
});

describe('CA review', () => {
  it('says how long review takes, and shows approval', () => {
    render(ReviewStep, {
      application: application({
        status: 'in_review',
        timeline: [{ at: 1_795_000_000, status: 'in_review', actor: 'system', comment: 'СНИЛС и ИНН подтверждены в госсистемах.' }],
      }),
      onview: vi.fn(),
    });
    expect(screen.getByTestId('step-review').textContent).toContain('1–2 часа');
    expect(screen.getByTestId('check-result').textContent).toBe('СНИЛС и ИНН подтверждены в госсистемах.');
    cleanup();
    render(ReviewStep, { application: application({ status: 'approved' }), onview: vi.fn() });
    expect(screen.getByTestId('approved').textContent).toContain(ru.review.approved);
  });

  it('follows the background refresh to the documents the CA asks for', async () => {
    backendMock((cmd) => {
      if (cmd === 'wizard_view')
        return view({
          step: { step: 'review', application_id: 7 },
          stage: 'ca_review',
          application: application({ status: 'in_review' }),
        });
      if (cmd === 'pending_files') return [];
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(App);
    await screen.findByTestId('step-review');
    await emit('wizard-changed', view({
      step: { step: 'documents', application_id: 7 },
      stage: 'application',
      application: application({
        status: 'documents_required',
        timeline: [{ at: 1_795_000_000, status: 'documents_required', actor: 'operator', comment: 'Скан СНИЛС нечитаем' }],
      }),
    }));
    expect((await screen.findByTestId('ca-comment')).textContent).toBe('Скан СНИЛС нечитаем');
  });
});

const CERTIFICATE = {
  id: 'computer:current',
  summary: certificateSummary(),
  storage: 'computer',
  problem: null,
};

describe('the statement', () => {
  it('signs with the current certificate and its password, and says when the password is wrong', async () => {
    const { calls } = backendMock((cmd, args) => {
      if (cmd === 'signing_certificates')
        return [CERTIFICATE, { ...CERTIFICATE, id: 'computer:old', problem: 'Срок действия сертификата истёк: им нельзя подписать заявление.' }];
      if (cmd === 'sign_statement_with_key') {
        if (args['password'] !== 'верный пароль')
          throw { kind: 'invalid_input', message: 'Неверный пароль контейнера ключа.' };
        return view({ step: { step: 'statement', application_id: 7 }, stage: 'key', application: application({ status: 'ready_for_key' }) });
      }
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    const onview = vi.fn<(v: WizardView) => void>();
    render(StatementStep, { application: application({ status: 'approved' }), onview });
    const items = await screen.findAllByTestId('signing-certificate');
    expect(items).toHaveLength(2);
    expect(items[1]?.textContent).toContain('Срок действия сертификата истёк');
    const sign = screen.getByTestId('sign') as HTMLButtonElement;
    expect(sign.disabled).toBe(true);
    const password = screen.getByTestId('key-password') as HTMLInputElement;
    await fireEvent.input(password, { target: { value: 'не тот' } });
    await fireEvent.click(sign);
    expect((await screen.findByTestId('error')).textContent).toContain('Неверный пароль');
    // The password is not kept after a try.
    await waitFor(() => expect(password.value).toBe(''));
    await fireEvent.input(password, { target: { value: 'верный пароль' } });
    await fireEvent.click(sign);
    await waitFor(() => expect(onview).toHaveBeenCalledOnce());
    expect(calls.filter(([c]) => c === 'sign_statement_with_key').at(-1)?.[1]).toEqual({
      certificateId: 'computer:current',
      password: 'верный пароль',
    });
  });

  it('offers the blank and the scan when there is no certificate, and shows the operator’s comment', async () => {
    const { calls } = backendMock((cmd) => {
      if (cmd === 'signing_certificates') return [];
      if (cmd === 'save_statement_blank') return 'Заявление на сертификат.pdf';
      if (cmd === 'pending_files') return [];
      if (cmd === 'submit_statement_scan')
        return view({ step: { step: 'statement', application_id: 7 }, stage: 'issuance', application: application({ status: 'statement_in_review' }) });
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    const onview = vi.fn<(v: WizardView) => void>();
    const rejected = application({
      status: 'statement_rejected',
      documents: [{ id: 3, kind: 'signed_statement_scan', media_type: 'image/png', size: 2048, sha256: 'ab' }],
      timeline: [{ at: 1_795_000_000, status: 'statement_rejected', actor: 'operator', comment: 'Нет подписи на второй странице' }],
    });
    render(StatementStep, { application: rejected, onview });
    expect((await screen.findByTestId('ca-comment')).textContent).toBe('Нет подписи на второй странице');
    await waitFor(() => expect((screen.getByTestId('how-scan') as HTMLInputElement).checked).toBe(true));
    await fireEvent.click(screen.getByTestId('download-blank'));
    expect((await screen.findByTestId('blank-saved')).textContent).toContain('Заявление на сертификат.pdf');
    expect(screen.getAllByTestId('statement-scan')).toHaveLength(1);
    await fireEvent.click(screen.getByTestId('submit-scan'));
    await waitFor(() => expect(onview).toHaveBeenCalledOnce());
    expect(calls.some(([c]) => c === 'submit_statement_scan')).toBe(true);
  });
});

describe('the key and the certificate', () => {
  it('streams the sensor, checks the password twice, creates the key and installs the certificate', async () => {
    let sensorBatches = 0;
    const { calls } = backendMock((cmd) => {
      if (cmd === 'sensor_events') {
        sensorBatches += 1;
        return { percent: sensorBatches >= 2 ? 100 : 40, full: sensorBatches >= 2 };
      }
      if (cmd === 'list_tokens') return [];
      if (cmd === 'create_key_and_request')
        return view({ step: { step: 'install', application_id: 7 }, stage: 'install', application: application({ status: 'issued' }) });
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    const onview = vi.fn<(v: WizardView) => void>();
    render(KeyStep, { application: application({ status: 'ready_for_key' }), onview });
    const create = screen.getByTestId('create-key') as HTMLButtonElement;
    expect(screen.getByTestId('step-key').textContent).toContain(
      'при утере пароля восстановить его будет невозможно',
    );
    const sensor = screen.getByTestId('sensor');
    for (let i = 0; i < 5; i++) await fireEvent.mouseMove(sensor, { clientX: 10 + i * 7, clientY: 20 + i * i });
    await waitFor(() => expect(sensorBatches).toBe(1));
    await fireEvent.keyDown(sensor, { key: 'q' });
    await waitFor(() => expect(screen.getByTestId('sensor').classList.contains('full')).toBe(true));
    const samples = calls.find(([c]) => c === 'sensor_events')?.[1]['samples'] as { x: number; t_ms: number }[];
    expect(samples).toHaveLength(5);
    expect(samples[1]?.x).toBe(17);

    // Seven characters are too short even when they take fourteen UTF-8 bytes.
    await fireEvent.input(screen.getByTestId('new-password'), { target: { value: 'секрет1' } });
    expect(screen.getByTestId('password-problem').textContent).toBe(ru.key.passwordShort);
    await fireEvent.input(screen.getByTestId('new-password'), { target: { value: 'секрет-123' } });
    await fireEvent.input(screen.getByTestId('new-password-again'), { target: { value: 'секрет-12' } });
    expect(screen.getByTestId('password-problem').textContent).toBe(ru.key.passwordMismatch);
    expect(create.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('new-password-again'), { target: { value: 'секрет-123' } });
    await waitFor(() => expect(create.disabled).toBe(false));
    await fireEvent.click(create);
    await waitFor(() => expect(onview).toHaveBeenCalledOnce());
    expect(calls.find(([c]) => c === 'create_key_and_request')?.[1]).toEqual({
      key: { storage: 'computer', password: 'секрет-123', length: 'bits256' },
    });
  });

  it('shows that the key is being made, and for how long, until the backend answers', async () => {
    let answer: (v: WizardView) => void = () => {};
    backendMock((cmd) => {
      if (cmd === 'sensor_events') return { percent: 100, full: true };
      if (cmd === 'list_tokens') return [];
      if (cmd === 'create_key_and_request') return new Promise<WizardView>((resolve) => (answer = resolve));
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    const onview = vi.fn<(v: WizardView) => void>();
    render(KeyStep, { application: application({ status: 'ready_for_key' }), onview });
    await fireEvent.keyDown(screen.getByTestId('sensor'), { key: 'q' });
    await waitFor(() => expect(screen.getByTestId('sensor').classList.contains('full')).toBe(true));
    await fireEvent.input(screen.getByTestId('new-password'), { target: { value: 'секрет-123' } });
    await fireEvent.input(screen.getByTestId('new-password-again'), { target: { value: 'секрет-123' } });
    await waitFor(() => expect((screen.getByTestId('create-key') as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByTestId('long-work')).toBeNull();
    await fireEvent.click(screen.getByTestId('create-key'));
    const work = await screen.findByTestId('long-work');
    expect(work.textContent).toContain(ru.key.creatingOnComputer);
    expect(work.querySelector('progress')).not.toBeNull();
    await waitFor(() => expect(screen.getByTestId('long-work-elapsed').textContent).toBe(ru.longWork.elapsed(1)), {
      timeout: 2500,
    });
    answer(view({ step: { step: 'install', application_id: 7 }, stage: 'install', application: application({ status: 'issued' }) }));
    await waitFor(() => expect(screen.queryByTestId('long-work')).toBeNull());
    expect(onview).toHaveBeenCalledOnce();
  });

  it('asks for the PIN when the remembered one is refused, and remembers the typed one on request', async () => {
    let remembered = true;
    const { calls } = backendMock((cmd, args) => {
      if (cmd === 'install_target') return { token: '0A1B2C', pin_remembered: remembered };
      if (cmd === 'install_certificate') {
        if (args['pin'] === null) {
          remembered = false;
          throw {
            kind: 'invalid_input',
            message: 'Запомненный PIN-код не подошёл и больше не хранится: введите PIN-код токена. Неверный PIN-код. Попробуйте ещё раз.',
          };
        }
        return view({ step: { step: 'done', application_id: 7 }, stage: 'install', application: application({ status: 'completed' }) });
      }
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    const onview = vi.fn<(v: WizardView) => void>();
    render(InstallStep, { application: application({ status: 'issued' }), done: false, onview });
    const install = (await screen.findByTestId('install')) as HTMLButtonElement;
    await waitFor(() => expect(install.disabled).toBe(false));
    expect(screen.queryByTestId('install-pin')).toBeNull();
    await fireEvent.click(install);
    expect((await screen.findByTestId('error')).textContent).toContain('Запомненный PIN-код не подошёл');
    const pinField = await screen.findByTestId('install-pin');
    await fireEvent.input(pinField, { target: { value: '12345678' } });
    await fireEvent.click(screen.getByTestId('install-remember-pin'));
    await fireEvent.click(install);
    await waitFor(() => expect(onview).toHaveBeenCalledOnce());
    expect(calls.filter(([c]) => c === 'install_certificate').map(([, a]) => a)).toEqual([
      { pin: null, remember: false },
      { pin: '12345678', remember: true },
    ]);
  });

  it('tells what happens while identity is confirmed, and shows the installed certificate', async () => {
    const { calls } = backendMock((cmd) => {
      if (cmd === 'install_target') return { token: '0A1B2C', pin_remembered: false };
      if (cmd === 'install_certificate')
        return view({
          step: { step: 'done', application_id: 7 },
          stage: 'install',
          application: application({
            status: 'completed',
            certificate: { serial: '4FE8CF', not_after: 1_826_000_000, identification: 1 },
          }),
        });
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    render(IdentityStep, { application: application({ status: 'awaiting_identity' }) });
    expect(screen.getByTestId('identity').textContent).toContain('оригинал заявления');
    cleanup();
    const onview = vi.fn<(v: WizardView) => void>();
    const { rerender } = render(InstallStep, { application: application({ status: 'issued' }), done: false, onview });
    // The key is on a token whose PIN is not remembered: the PIN is asked first.
    const install = (await screen.findByTestId('install')) as HTMLButtonElement;
    const pinField = await screen.findByTestId('install-pin');
    expect(install.disabled).toBe(true);
    await fireEvent.input(pinField, { target: { value: '12345678' } });
    await fireEvent.click(install);
    await waitFor(() => expect(onview).toHaveBeenCalledOnce());
    expect(calls.find(([c]) => c === 'install_certificate')?.[1]).toEqual({ pin: '12345678', remember: false });
    const done = onview.mock.calls[0]?.[0].application;
    expect(done?.status).toBe('completed');
    await rerender({ application: done!, done: true, onview });
    expect(screen.getByTestId('installed').textContent).toContain('4FE8CF');
  });
});

describe('the key on a token', () => {
  it('lists tokens, takes the PIN and asks to remember it', async () => {
    const { calls } = backendMock((cmd) => {
      if (cmd === 'list_tokens')
        return [
          { serial: '0A1B2C', label: 'Рутокен ЭЦП', model: 'Rutoken ECP 2.0', pin_to_be_changed: false, problem: null, gost_512: true },
          { serial: 'FF00', label: 'Старый токен', model: 'X', pin_to_be_changed: false, problem: 'PIN-код заблокирован.', gost_512: false },
          { serial: 'SH01', label: 'SoftHSM', model: 'SoftHSM v2', pin_to_be_changed: false, problem: null, gost_512: false },
        ];
      if (cmd === 'sensor_events') return { percent: 100, full: true };
      if (cmd === 'create_key_and_request')
        return view({ step: { step: 'install', application_id: 7 }, stage: 'install', application: application({ status: 'issued' }) });
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    const onview = vi.fn<(v: WizardView) => void>();
    render(KeyStep, { application: application({ status: 'ready_for_key' }), onview });
    await fireEvent.click(screen.getByTestId('storage-token'));
    const items = await screen.findAllByTestId('token');
    expect(items[1]?.textContent).toContain('PIN-код заблокирован');
    expect(screen.getByTestId('step-key').textContent).toContain('12345678');
    await fireEvent.mouseMove(screen.getByTestId('sensor'), { clientX: 3, clientY: 4 });
    await waitFor(() => expect(screen.getByTestId('sensor').classList.contains('full')).toBe(true));
    // A token whose module makes no 512-bit keys: 512 is not offered.
    const radios = items.map((item) => item.querySelector('input') as HTMLInputElement);
    await fireEvent.click(radios[2]!);
    expect((screen.getByTestId('length-512') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('length-512-unavailable').textContent).toBe(ru.key.bits512Unavailable);
    // The Рутокен makes them: chosen.
    await fireEvent.click(radios[0]!);
    const bits512 = screen.getByTestId('length-512') as HTMLInputElement;
    expect(bits512.disabled).toBe(false);
    await fireEvent.click(bits512);
    await fireEvent.input(screen.getByTestId('token-pin'), { target: { value: '12345678' } });
    await fireEvent.click(screen.getByTestId('remember-pin'));
    await fireEvent.click(screen.getByTestId('create-key'));
    await waitFor(() => expect(onview).toHaveBeenCalledOnce());
    expect(calls.find(([c]) => c === 'create_key_and_request')?.[1]).toEqual({
      key: { storage: 'token', serial: '0A1B2C', pin: '12345678', remember: true, length: 'bits512' },
    });
  });
});

describe('signing the statement with a certificate on a token', () => {
  it('asks for the token’s PIN instead of a container password', async () => {
    const { calls } = backendMock((cmd) => {
      if (cmd === 'signing_certificates') return [{ ...CERTIFICATE, id: 'token:0A1B:ff01', storage: 'token' }];
      if (cmd === 'sign_statement_with_key')
        return view({ step: { step: 'statement', application_id: 7 }, stage: 'key', application: application({ status: 'ready_for_key' }) });
      throw { kind: 'internal', message: `unexpected ${cmd}` };
    });
    const onview = vi.fn<(v: WizardView) => void>();
    render(StatementStep, { application: application({ status: 'approved' }), onview });
    await screen.findAllByTestId('signing-certificate');
    await waitFor(() => expect(screen.getByTestId('step-statement').textContent).toContain(ru.key.pin));
    await fireEvent.input(screen.getByTestId('key-password'), { target: { value: '12345678' } });
    await fireEvent.click(screen.getByTestId('sign'));
    await waitFor(() => expect(onview).toHaveBeenCalledOnce());
    expect(calls.find(([c]) => c === 'sign_statement_with_key')?.[1]).toEqual({
      certificateId: 'token:0A1B:ff01',
      password: '12345678',
    });
  });
});

// Views and applications as the backend sends them, for the UI tests.
import type { ApplicationView } from '../bindings/ApplicationView';
import type { CertificateSummary } from '../bindings/CertificateSummary';
import type { MyCertificate } from '../bindings/MyCertificate';
import type { RequisitesInput } from '../bindings/RequisitesInput';
import type { WizardView } from '../bindings/WizardView';

export const REQUISITES: RequisitesInput = {
  surname: 'Иванов',
  given_name: 'Иван',
  patronymic: 'Иванович',
  birth_date: '15.03.1985',
  passport_series: '45 06',
  passport_number: '123456',
  passport_issue_date: '01.04.2005',
  passport_issuer: 'ОВД района Тверской г. Москвы',
  passport_division_code: '772-001',
  snils: '112-233-445 95',
  inn: '500100732259',
  email: 'ivanov@example.ru',
  phone: '+7 999 000-00-01',
  region_code: '77',
  region_name: 'г. Москва',
  locality: 'Москва',
};

export function application(patch: Partial<ApplicationView> = {}): ApplicationView {
  return {
    id: 7,
    status: 'draft',
    requisites: REQUISITES,
    documents: [],
    timeline: [{ at: 1_795_000_000, status: 'draft', actor: 'system', comment: 'Заявка создана.' }],
    statement: null,
    certificate: null,
    renews: null,
    ...patch,
  };
}

export function view(patch: Partial<WizardView> = {}): WizardView {
  return {
    step: { step: 'login' },
    stage: 'application',
    applications: [],
    application: null,
    session_kept: true,
    draft: null,
    ...patch,
  };
}

/** From «Мои сертификаты», where a person not logged in starts, on to the login. */
export async function toLogin(): Promise<void> {
  const { fireEvent, screen } = await import('@testing-library/svelte');
  await fireEvent.click(await screen.findByTestId('home-login'));
}

/** The seeded certificate's summary (near its end), as every certificate list shows it. */
export function certificateSummary(): CertificateSummary {
  return {
    owner: 'Иванов Иван Иванович',
    snils: '11223344595',
    inn: '500100732259',
    issuer: 'KEP Renew Dev Issuing CA',
    serial: '5DD4F86B',
    not_before: '2026-01-15T20:49:40Z',
    not_after: '2027-01-15T20:49:40Z',
    days_left: 45,
    key_algorithm: 'ГОСТ Р 34.10-2012 256 бит',
    param_set: '1.2.643.2.2.35.1',
    thumbprint: '7231A94EE586BD9E0FAB50CC14CABF1482B70B35',
    subject_sign_tool: 'KEP Renew kep-gost',
    identification_kind: 0,
    qualified: true,
  };
}

/** A certificate of «Мои сертификаты» (the seeded one, near its end), changed by `patch`. */
export function certificate(patch: Partial<MyCertificate> = {}): MyCertificate {
  return {
    id: 'computer:current',
    summary: certificateSummary(),
    place: { kind: 'computer' },
    status: { state: 'valid', source: 'ocsp', checked_at: '2026-12-01T20:00:00Z' },
    expiry: 'within60',
    renewable: true,
    removable: false,
    can_sign: true,
    record: null,
    ...patch,
  };
}

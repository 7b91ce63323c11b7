// How a certificate's status, dates and place read on the home.
import type { CertificatePlace } from '../../bindings/CertificatePlace';
import type { CertificateStatus } from '../../bindings/CertificateStatus';
import { ru } from '../i18n/ru';

const date = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'long' });

/** An RFC 3339 time as a date in words («15 января 2027 г.»). */
export function day(rfc3339: string): string {
  const parsed = new Date(rfc3339);
  return Number.isNaN(parsed.getTime()) ? rfc3339 : date.format(parsed);
}

/** The status badge's words. */
export function statusBadge(status: CertificateStatus): string {
  switch (status.state) {
    case 'valid':
      return ru.home.status.valid(status.source);
    case 'revoked':
      return ru.home.status.revoked;
    case 'superseded':
      return ru.home.status.superseded;
    case 'expired':
      return ru.home.status.expired;
    case 'unchecked':
      return ru.home.status.unchecked;
  }
}

/** The sentence under the badge, when there is more to say. */
export function statusNote(status: CertificateStatus): string | null {
  switch (status.state) {
    case 'revoked':
      return ru.home.revokedAt(day(status.revoked_at), status.reason);
    case 'superseded':
      return ru.home.supersededAt(day(status.revoked_at));
    case 'unchecked':
      return status.reason;
    default:
      return null;
  }
}

/** Where it is. */
export function placeText(place: CertificatePlace): string {
  return place.kind === 'token' ? ru.home.place.token(place.label) : ru.home.place.computer;
}

// Which document a new file most likely is: the first of the scans the CA needs that the
// application does not have yet.
import type { DocumentKind } from '../../bindings/DocumentKind';

export const UPLOAD_KINDS: DocumentKind[] = [
  'passport_main',
  'snils',
  'passport_registration',
  'inn',
  'other',
];

export function suggestedKind(
  offered: readonly DocumentKind[],
  have: readonly DocumentKind[],
  planned: readonly DocumentKind[],
): DocumentKind {
  const taken = new Set([...have, ...planned]);
  return offered.find((kind) => !taken.has(kind)) ?? offered.at(-1) ?? 'other';
}

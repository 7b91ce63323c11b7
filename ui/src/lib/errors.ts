// Turning a failed call into what the screen shows: the backend's Russian message and, for some
// kinds, what to do next.
import type { ErrorKind } from '../bindings/ErrorKind';
import { BackendError } from './backend';
import { ru } from './i18n/ru';

export interface Shown {
  kind: ErrorKind;
  message: string;
  next: string | null;
}

export function shown(error: unknown): Shown {
  const e =
    error instanceof BackendError
      ? error
      : new BackendError({ kind: 'internal', message: ru.errors.internal });
  const hints: Partial<Record<ErrorKind, string>> = ru.nextStep;
  return { kind: e.kind, message: e.message, next: hints[e.kind] ?? null };
}

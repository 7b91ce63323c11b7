// The only module that talks to the Rust backend. Every command has a typed wrapper here; the
// rest of the UI imports `backend`, never `@tauri-apps/api/core` (a unit test enforces this).
import { invoke } from '@tauri-apps/api/core';
import type { ApiError } from '../bindings/ApiError';
import type { AppInfo } from '../bindings/AppInfo';
import type { ErrorKind } from '../bindings/ErrorKind';
import type { RequisitesCheck } from '../bindings/RequisitesCheck';
import type { RequisitesInput } from '../bindings/RequisitesInput';
import { ru } from './i18n/ru';

/** A failed backend call, carrying the backend's `{kind, message}`. */
export class BackendError extends Error {
  readonly kind: ErrorKind;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'BackendError';
    this.kind = error.kind;
  }
}

const ERROR_KINDS = [
  'invalid_input',
  'not_found',
  'unauthorized',
  'conflict',
  'rate_limited',
  'network',
  'io',
  'internal',
  'code_wrong',
  'code_expired',
  'code_attempts_exhausted',
  'too_large',
  'key_reused',
  'signature_rejected',
  'forbidden',
] as const satisfies readonly ErrorKind[];

// Compile-time check that ERROR_KINDS names every ErrorKind the backend can send.
type MissingKind = Exclude<ErrorKind, (typeof ERROR_KINDS)[number]>;
const allKindsListed: MissingKind extends never ? true : false = true;
void allKindsListed;

function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate['message'] === 'string' &&
    (ERROR_KINDS as readonly string[]).includes(candidate['kind'] as string)
  );
}

/**
 * Normalizes whatever a rejected `invoke` gives. Our commands reject with `ApiError`; Tauri itself
 * rejects with a plain string (an unknown command, a permission refused), which is our bug, so the
 * user gets a calm Russian sentence and the details go to the console.
 */
export function toBackendError(reason: unknown): BackendError {
  if (isApiError(reason)) return new BackendError(reason);
  console.error('backend call failed outside the {kind, message} contract:', reason);
  return new BackendError({ kind: 'internal', message: ru.errors.internal });
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toBackendError(reason);
  }
}

export const backend = {
  /** The app's version and platform. */
  appInfo: (): Promise<AppInfo> => call<AppInfo>('app_info'),
  /** Validates the requisites form (one implementation, in Rust); cheap enough for every keystroke. */
  checkRequisites: (input: RequisitesInput): Promise<RequisitesCheck> =>
    call<RequisitesCheck>('check_requisites', { input }),
};

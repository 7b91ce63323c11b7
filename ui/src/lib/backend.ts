// The only module that talks to the Rust backend. Every command has a typed wrapper here; the
// rest of the UI imports `backend`, never `@tauri-apps/api/core` (a unit test enforces this).
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { ApiError } from '../bindings/ApiError';
import type { AppInfo } from '../bindings/AppInfo';
import type { CertificateDetails } from '../bindings/CertificateDetails';
import type { ChosenFile } from '../bindings/ChosenFile';
import type { SignFiles } from '../bindings/SignFiles';
import type { SignatureCheck } from '../bindings/SignatureCheck';
import type { SignedFile } from '../bindings/SignedFile';
import type { SigningProgress } from '../bindings/SigningProgress';
import type { CodeRequested } from '../bindings/CodeRequested';
import type { DocumentKind } from '../bindings/DocumentKind';
import type { ErrorKind } from '../bindings/ErrorKind';
import type { InstallTarget } from '../bindings/InstallTarget';
import type { MyCertificate } from '../bindings/MyCertificate';
import type { RecordCheck } from '../bindings/RecordCheck';
import type { NewKey } from '../bindings/NewKey';
import type { PendingFile } from '../bindings/PendingFile';
import type { TokenChoice } from '../bindings/TokenChoice';
import type { SensorProgress } from '../bindings/SensorProgress';
import type { SensorSample } from '../bindings/SensorSample';
import type { SettingsView } from '../bindings/SettingsView';
import type { SigningCertificate } from '../bindings/SigningCertificate';
import type { UpdateOffer } from '../bindings/UpdateOffer';
import type { UploadProgress } from '../bindings/UploadProgress';
import type { WizardView } from '../bindings/WizardView';
import type { RequisitesCheck } from '../bindings/RequisitesCheck';
import type { RequisitesInput } from '../bindings/RequisitesInput';
import { activity } from './activity.svelte';
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
  'cancelled',
  'in_progress',
  'unavailable',
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

/** Dispatched on `window` when a call finds the CA session ended (the backend's flow is then at
 * the login step, remembering where the user was). */
export const SESSION_ENDED = 'kep-session-ended';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  const done = activity.begin(command);
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    const error = toBackendError(reason);
    if (error.kind === 'unauthorized') {
      window.dispatchEvent(new CustomEvent(SESSION_ENDED, { detail: error.message }));
    }
    throw error;
  } finally {
    done();
  }
}

/**
 * Subscribes to a backend event. Never rejects: a subscription that cannot be made is logged and
 * yields a no-op unsubscribe (the screen still works through its commands), and unsubscribing
 * twice or after the app is torn down is harmless.
 */
async function subscribe<T>(event: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  try {
    const stop = await listen<T>(event, (e) => handler(e.payload));
    return () => {
      // Tauri's unlisten is asynchronous underneath; a rejection means it is already gone.
      Promise.resolve()
        .then(() => stop() as unknown)
        .catch(() => {});
    };
  } catch (reason) {
    console.error(`could not listen to ${event}:`, reason);
    return () => {};
  }
}

export const backend = {
  /** The app's version and platform. */
  appInfo: (): Promise<AppInfo> => call<AppInfo>('app_info'),
  /** Validates the requisites form (one implementation, in Rust); cheap enough for every keystroke. */
  checkRequisites: (input: RequisitesInput): Promise<RequisitesCheck> =>
    call<RequisitesCheck>('check_requisites', { input }),

  /** Where the renewal stands (on start-up: where the user left it). */
  wizardView: (): Promise<WizardView> => call<WizardView>('wizard_view'),
  /** «Получить код для входа»: the CA calls the phone. */
  requestCode: (phone: string): Promise<CodeRequested> =>
    call<CodeRequested>('request_code', { phone }),
  /** The last four digits of the calling number. */
  verifyCode: (phone: string, code: string): Promise<WizardView> =>
    call<WizardView>('verify_code', { phone, code }),
  /** «Заполнить заявку». */
  chooseApplication: (applicationId: number): Promise<WizardView> =>
    call<WizardView>('choose_application', { applicationId }),
  /** «Приступить». */
  startApplication: (): Promise<WizardView> => call<WizardView>('start_application'),
  /** Back to the list of applications. */
  backToList: (): Promise<WizardView> => call<WizardView>('back_to_list'),
  /** From the documents back to the requisites. */
  editRequisites: (): Promise<WizardView> => call<WizardView>('edit_requisites'),
  /** «Продолжить» on the requisites (the CA validates them again). */
  saveRequisites: (input: RequisitesInput): Promise<WizardView> =>
    call<WizardView>('save_requisites', { input }),
  /** Keeps the requisites as typed so far (restored after a restart). */
  saveDraft: (input: RequisitesInput): Promise<void> => call<void>('save_draft', { input }),
  /** «Отправить заявку». */
  submitApplication: (): Promise<WizardView> => call<WizardView>('submit_application'),
  /** «Продолжить» on the approved application: on to the statement. */
  proceedToIssuance: (): Promise<WizardView> => call<WizardView>('proceed_to_issuance'),
  /** The certificates on this computer the statement can be signed with, judged against the application. */
  signingCertificates: (): Promise<SigningCertificate[]> =>
    call<SigningCertificate[]>('signing_certificates'),
  /** Signs the statement with a certificate from the computer key store and its container password. */
  signStatementWithKey: (certificateId: string, password: string): Promise<WizardView> =>
    call<WizardView>('sign_statement_with_key', { certificateId, password }),
  /** Saves the statement blank where the user chooses; the file's name, or null if cancelled. */
  saveStatementBlank: (): Promise<string | null> => call<string | null>('save_statement_blank'),
  /** «Продолжить» after the scan of the signed statement is uploaded. */
  submitStatementScan: (): Promise<WizardView> => call<WizardView>('submit_statement_scan'),
  /** «Продолжить» once the statement is accepted: on to the key. */
  proceedToKey: (): Promise<WizardView> => call<WizardView>('proceed_to_key'),
  /** A batch of the random-number sensor's events; how full the pool is. */
  sensorEvents: (samples: SensorSample[]): Promise<SensorProgress> =>
    call<SensorProgress>('sensor_events', { samples }),
  /** The tokens present now (empty without a token driver or token). */
  listTokens: (): Promise<TokenChoice[]> => call<TokenChoice[]>('list_tokens'),
  /** Makes the key (on this computer or on a token) and sends the certificate request. */
  createKeyAndRequest: (key: NewKey): Promise<WizardView> =>
    call<WizardView>('create_key_and_request', { key }),
  /** Where the certificate will be installed (a token, and whether its PIN is remembered). */
  installTarget: (): Promise<InstallTarget> => call<InstallTarget>('install_target'),
  /** Downloads, checks and installs the issued certificate (`pin` for a token, unless remembered;
   * `remember`: «Запомнить PIN-код» for next time). */
  installCertificate: (pin: string | null, remember = false): Promise<WizardView> =>
    call<WizardView>('install_certificate', { pin, remember }),
  /** Log out at once (the flow starts over; the CA is told in the background). */
  logout: (): Promise<WizardView> => call<WizardView>('logout'),
  /** «Отменить»: the call waiting for the CA answers `cancelled` at once. */
  cancelAction: (): Promise<void> => call<void>('cancel_action'),

  /** «Мои сертификаты»: every certificate on the tokens present and on this computer, with its status. */
  myCertificates: (): Promise<MyCertificate[]> => call<MyCertificate[]>('my_certificates'),
  /** «Подробнее» on one of them. */
  certificateDetails: (id: string): Promise<CertificateDetails> =>
    call<CertificateDetails>('certificate_details', { id }),
  /** Saves it as .cer where the person chooses (the backend's dialog); the file's name, or null. */
  saveCertificate: (id: string): Promise<string | null> => call<string | null>('save_certificate', { id }),
  /** Removes an expired certificate (and its key) from this computer. */
  removeCertificate: (id: string): Promise<void> => call<void>('remove_certificate', { id }),
  /** «Проверить» on a renewal's record: the statement's signature and the chain, re-verified here. */
  checkRecord: (applicationId: number): Promise<RecordCheck> =>
    call<RecordCheck>('check_record', { applicationId }),
  /** «Обновить сертификат»: the login first when needed, then the renewal's requisites. */
  renewCertificate: (id: string): Promise<WizardView> => call<WizardView>('renew_certificate', { id }),

  /** Where dropped files go: documents to sign or check (true) or the upload zone (false). */
  setDropTarget: (documents: boolean): Promise<void> => call<void>('set_drop_target', { documents }),
  /** The files chosen to sign or check. */
  chosenDocuments: (): Promise<ChosenFile[]> => call<ChosenFile[]>('chosen_documents'),
  /** Opens the file dialog (in the backend); the chosen files come back with opaque ids. */
  chooseDocuments: (): Promise<ChosenFile[]> => call<ChosenFile[]>('choose_documents'),
  /** Takes one file (or, with null, all) off the list. */
  forgetDocument: (id: string | null): Promise<void> => call<void>('forget_document', { id }),
  /** «Подписать»: a signature per file; null when the save dialog was cancelled. Progress arrives
   * through `onSigningProgress`. */
  signDocuments: (request: SignFiles, secret: string): Promise<SignedFile[] | null> =>
    call<SignedFile[] | null>('sign_documents', { request, secret }),
  /** «Проверить»: the signature over the file (null: the signature carries its document). */
  checkSignature: (signatureId: string, fileId: string | null): Promise<SignatureCheck> =>
    call<SignatureCheck>('check_signature', { signatureId, fileId }),
  /** Saves the PDF report of the last check where the person chooses; its name, or null. */
  saveCheckReport: (signatureId: string): Promise<string | null> =>
    call<string | null>('save_check_report', { signatureId }),

  /** The newer version offered now, if any. */
  updateOffer: (): Promise<UpdateOffer | null> => call<UpdateOffer | null>('update_offer'),
  /** Installs the offered `version` (the person agreed to it); the app then restarts. */
  installUpdate: (version: string): Promise<void> => call<void>('install_update', { version }),
  /** «Настройки»: the CA and why, the token libraries, the version and the log folder. */
  settingsView: (): Promise<SettingsView> => call<SettingsView>('settings_view'),
  /** Switches to the CA at `url` once it answers as a ready CA (only while logged out). */
  switchCa: (url: string): Promise<SettingsView> =>
    call<SettingsView>('switch_ca', { switch: { url } }),
  /** Back to the organization's or the build's CA. */
  resetCa: (): Promise<SettingsView> => call<SettingsView>('reset_ca'),
  /** Opens the dialog (in the backend) for a token vendor's PKCS#11 library; used once it loads. */
  choosePkcs11Module: (): Promise<SettingsView> => call<SettingsView>('choose_pkcs11_module'),
  /** Back to the known library locations. */
  forgetPkcs11Module: (): Promise<SettingsView> => call<SettingsView>('forget_pkcs11_module'),
  /** Whether the OS starts the app hidden at login (to keep reminding). */
  startAtLogin: (): Promise<boolean> => call<boolean>('start_at_login'),
  setStartAtLogin: (enabled: boolean): Promise<boolean> => call<boolean>('set_start_at_login', { enabled }),

  /** Opens the file dialog (in the backend); the chosen files come back with opaque ids. */
  chooseFiles: (): Promise<PendingFile[]> => call<PendingFile[]>('choose_files'),
  /** The files waiting for upload. */
  pendingFiles: (): Promise<PendingFile[]> => call<PendingFile[]>('pending_files'),
  /** A pending file's bytes, for its preview. */
  filePreview: (fileId: string): Promise<ArrayBuffer> =>
    call<ArrayBuffer>('file_preview', { fileId }),
  /** Removes a file from the list. */
  discardFile: (fileId: string): Promise<void> => call<void>('discard_file', { fileId }),
  /** Uploads a pending file to the application; progress arrives through `onUploadProgress`. */
  uploadFile: (fileId: string, kind: DocumentKind): Promise<WizardView> =>
    call<WizardView>('upload_file', { fileId, kind }),
  /** Removes an uploaded document. */
  deleteDocument: (documentId: number): Promise<WizardView> =>
    call<WizardView>('delete_document', { documentId }),

  /** Files dropped onto the window (the backend keeps the paths). */
  onFilesAdded: (handler: (files: PendingFile[]) => void): Promise<UnlistenFn> =>
    subscribe<PendingFile[]>('files-added', handler),
  /** Files dropped while the home or the signing screen shows (to sign or check). */
  onDocumentsAdded: (handler: (files: ChosenFile[]) => void): Promise<UnlistenFn> =>
    subscribe<ChosenFile[]>('documents-added', handler),
  /** A file's signing progress. */
  onSigningProgress: (handler: (progress: SigningProgress) => void): Promise<UnlistenFn> =>
    subscribe<SigningProgress>('signing-progress', handler),
  /** Upload progress. */
  onUploadProgress: (handler: (progress: UploadProgress) => void): Promise<UnlistenFn> =>
    subscribe<UploadProgress>('upload-progress', handler),
  /** A newer version offered by the release server (checked at start and daily). */
  onUpdateAvailable: (handler: (offer: UpdateOffer) => void): Promise<UnlistenFn> =>
    subscribe<UpdateOffer>('update-available', handler),
  /** The CA moved the application (seen by the background refresh). */
  onWizardChanged: (handler: (view: WizardView) => void): Promise<UnlistenFn> =>
    subscribe<WizardView>('wizard-changed', handler),
  /** A token was inserted or pulled (a card-reader event): the tokens present now. */
  onTokensChanged: (handler: (tokens: TokenChoice[]) => void): Promise<UnlistenFn> =>
    subscribe<TokenChoice[]>('tokens-changed', handler),
  /** Files are being dragged over the window (true) or left it (false). Paths are not passed on. */
  onDragHover: async (handler: (hovering: boolean) => void): Promise<UnlistenFn> => {
    const stops = await Promise.all([
      subscribe('tauri://drag-enter', () => handler(true)),
      subscribe('tauri://drag-leave', () => handler(false)),
      subscribe('tauri://drag-drop', () => handler(false)),
    ]);
    return () => stops.forEach((stop) => stop());
  },
};

// The container password rule, mirrored from the backend (kep_protocol::key::MIN_PASSWORD_CHARS):
// the backend decides; the form only says early what it will answer.
export const MIN_PASSWORD_CHARS = 8;

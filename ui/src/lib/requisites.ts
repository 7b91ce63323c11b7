// Helpers for showing the backend's requisites check next to the form's fields.
import type { Field } from '../bindings/Field';
import type { RequisitesCheck } from '../bindings/RequisitesCheck';
import type { RequisitesInput } from '../bindings/RequisitesInput';

/** An empty form. */
export function emptyRequisites(): RequisitesInput {
  return {
    surname: '',
    given_name: '',
    patronymic: '',
    birth_date: '',
    passport_series: '',
    passport_number: '',
    passport_issue_date: '',
    passport_issuer: '',
    passport_division_code: '',
    snils: '',
    inn: '',
    email: '',
    phone: '',
    region_code: '',
    region_name: '',
    locality: '',
  };
}

/**
 * The message to show under each field, for the fields the user has already touched: an
 * untouched empty field is not an error yet.
 */
export function messagesByField(
  check: RequisitesCheck,
  touched: ReadonlySet<Field>,
): Partial<Record<Field, string>> {
  const messages: Partial<Record<Field, string>> = {};
  for (const error of check.errors) {
    if (touched.has(error.field) && messages[error.field] === undefined) {
      messages[error.field] = error.message;
    }
  }
  return messages;
}

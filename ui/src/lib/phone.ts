// The +7 phone mask of the login screen: the user types digits, the field shows
// `+7 (999) 000-00-01`, the backend receives `+79990000001`.

/** The ten digits after +7 found in what was typed (a leading 7 or 8 of an 11-digit number is the country prefix). */
export function phoneDigits(input: string): string {
  let digits = input.replace(/\D/g, '');
  if (input.trim().startsWith('+7')) digits = digits.slice(1);
  else if (digits.length === 11 && (digits.startsWith('7') || digits.startsWith('8'))) {
    digits = digits.slice(1);
  }
  return digits.slice(0, 10);
}

/** The digits shown through the mask, as far as they go. */
export function formatPhone(digits: string): string {
  const d = digits.slice(0, 10);
  let out = '+7';
  if (d.length > 0) out += ` (${d.slice(0, 3)}`;
  if (d.length >= 3) out += ')';
  if (d.length > 3) out += ` ${d.slice(3, 6)}`;
  if (d.length > 6) out += `-${d.slice(6, 8)}`;
  if (d.length > 8) out += `-${d.slice(8, 10)}`;
  return out;
}

/** The number in E.164 for the backend. */
export function e164(digits: string): string {
  return `+7${digits}`;
}

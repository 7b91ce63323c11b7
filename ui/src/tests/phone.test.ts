import { describe, expect, it } from 'vitest';
import { e164, formatPhone, phoneDigits } from '../lib/phone';

describe('the +7 phone mask', () => {
  it('keeps the ten digits after the country code, however typed', () => {
    expect(phoneDigits('9990000001')).toBe('9990000001');
    expect(phoneDigits('+7 (999) 000-00-01')).toBe('9990000001');
    expect(phoneDigits('8 999 000 00 01')).toBe('9990000001');
    expect(phoneDigits('79990000001')).toBe('9990000001');
    expect(phoneDigits('+7 999 000 00 01 23')).toBe('9990000001');
    expect(phoneDigits('abc')).toBe('');
  });

  it('shows the digits through the mask as they are typed', () => {
    expect(formatPhone('')).toBe('+7');
    expect(formatPhone('99')).toBe('+7 (99');
    expect(formatPhone('999')).toBe('+7 (999)');
    expect(formatPhone('9990')).toBe('+7 (999) 0');
    expect(formatPhone('9990000')).toBe('+7 (999) 000-0');
    expect(formatPhone('9990000001')).toBe('+7 (999) 000-00-01');
    expect(e164('9990000001')).toBe('+79990000001');
  });
});

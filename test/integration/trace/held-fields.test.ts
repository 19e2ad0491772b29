// The fields a held write-off waits for, read from the client's edition refusal (nothing was sent).
import { describe, expect, test } from 'vitest';
import { missingFields } from '../../../native/trace-report/reporter';

describe('missingFields', () => {
  test('names each required field once, without row indexes or the input/data prefix', () => {
    const message = '7206 input is invalid: input.selinfo[0].drug_dosform: required by the edition; input.selinfo[1].drug_dosform: required by the edition; input.data.phar_certno: required by the edition (edition shenzhen)';
    expect(missingFields(message)).toBe('selinfo.drug_dosform,data.phar_certno');
  });
  test('a refusal that names no required field is held for the edition', () => {
    expect(missingFields('7206 input is invalid: input.selinfo[0].sumamt: too long')).toBe('edition');
  });
});

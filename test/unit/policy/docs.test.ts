// docs/policies.md carries a table per region generated from the packages; they must not drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embeddedPackages } from '../../../core/policy/embedded';
import { renderPolicyTables } from '../../../core/policy/provenance';

const DOC = new URL('../../../docs/policies.md', import.meta.url);
const START = '<!-- policy-tables:start -->\n';
const END = '<!-- policy-tables:end -->';

describe('docs/policies.md', () => {
  it('has the parameter tables of the embedded packages, unchanged', () => {
    const text = readFileSync(DOC, 'utf8');
    const from = text.indexOf(START);
    const to = text.indexOf(END);
    expect(from).toBeGreaterThan(0);
    expect(to).toBeGreaterThan(from);
    const expected = `${renderPolicyTables(embeddedPackages())}\n`;
    if (process.env.UPDATE_POLICY_DOCS === '1') writeFileSync(DOC, text.slice(0, from + START.length) + expected + text.slice(to));
    else expect(text.slice(from + START.length, to)).toBe(expected);
  });

  it('every region and every document number appears in the doc', () => {
    const text = readFileSync(DOC, 'utf8');
    for (const pkg of embeddedPackages()) {
      expect(text).toContain(pkg.region.code);
      expect(text).toContain(pkg.document.citeAs);
    }
    expect(text).toContain('征求意见稿');
  });
});

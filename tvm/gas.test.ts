import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BUILTINS, OPS } from './opcodes.ts';
import { GAS } from './gas.ts';

describe('gas schedule documentation', () => {
  const doc = readFileSync(new URL('../docs/gas.md', import.meta.url), 'utf8');

  it('lists every instruction with its operands and base gas', () => {
    for (const [i, o] of OPS.entries()) {
      const row = `| ${i} | \`${o.name}\` | ${o.operands.join(' ') || '—'} | ${o.gas} |`;
      expect(doc.includes(row), row).toBe(true);
    }
  });

  it('lists every builtin with its arity and base gas', () => {
    for (const [i, b] of BUILTINS.entries()) {
      const row = `| ${i} | \`${b.name}\` | ${b.arity} | ${b.gas} |`;
      expect(doc.includes(row), row).toBe(true);
    }
  });

  it('documents every dynamic cost with its value', () => {
    for (const [k, v] of Object.entries(GAS)) {
      if (Array.isArray(v)) continue;
      expect(doc.includes(`| \`${k}\` | ${v} |`), k).toBe(true);
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The delivery worker renders frozen content with mail-placeholders.ts only: its static import
 * graph must not reach the compose libraries (mjml, sanitize-html, html-to-text, ~120 MB of RSS).
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const HEAVY = ['mjml', 'sanitize-html', 'html-to-text'];

/** Value imports (static, not `import type`, not dynamic `import()`) of a file. */
function staticImports(file: string): string[] {
  const src = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const m of src.matchAll(re)) {
    const names = /\{([^}]*)\}/.exec(m[2] ?? '')?.[1];
    const typeOnly =
      Boolean(m[1]) ||
      (names !== undefined &&
        !/^\s*\w/.test(m[2] ?? '') &&
        names.split(',').every((n) => !n.trim() || n.trim().startsWith('type ')));
    if (!typeOnly) out.push(m[3]);
  }
  return out;
}

/** Every module reachable from `entry`: repository paths and bare package names. */
function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.'))
        todo.push(path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), spec)));
      else if (!spec.startsWith('node:'))
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return { files, packages };
}

describe('the delivery worker', () => {
  it('does not import the compose libraries (mjml, sanitize-html, html-to-text)', () => {
    const { files, packages } = graph('src/server/mail/mail-delivery.service.ts');
    expect(HEAVY.filter((p) => packages.has(p))).toEqual([]);
    expect(files.has('src/server/mail/mail-compose.ts')).toBe(false);
    expect(files.has('src/server/mail/mail-placeholders.ts')).toBe(true);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Pages load their message namespaces with their code (app/router.tsx: lazyPage(import, name,
 * namespaces)). A component that uses a namespace its page did not declare shows raw keys
 * ("STATUS.OPEN"): this test follows each page's local imports and checks every namespace used.
 */
const WEB = path.resolve(import.meta.dirname, '../src/web');
const router = fs.readFileSync(path.join(WEB, 'app/router.tsx'), 'utf8');
const NS_USE = [
  /useTranslation\(\s*\[?([^)\]]*)\]?\s*\)/g, // useTranslation('a') or (['a', 'b'])
  /\bt\(\s*['`]([a-z]+):/g, // t('ns:key') and t(`ns:…`)
  /i18nKey=["'`{]+([a-z]+):/g,
];

function namespacesOf(src: string): string[] {
  const out = new Set<string>();
  for (const m of src.matchAll(NS_USE[0])) for (const n of m[1].matchAll(/'(\w+)'/g)) out.add(n[1]);
  for (const re of NS_USE.slice(1)) for (const m of src.matchAll(re)) out.add(m[1]);
  return [...out];
}

function localImports(file: string): string[] {
  const src = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/^\s*import\s+(?!type\s)[^'"]*?['"](\.[^'"]+)['"]/gm)) {
    const target = path.resolve(path.dirname(file), m[1]);
    if (/\.(tsx?)$/.test(target) && fs.existsSync(target)) out.push(target);
  }
  return out;
}

describe('page messages', () => {
  it('every lazy page declares the message namespaces its components use', () => {
    const pages = [
      ...router.matchAll(/lazyPage\(\s*\(\)\s*=>\s*import\('([^']+)'\),\s*'(\w+)',\s*\[([^\]]*)\]/gs),
    ];
    expect(pages.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const [, rel, name, list] of pages) {
      const declared = new Set(['common', ...[...list.matchAll(/'(\w+)'/g)].map((m) => m[1])]);
      const seen = new Set<string>();
      const todo = [path.resolve(WEB, 'app', rel)];
      while (todo.length) {
        const file = todo.pop()!;
        if (
          seen.has(file) ||
          (!file.startsWith(path.join(WEB, 'features')) && !file.startsWith(path.join(WEB, 'components')))
        )
          continue;
        seen.add(file);
        for (const ns of namespacesOf(fs.readFileSync(file, 'utf8'))) {
          if (!declared.has(ns)) problems.push(`${name}: ${path.relative(WEB, file)} uses "${ns}"`);
        }
        todo.push(...localImports(file));
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});

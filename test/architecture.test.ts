import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/server/db/database.ts';
import { TABLE_OWNERS, WRITE_EXCEPTIONS } from '../src/server/db/table-owners.ts';
import { createTestDatabase } from './db.ts';

/** The rules of the code's shape (CONVENTIONS.md §1, §11), read from the sources themselves. */
const ROOT = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx)$/.test(e.name)) out.push(rel);
  }
  return out;
}
const isTest = (f: string) => /\.test\.tsx?$/.test(f);

/** Import specifiers of a file, resolved to repository paths (type-only imports flagged). */
function importsOf(file: string): { target: string; typeOnly: boolean }[] {
  const src = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const out: { target: string; typeOnly: boolean }[] = [];
  const re =
    /^\s*(?:import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of src.matchAll(re)) {
    const spec = m[3] ?? m[4];
    if (!spec.startsWith('.')) continue;
    const names = /\{([^}]*)\}/.exec(m[2] ?? '')?.[1];
    const onlyTypes =
      Boolean(m[1]) ||
      (names !== undefined &&
        !/^\s*\w/.test(m[2] ?? '') &&
        names.split(',').every((n) => !n.trim() || n.trim().startsWith('type ')));
    out.push({
      target: path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), spec)),
      typeOnly: onlyTypes,
    });
  }
  return out;
}

describe('import boundaries', () => {
  const rules: { from: RegExp; to: RegExp; why: string; tests?: boolean }[] = [
    {
      from: /^src\/web\//,
      to: /^(src\/server|cli)\//,
      why: 'the web app talks to the server over HTTP only',
      tests: true,
    },
    {
      from: /^src\/shared\//,
      to: /^(src\/server|src\/web|cli)\//,
      why: 'shared code is the contract, used by both',
    },
    {
      from: /^src\/server\//,
      to: /^(src\/web|cli)\//,
      why: 'the server does not depend on the web app or the CLI',
      tests: true,
    },
    {
      from: /^src\/server\/db\//,
      to: /^src\/server\/http\//,
      why: 'the database layer knows nothing of HTTP',
    },
    {
      from: /\.service\.ts$/,
      to: /^src\/server\/http\//,
      why: 'services have no HTTP; errors live in src/server/errors.ts',
    },
  ];

  it('no module imports across a forbidden boundary (JSON imports included)', () => {
    const files = [...sourceFiles('src'), ...sourceFiles('cli')];
    const violations: string[] = [];
    for (const file of files) {
      for (const { target } of importsOf(file)) {
        for (const rule of rules) {
          if (isTest(file) && !rule.tests) continue;
          if (rule.from.test(file) && rule.to.test(target))
            violations.push(`${file} → ${target}: ${rule.why}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('the server has no import circles (value imports)', () => {
    const files = sourceFiles('src/server').filter((f) => !isTest(f));
    const graph = new Map(
      files.map((f) => [
        f,
        importsOf(f)
          .filter((i) => !i.typeOnly && files.includes(i.target))
          .map((i) => i.target),
      ]),
    );
    // Tarjan's strongly connected components: any with more than one file is a circle.
    let index = 0;
    const stack: string[] = [];
    const onStack = new Set<string>();
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const circles: string[][] = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1) circles.push(scc.sort());
      }
    };
    for (const f of files) if (!idx.has(f)) visit(f);
    expect(circles).toEqual([]);
  });
});

describe('table ownership', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('every table of the migrated database has an owning domain, and every owner exists', async () => {
    const { rows } = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'draht_migrations%'
      order by 1`.execute(database.db);
    const tables = rows.map((r) => r.name);
    expect(tables.filter((t) => !(t in TABLE_OWNERS))).toEqual([]);
    expect(Object.keys(TABLE_OWNERS).filter((t) => !tables.includes(t))).toEqual([]);
    for (const owner of new Set(Object.values(TABLE_OWNERS))) {
      expect(fs.existsSync(path.join(ROOT, 'src/server', owner))).toBe(true);
    }
  });

  it('only the owning domain writes a table (Kysely calls and raw SQL), apart from the declared exceptions', () => {
    const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const files = sourceFiles('src/server').filter((f) => !isTest(f) && !f.includes('/db/'));
    const violations: string[] = [];
    const used = new Set<string>();
    for (const file of files) {
      const src = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const domain = file.split('/')[2];
      const written = new Set<string>();
      for (const m of src.matchAll(/\.(?:insertInto|updateTable|deleteFrom|mergeInto)\(\s*'(\w+)/g))
        written.add(snake(m[1]));
      for (const m of src.matchAll(/\b(?:insert\s+into|update|delete\s+from|merge\s+into)\s+([a-z_]+)\b/g)) {
        if (m[1] in TABLE_OWNERS) written.add(m[1]);
      }
      for (const table of written) {
        if (!(table in TABLE_OWNERS) || TABLE_OWNERS[table] === domain) continue;
        const key = `${file.slice('src/server/'.length)} ${table}`;
        if (key in WRITE_EXCEPTIONS) used.add(key);
        else violations.push(`${file} writes ${table} (owned by ${TABLE_OWNERS[table]})`);
      }
    }
    expect(violations).toEqual([]);
    // An exception nobody needs any more goes.
    expect(Object.keys(WRITE_EXCEPTIONS).filter((k) => !used.has(k))).toEqual([]);
  });
});

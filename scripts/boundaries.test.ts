import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The package boundaries are enforced by the build: each package declares
 * the packages of ours it imports, and the lint refuses an import that runs
 * up the layers or reaches into another package's src.
 */

const ROOT = join(import.meta.dirname, '..');
const PACKAGES = ['core', 'db', 'connectors', 'server', 'web', 'cli'];

/** Every .ts/.tsx file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

describe('package dependencies', () => {
  it.each(PACKAGES)('%s declares every @watchfloor package its source imports', (name) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }));
    const imported = new Set(
      sources(join(ROOT, 'packages', name, 'src')).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/from '(@watchfloor\/[a-z-]+)/g)].map((m) => m[1]!)),
    );
    expect([...imported].filter((p) => !declared.has(p)).sort()).toEqual([]);
  });
});

describe('the import-boundary lint', () => {
  const eslint = new ESLint({ cwd: ROOT });
  /** The no-restricted-imports messages for one import line placed in a file at `path`. */
  const refusals = async (path: string, line: string) => {
    const [result] = await eslint.lintText(`${line}\nexport const used = x;\n`, { filePath: join(ROOT, path) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it.each([
    ['packages/core/src/zz.ts', "import { x } from '@watchfloor/db';"],
    ['packages/db/src/zz.ts', "import { x } from '@watchfloor/server';"],
    ['packages/db/src/zz.ts', "import { x } from '@watchfloor/connectors';"],
    ['packages/connectors/src/zz.ts', "import { x } from '@watchfloor/db';"],
    ['packages/server/src/features/zz.ts', "import { x } from '@watchfloor/web';"],
    ['packages/server/src/features/zz.ts', "import { x } from '@watchfloor/cli';"],
    ['packages/web/src/zz.ts', "import { x } from '@watchfloor/server';"],
    ['packages/web/src/zz.ts', "import { x } from '@watchfloor/db';"],
    ['packages/cli/src/zz.ts', "import { x } from '@watchfloor/web';"],
    ['packages/server/src/features/cases/zz.ts', "import { x } from '../../../../db/src/dialect';"],
    ['packages/server/src/zz.ts', "import { x } from '@watchfloor/db/src/dialect';"],
    ['bench/zz.ts', "import { x } from '../packages/db/src/dialect';"],
    ['bench/zz.ts', "import { x } from '../packages/server/src/app';"],
    ['e2e/zz.ts', "import { x } from '../packages/server/src/app';"],
  ])('refuses in %s: %s', async (path, line) => {
    expect(await refusals(path, line)).toHaveLength(1);
  });

  it.each([
    ['packages/db/src/zz.ts', "import { x } from '@watchfloor/core';"],
    ['packages/connectors/src/zz.ts', "import { x } from '@watchfloor/core';"],
    ['packages/server/src/zz.ts', "import { x } from '@watchfloor/db/testing';"],
    ['packages/server/src/zz.ts', "import { x } from '@watchfloor/connectors';"],
    ['packages/web/src/features/zz.ts', "import { x } from '@watchfloor/core';"],
    ['packages/web/src/features/wall/zz.ts', "import { x } from '../../lib/api';"],
    ['packages/cli/src/zz.ts', "import { x } from '@watchfloor/server';"],
    ['bench/zz.ts', "import { x } from '@watchfloor/server';"],
    // The benches' documented exception (eslint.config.js): server feature modules they seed with.
    ['bench/zz.ts', "import { x } from '../packages/server/src/features/indicators/seed';"],
  ])('allows in %s: %s', async (path, line) => {
    expect(await refusals(path, line)).toEqual([]);
  });
});

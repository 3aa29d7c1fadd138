/**
 * The dependency audit of CI: `npm audit --omit=dev --json`, failing on any
 * high or critical advisory that .ci/audit-exceptions.json does not list
 * (each exception has a reason and an end date). Only what ships is
 * audited: development tools never run on a province's server.
 *
 * When the registry cannot answer (offline, or a mirror without the audit
 * endpoint) the step says so and passes: an unreachable registry is not a
 * vulnerability, and CI must still build offline. `--report <file>` reads a
 * saved `npm audit --json` answer instead of asking the registry.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FAILING = new Set(['high', 'critical']);

interface Exception {
  advisory: string;
  package?: string;
  reason: string;
  until: string;
}

interface Finding {
  package: string;
  severity: string;
  advisory: string;
  title: string;
  url: string;
}

interface AuditVia {
  source?: number;
  name?: string;
  title?: string;
  url?: string;
  severity?: string;
}

/** Every high or critical advisory in an `npm audit --json` (v2) report, once per package and advisory. */
export function findings(report: unknown): Finding[] {
  const vulns = (report as { vulnerabilities?: Record<string, { via?: (AuditVia | string)[] }> }).vulnerabilities ?? {};
  const out = new Map<string, Finding>();
  for (const [name, v] of Object.entries(vulns)) {
    for (const via of v.via ?? []) {
      // A string names another package whose own entry carries the advisory.
      if (typeof via === 'string' || !via.severity || !FAILING.has(via.severity)) continue;
      const url = via.url ?? '';
      const advisory = /GHSA-[\w-]+/.exec(url)?.[0] ?? String(via.source ?? url);
      const pkg = via.name ?? name;
      out.set(`${pkg} ${advisory}`, { package: pkg, severity: via.severity, advisory, title: via.title ?? '', url });
    }
  }
  return [...out.values()];
}

/** The findings no current exception covers. */
export function unexcepted(found: Finding[], exceptions: Exception[], today: string): Finding[] {
  return found.filter((f) => !exceptions.some((e) => e.advisory === f.advisory && (e.package === undefined || e.package === f.package) && today <= e.until));
}

function runNpmAudit(): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve) => {
    execFile('npm', ['audit', '--omit=dev', '--json'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      resolve({ stdout, code: err && typeof err.code === 'number' ? err.code : 0 });
    });
  });
}

async function main(): Promise<number> {
  const at = process.argv.indexOf('--report');
  const text = at > 0 && process.argv[at + 1] ? await readFile(process.argv[at + 1] as string, 'utf8') : (await runNpmAudit()).stdout;
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    console.log('audit: the registry gave no readable answer; dependency audit not done (not failing the build)');
    return 0;
  }
  if (typeof report !== 'object' || report === null || !('vulnerabilities' in report)) {
    const message = (report as { message?: string; error?: { summary?: string } }).message ?? (report as { error?: { summary?: string } }).error?.summary ?? 'no audit report';
    console.log(`audit: the registry could not audit (${message}); dependency audit not done (not failing the build)`);
    return 0;
  }
  const { exceptions } = JSON.parse(await readFile(`${ROOT}.ci/audit-exceptions.json`, 'utf8')) as { exceptions: Exception[] };
  const today = new Date().toISOString().slice(0, 10);
  const found = findings(report);
  const failing = unexcepted(found, exceptions, today);
  for (const f of found) {
    const mark = failing.includes(f) ? 'FAIL' : 'excepted';
    console.log(`audit: ${mark} ${f.severity} ${f.package} ${f.advisory} ${f.title} ${f.url}`);
  }
  console.log(`audit: ${found.length} high or critical advisories, ${found.length - failing.length} excepted, ${failing.length} failing`);
  return failing.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();

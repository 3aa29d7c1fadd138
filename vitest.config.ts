import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // Most suites wait on a database, a broker or a browser more than on a core: two files at a time even on two cores.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
    env: { TZ: 'UTC' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.test.ts', 'packages/*/src/**/*.test.tsx', 'scripts/**/*.test.ts'] },
      },
      {
        // A browser drives a whole server through several screens: on a loaded
        // machine (CI shares its cores with the other suites) that takes
        // longer than a unit test may, without anything being wrong. The
        // waits inside the tests are for events, so a longer bound only
        // matters when the machine is slow.
        extends: true,
        test: { name: 'browser', include: ['e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 },
      },
    ],
  },
});

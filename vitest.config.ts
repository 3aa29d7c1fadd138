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
        // Unit files share their worker's modules (isolate: false): each file
        // otherwise loads the server package anew, which costs more than most
        // files' tests. Every file builds its own app, store and clock, and no
        // file mocks a module, so nothing one file sets reaches another.
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/src/**/*.test.tsx', 'scripts/**/*.test.ts'],
          exclude: ['packages/cli/**', '**/node_modules/**'],
          isolate: false,
        },
      },
      {
        // The command is run as a process (tsx starts, loads the app, opens
        // the database) several times per test: on a loaded machine that
        // takes longer than a unit test may, without anything being wrong.
        extends: true,
        test: { name: 'cli', include: ['packages/cli/src/**/*.test.ts'], testTimeout: 120_000 },
      },
      {
        // A browser drives a whole server through several screens: on a loaded
        // machine (CI shares its cores with the other suites) that takes
        // longer than a unit test may, without anything being wrong. The
        // waits inside the tests are for events, so a longer bound only
        // matters when the machine is slow.
        extends: true,
        test: { name: 'browser', include: ['e2e/**/*.test.ts'], globalSetup: ['./e2e/global-setup.ts'], testTimeout: 120_000, hookTimeout: 180_000 },
      },
    ],
  },
});

// Jest in ESM mode: @actions/core 3 and @actions/http-client 4 are ESM-only.
export default {
  preset: 'ts-jest/presets/default-esm',
  // Jest's node environment; what code run in-process writes to the runner (stdout) is shown only for a
  // test that fails (helpers/runner-output-environment.cjs).
  testEnvironment: '<rootDir>/__tests__/helpers/runner-output-environment.cjs',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }
    ]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  setupFiles: ['<rootDir>/__tests__/helpers/nock-setup.cjs'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/helpers/nock-teardown.cjs'],
  reporters: ['default', '<rootDir>/__tests__/helpers/summary-reporter.cjs'],
  testTimeout: 30000,
  // End-to-end suites spawn the bundle and an emulator each; two workers fit a 2-core machine.
  maxWorkers: 2
}

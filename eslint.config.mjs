// ESLint (flat config): typescript-eslint's recommended rules, import-x for module hygiene (no
// import cycles, no undeclared dependencies). `npm run lint` runs it with `prettier --check`.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// devDependencies only in tests, test support and tooling; production code imports what it declares.
const devFiles = ['**/*.test.ts', '**/fixture-*.ts', '**/test-support.ts', '**/*-test-support.ts', '**/testing/**', 'test/**', 'examples/*/test/**', '*.config.mjs', 'scripts/**', 'examples/*.mjs'];
const dependencyRule = { includeInternal: true, includeTypes: true, devDependencies: devFiles, peerDependencies: true };

export default defineConfig(
  { ignores: ['**/dist/', '**/node_modules/', 'docs/api/', 'results/', 'test/golden/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })],
    },
    rules: {
      // A cycle of runtime imports (type-only imports are erased and do not count).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Every package imported must be declared in the importing file's nearest package.json;
      // workspace packages (@srnn/*) resolve into the checkout, so they are checked as internal too.
      'import-x/no-extraneous-dependencies': ['error', dependencyRule],
      'import-x/no-self-import': 'error',
      'import-x/no-useless-path-segments': 'error',
      // `_name` marks a binding kept on purpose (a destructured-away key, an unused parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

// ESLint flat config (`npm run lint` = eslint + prettier --check). Syntax-level rules only (no
// type-aware rules: those need a full program per file and triple the run time on 2 cores;
// `tsc --noEmit` already runs in `npm test`). Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Code that runs in browsers: the widgets, the client core, the entries and their tests. */
const BROWSER = [
  'src/*.ts',
  'demo/**/*.js',
  'src/client/**',
  'src/components/**',
  'src/console/**',
  'src/shared/**',
  'test/client/**',
  'test/components/**',
  'test/console/**',
];
/** Lit templates and custom elements live here. */
const ELEMENTS = [
  'src/client/**/*.ts',
  'src/components/**/*.ts',
  'src/console/**/*.ts',
  'test/client/**/*.ts',
  'test/components/**/*.ts',
  'test/console/**/*.ts',
];

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', 'test-results/', 'data/', '.bench/', 'coverage/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // Node by default: the server, scripts, benchmarks, the CLI and the Node-side tests.
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'smart'],
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a union of string literals.' },
      ],
      'object-shorthand': 'error',
      'prefer-template': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'none',
          ignoreRestSiblings: true,
        },
      ],
      // A widget's `.strings.ts` joins the `Translation` type by declaration merging:
      // `interface Translation extends PollStrings {}` is the point, not a mistake.
      '@typescript-eslint/no-empty-object-type': [
        'error',
        { allowInterfaces: 'with-single-extends' },
      ],
    },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  // Kysely's own advice: migrations take `Kysely<any>`, since they must not follow today's schema.
  {
    files: ['src/server/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // Chai's property assertions (`expect(x).to.be.true`) are expressions by design.
  { files: ['test/**'], rules: { '@typescript-eslint/no-unused-expressions': 'off' } },
  { files: BROWSER, languageOptions: { globals: { ...globals.browser } } },
  // Test helpers serve both sides (Node test runners and code sent to the browser).
  {
    files: ['test/helpers/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ELEMENTS,
    extends: [
      lit.configs['flat/recommended'],
      wc.configs['flat/best-practice'],
      litA11y.configs.recommended,
    ],
    rules: {
      'lit/no-this-assign-in-render': 'error',
      'lit/no-useless-template-literals': 'error',
      'lit/prefer-nothing': 'error',
      'lit/attribute-names': 'error',
    },
  },
]);

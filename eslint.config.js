// One tool for lint and format: typescript-eslint's strict type-checked rules, and @stylistic for layout
// (`npm run format` fixes what it can). Biome was tried first; its platform binaries are not all on the
// registry mirror these machines use, so `npm ci` could not install from its lock file.
import js from '@eslint/js'
import stylistic from '@stylistic/eslint-plugin'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'deploy/', 'node_modules/', '.bench-dist/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  stylistic.configs.customize({ indent: 2, quotes: 'single', semi: false, arrowParens: true, braceStyle: '1tbs' }),
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@stylistic/max-len': ['error', { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreComments: true }],
      '@stylistic/max-statements-per-line': ['error', { max: 2 }],
      '@stylistic/operator-linebreak': ['error', 'before', { overrides: { '=': 'after' } }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      'no-control-regex': 'off',
    },
  },
  // The layering (README, folder map): the core is pure — no Node I/O, no clock module, nothing from the edges; the
  // edges never reach into the composition (daemon) or the command layer, which alone builds clients.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'zlib', 'worker_threads', 'timers', 'timers/*'], message: 'src/core is pure: no Node modules (I/O, clocks, crypto). Pass what you need in as a value.' },
          { group: ['**/commands/**', '**/daemon/**', '**/sinks/**', '**/sources/**', '**/config/**', '**/server/**', '**/metrics/**', '**/health/**', '**/local/**', 'pino', '@aws-sdk/*', '@slack/*', 'fastify', 'prom-client', 'p-queue'], message: 'src/core imports nothing from the edges and no client library: the edges call the core, never the reverse.' },
        ],
      }],
    },
  },
  {
    files: ['src/sinks/**/*.ts', 'src/sources/**/*.ts', 'src/config/**/*.ts', 'src/server/**/*.ts', 'src/metrics/**/*.ts', 'src/health/**/*.ts', 'src/state/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/commands/**', '**/daemon/**'], message: 'Edges take their dependencies as parameters; only src/commands builds clients and only src/daemon composes the edges.' }],
      }],
    },
  },
  // Tests and benchmarks may assert presence with `!`: a wrong guess fails the test loudly. In src/ an absence is
  // either handled or made impossible by the types.
  { files: ['test/**/*.ts', 'bench/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['scripts/**/*.mjs'], languageOptions: { globals: globals.node } },
)

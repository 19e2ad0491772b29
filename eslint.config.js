// Lint rules, and the layer rules that keep core/ pure and the native modules in native/.
// See docs/architecture.md for why each line exists. The layer rules are checked by
// test/unit/layers.test.ts against deliberate violations in test/fixtures/layer-violations/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), 'node:*'];
const nativeModules = ['better-sqlite3', 'serialport', '@serialport/*', 'koffi', '@pokusew/pcsclite'];

/** A relative or absolute import that lands in the named top-level layer folder. */
const intoLayer = (...layers) => ({
  regex: `(^|/)(${layers.join('|')})(/|$)`,
  message: `this layer may not import from ${layers.join('/')}/ (see docs/architecture.md)`,
});

export const layerRules = {
  core: {
    'no-restricted-imports': ['error', {
      paths: [...nodeBuiltins.filter((m) => !m.includes('*')), ...['better-sqlite3', 'serialport', 'electron', 'fastify']]
        .map((name) => ({ name, message: 'core/ is pure: no Node built-ins, native modules, Electron or servers' })),
      patterns: [
        { group: ['node:*', '@serialport/*', '@fastify/*'], message: 'core/ is pure: no Node built-ins or native modules' },
        intoLayer('native', 'electron', 'renderer'),
      ],
    }],
  },
  native: {
    'no-restricted-imports': ['error', {
      paths: [{ name: 'electron', message: 'native/ must run under plain Node; Electron is composed in electron/' }],
      patterns: [intoLayer('electron', 'renderer')],
    }],
  },
  electron: {
    'no-restricted-imports': ['error', {
      paths: nativeModules.filter((m) => !m.includes('*'))
        .map((name) => ({ name, message: 'only native/ imports the native modules (better-sqlite3, serialport, koffi, the PC/SC binding)' })),
      patterns: [
        { group: ['@serialport/*'], message: 'only native/ imports serialport' },
        intoLayer('renderer'),
      ],
    }],
  },
  renderer: {
    'no-restricted-imports': ['error', {
      paths: [...nodeBuiltins.filter((m) => !m.includes('*')), 'better-sqlite3', 'serialport', 'electron', 'fastify']
        .map((name) => ({ name, message: 'renderer/ is browser code: it talks to the backend only through the typed API' })),
      patterns: [
        { group: ['node:*', '@serialport/*', '@fastify/*'], message: 'renderer/ is browser code' },
        intoLayer('native', 'electron'),
        { regex: '(^|/)core/(?!contracts(/|$))', message: 'renderer/ may import only core/contracts' },
      ],
    }],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'renderer/dist/**', 'release/**', '.tsbuild/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  { files: ['core/**/*.ts'], rules: layerRules.core },
  { files: ['native/**/*.ts'], rules: layerRules.native },
  { files: ['electron/**/*.ts'], rules: layerRules.electron },
  { files: ['renderer/src/**/*.{ts,tsx}'], rules: layerRules.renderer },
  // Tests read untyped JSON replies; asserting on them is the point, so `any` is allowed there.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['scripts/**/*.{js,mjs}', 'eslint.config.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } } },
);

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(here, 'src');
const require = createRequire(import.meta.url);
/** Package dir as this workspace resolves it (React 18 here, React 19 hoisted at the root for web). */
const pkgDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const reactDir = pkgDir('react');
const reactDomDir = pkgDir('react-dom');
// Its CJS entry would `require('react-dom')` from the root (React 19): use the ESM build, inlined.
const testingLibraryEsm = path.join(pkgDir('@testing-library/react'), 'dist/@testing-library/react.esm.js');

export default defineConfig({
  resolve: {
    alias: [
      // Taro's runtime does not run under jsdom: DOM stand-ins and a small Taro mock instead.
      { find: /^@tarojs\/components$/, replacement: path.join(src, 'test/taro-components.tsx') },
      { find: /^@tarojs\/taro$/, replacement: path.join(src, 'test/taro-mock.ts') },
      { find: /^@\//, replacement: `${src}/` },
      { find: /^@testing-library\/react$/, replacement: testingLibraryEsm },
      { find: /^react$/, replacement: reactDir },
      { find: /^react\/(.*)$/, replacement: `${reactDir}/$1` },
      { find: /^react-dom$/, replacement: reactDomDir },
      { find: /^react-dom\/(.*)$/, replacement: `${reactDomDir}/$1` },
    ],
    // The workspace root hoists React 19 (web); this app and its tests use React 18.
    dedupe: ['react', 'react-dom'],
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: [path.join(src, 'test/setup.ts')],
    // Inline so the aliases above apply to @testing-library/react's own React imports.
    server: { deps: { inline: [/@testing-library[\\/]react/] } },
  },
});

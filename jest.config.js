const jestJupyterLab = require('@jupyterlab/testutils/lib/jest-config');

const esModules = [
  '@codemirror',
  '@jupyter/ydoc',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@microsoft/fast-[a-z-]+',
  'exenv-es6',
  '@jupyterlab/',
  'lib0',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const {
  coverageReporters: _coverageReporters,
  reporters,
  testTimeout,
  ...baseConfig
} = jestJupyterLab(__dirname);

// Tests that talk HTTP to a local server (the Azure emulator, in testing/) run in Node: real
// sockets, and the Azure SDK's Node build. Everything else runs in JupyterLab's jsdom environment.
const nodeTests = ['\\.node\\.spec\\.ts$'];

module.exports = {
  collectCoverageFrom: [
    'src/**/*.{ts,tsx}',
    '!src/**/*.d.ts',
    '!src/**/.ipynb_checkpoints/*'
  ],
  coverageReporters: ['lcov', 'text'],
  reporters,
  testTimeout,
  projects: [
    {
      ...baseConfig,
      displayName: 'browser',
      automock: false,
      // d3 publishes ES modules only as .mjs, which jest does not transform: use its UMD builds.
      moduleNameMapper: {
        ...baseConfig.moduleNameMapper,
        '^(d3-[a-z]+)$': '<rootDir>/node_modules/$1/dist/$1.js'
      },
      testRegex: 'src/.*/.*.spec.ts[x]?$',
      testPathIgnorePatterns: [
        ...baseConfig.testPathIgnorePatterns,
        ...nodeTests
      ],
      transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
    },
    {
      displayName: 'node',
      testEnvironment: 'node',
      globalSetup: '<rootDir>/testing/trust-emulator.js',
      testRegex: ['\\.node\\.spec\\.ts$', '/testing/.*\\.spec\\.ts$'],
      roots: ['<rootDir>/src', '<rootDir>/testing'],
      testPathIgnorePatterns: baseConfig.testPathIgnorePatterns,
      moduleFileExtensions: baseConfig.moduleFileExtensions,
      moduleNameMapper: baseConfig.moduleNameMapper,
      transform: baseConfig.transform,
      transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
    }
  ]
};

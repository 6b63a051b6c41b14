// Import rules that enforce the process/folder layering (docs/ARCHITECTURE.md).
// Exported separately so test/node/lint/layering.test.ts can check them on sample code.

const electron = { name: 'electron', message: 'Only main/electron/ may import electron.' };
const nativeRooms = {
  serialport: 'serialport lives in drivers/ only.',
  '@serialport/*': 'serialport lives in drivers/ only.',
  'onnxruntime-node': 'onnxruntime-node lives in models/ only.',
  'better-sqlite3': 'better-sqlite3 lives in the stores only (main/store/, sync/registry/store/).',
};

function nativePatterns(except) {
  return Object.entries(nativeRooms)
    .filter(([name]) => !except.includes(name))
    .map(([name, message]) => ({ group: [name], message }));
}

const nodeLayerMain = (except) => ({
  paths: [electron],
  patterns: [
    ...nativePatterns(except),
    {
      group: ['**/main/*', '**/main/**', '!**/main/contract', '!**/main/contract/**', '!**/main/platform', '!**/main/platform/**'],
      message: 'drivers/, models/ and sync/ do not import main/ (only main/contract/ and main/platform/); main/ wires them together.',
    },
  ],
});

// Dynamic import() and require() are not covered by no-restricted-imports: forbid them for the same modules.
function dynamicImportBan(names) {
  return [
    'error',
    ...names.flatMap((name) => [
      { selector: `ImportExpression[source.value='${name}']`, message: `${name}: not allowed in this folder (see docs/ARCHITECTURE.md, Layers).` },
      { selector: `CallExpression[callee.name='require'][arguments.0.value='${name}']`, message: `${name}: not allowed in this folder (see docs/ARCHITECTURE.md, Layers).` },
    ]),
  ];
}
const NATIVE = ['serialport', 'onnxruntime-node', 'better-sqlite3'];

// key.export({ format: 'jwk' }) can deadlock Node 20 under garbage collection (docs/CONVENTIONS.md, "Keys").
const JWK_EXPORT_BAN = {
  selector: "CallExpression[callee.property.name='export'] > ObjectExpression > Property[key.name='format'][value.value='jwk']",
  message: "Do not export keys as JWK (Node 20 can deadlock in it): use rawPublicKeyOf (sync/packet/keys.ts) or the 'der'/'pem' formats.",
};
function restrictedSyntax(names) {
  return [...dynamicImportBan(names), JWK_EXPORT_BAN];
}

export const layerRules = [
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [
            {
              group: ['**/main/contract', '**/main/contract/**'],
              allowTypeImports: true,
              message: 'The renderer may import only *types* from the IPC contract (use `import type`).',
            },
            {
              group: ['**/main/*', '**/main/**', '!**/main/contract', '!**/main/contract/**', '**/drivers/**', '**/models/**', '**/sync/**'],
              message: 'The renderer talks to the core only through the IPC contract.',
            },
            { group: ['node:*', 'fs', 'path', 'child_process', 'worker_threads', 'sharp', 'ws', 'pino'], message: 'The renderer runs in a sandbox: no Node modules.' },
            ...nativePatterns([]),
          ],
        },
      ],
      'no-restricted-syntax': restrictedSyntax(['electron', ...NATIVE]),
    },
  },
  {
    files: ['drivers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', nodeLayerMain(['serialport', '@serialport/*'])],
      'no-restricted-syntax': restrictedSyntax(['electron', 'onnxruntime-node', 'better-sqlite3']),
    },
  },
  {
    files: ['models/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', nodeLayerMain(['onnxruntime-node'])],
      'no-restricted-syntax': restrictedSyntax(['electron', 'serialport', 'better-sqlite3']),
    },
  },
  {
    files: ['sync/**/*.ts'],
    ignores: ['sync/registry/store/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', nodeLayerMain([])], 'no-restricted-syntax': restrictedSyntax(['electron', ...NATIVE]) },
  },
  {
    files: ['sync/registry/store/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', nodeLayerMain(['better-sqlite3'])],
      'no-restricted-syntax': restrictedSyntax(['electron', 'serialport', 'onnxruntime-node']),
    },
  },
  {
    files: ['main/**/*.ts', 'main/**/*.cts'],
    ignores: ['main/electron/**', 'main/store/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [electron], patterns: nativePatterns([]) }],
      'no-restricted-syntax': restrictedSyntax(['electron', ...NATIVE]),
    },
  },
  {
    files: ['main/store/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [electron], patterns: nativePatterns(['better-sqlite3']) }],
      'no-restricted-syntax': restrictedSyntax(['electron', 'serialport', 'onnxruntime-node']),
    },
  },
  {
    files: ['main/electron/**/*.ts', 'main/electron/**/*.cts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: nativePatterns([]) }], 'no-restricted-syntax': restrictedSyntax(NATIVE) },
  },
  {
    files: ['main/contract/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [electron], patterns: [...nativePatterns([]), { group: ['node:*', '../*'], message: 'The contract is pure: zod and its own files only.' }] },
      ],
    },
  },
];

// Bundles the front end into OUT (default: dist): OUT/index.html (the page shell),
// OUT/pages.json (the paths relaisd serves it at) and OUT/assets/ (names carry a content hash,
// so relaisd lets browsers cache them for a year; each has a .gz beside it).
//
//   node web/build.mjs build/release/web
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { pages } from './src/pages.js';
import { checkStrings } from './check-strings.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const untranslated = checkStrings(path.join(here, 'src'));
if (untranslated.length) {
  console.error(`relais web: strings missing in one language or not defined:\n  ${untranslated.join('\n  ')}`);
  process.exit(1);
}
const out = path.resolve(process.argv[2] || path.join(here, 'dist'));
const assets = path.join(out, 'assets');
fs.rmSync(assets, { recursive: true, force: true });
fs.mkdirSync(assets, { recursive: true });

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: { app: 'src/main.jsx', style: 'src/styles/app.css' },
  bundle: true,
  splitting: true,
  format: 'esm',
  target: ['chrome100', 'firefox100', 'safari15'],
  outdir: assets,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  publicPath: '/assets',
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.svg': 'file' },
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs);
const entry = (name) => {
  const found = outputs.find(([, o]) => o.entryPoint && path.basename(o.entryPoint).startsWith(name));
  if (!found) throw new Error(`no output for ${name}`);
  return '/assets/' + path.basename(found[0]);
};
const script = entry('main.jsx');
const style = entry('app.css');
const faviconBytes = fs.readFileSync(path.join(here, 'src/assets/favicon.svg'));
const icon = `/assets/favicon-${createHash('sha256').update(faviconBytes).digest('hex').slice(0, 8)}.svg`;
fs.writeFileSync(path.join(out, icon), faviconBytes);

fs.writeFileSync(path.join(out, 'index.html'), `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Relais</title>
<link rel="stylesheet" href="${style}">
<link rel="icon" href="${icon}" type="image/svg+xml">
<script type="module" src="${script}"></script>
</head>
<body>
<div id="app"><noscript>Relais a besoin de JavaScript. / Relais needs JavaScript.</noscript></div>
</body>
</html>
`);
fs.writeFileSync(path.join(out, 'pages.json'), JSON.stringify(Object.keys(pages)) + '\n');

for (const file of fs.readdirSync(assets)) {
  if (!/\.(js|css|svg|txt)$/.test(file)) continue;
  const full = path.join(assets, file);
  fs.writeFileSync(full + '.gz', gzipSync(fs.readFileSync(full), { level: 9 }));
}
const size = outputs.reduce((n, [, o]) => n + o.bytes, 0);
console.log(`relais web: ${outputs.length} files, ${Math.round(size / 1024)} KiB in ${out}`);

// Every string in both languages: reads the addStrings({ fr: {...}, en: {...} }) blocks of
// src/, and fails when a key is in one language only, or when t('key') names a key no block
// defines. build.mjs runs it before bundling.
import fs from 'node:fs';
import path from 'node:path';

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : /\.(js|jsx)$/.test(e.name) ? [full] : [];
  });
}

/** The keys of the object literal after `lang: {` in `text` (one level of braces). */
function keysOf(text, lang) {
  const start = text.search(new RegExp(`\\n\\s*${lang}: \\{`));
  if (start < 0) return null;
  let depth = 0;
  let i = text.indexOf('{', start);
  const from = i;
  for (; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) break;
  }
  const body = text.slice(from + 1, i);
  return new Set([...body.matchAll(/^\s*'([^']+)':/gm)].map((m) => m[1]));
}

export function checkStrings(srcDir) {
  const problems = [];
  const defined = new Set();
  const files = sources(srcDir);
  // i18n.js defines addStrings and t(), and shows them in its comments.
  const texts = files.filter((f) => path.basename(f) !== 'i18n.js').map((f) => [f, fs.readFileSync(f, 'utf8')]);
  for (const [file, text] of texts) {
    if (!text.includes('addStrings({')) continue;
    const fr = keysOf(text, 'fr');
    const en = keysOf(text, 'en');
    if (!fr || !en) {
      problems.push(`${file}: addStrings needs both fr and en`);
      continue;
    }
    for (const k of fr) if (!en.has(k)) problems.push(`${file}: '${k}' has no English text`);
    for (const k of en) if (!fr.has(k)) problems.push(`${file}: '${k}' has no French text`);
    for (const k of fr) defined.add(k);
  }
  for (const [file, text] of texts) {
    // Literal keys only: t('event.' + action) builds its key at run time.
    for (const m of text.matchAll(/\bt\('([a-zA-Z0-9_.]*[a-zA-Z0-9_])'\s*[,)]/g)) {
      if (!defined.has(m[1])) problems.push(`${path.relative(srcDir, file)}: t('${m[1]}') is not defined`);
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkStrings(path.join(path.dirname(process.argv[1]), 'src'));
  for (const p of problems) console.error(p);
  process.exit(problems.length ? 1 : 0);
}

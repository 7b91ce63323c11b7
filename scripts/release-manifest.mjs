// The updater's manifest (latest.json) for a release: the version, the notes and, per platform
// key (`linux-x86_64-deb`, `linux-x86_64-rpm`, `linux-x86_64`, `windows-x86_64`…), the package's
// URL and its minisign signature (the `.sig` file `tauri signer sign --app-version` writes).
//
//   node scripts/release-manifest.mjs --out latest.json --version 0.1.1 [--notes-file NOTES]
//        [--merge other/latest.json] --entry linux-x86_64-deb=https://…/kep-renew_0.1.1_amd64.deb=path/to.deb.sig …
//
// An existing --out (or --merge) of the same version keeps its other platforms: the release
// workflow's jobs each add theirs. A different version is refused.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const take = (name, many = false) => {
  const values = [];
  for (let i = 0; i < args.length; i++) if (args[i] === name) values.push(args[++i]);
  return many ? values : values[0];
};
const die = (message) => {
  console.error(`release-manifest: ${message}`);
  process.exit(1);
};

const out = take('--out') ?? die('--out is required');
const version = take('--version') ?? die('--version is required');
if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) die(`${version} is not a version`);
const notesFile = take('--notes-file');
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));

let manifest = existsSync(out) ? read(out) : { version, platforms: {} };
for (const other of take('--merge', true)) {
  const extra = read(other);
  if (extra.version !== version) die(`${other} is for ${extra.version}, not ${version}`);
  manifest.platforms = { ...manifest.platforms, ...extra.platforms };
  manifest.notes ??= extra.notes;
}
if (manifest.version !== version) die(`${out} is for ${manifest.version}, not ${version}`);
manifest.pub_date ??= new Date().toISOString();
if (notesFile) manifest.notes = readFileSync(notesFile, 'utf8').trim();
for (const entry of take('--entry', true)) {
  const [platform, ...rest] = entry.split('=');
  const signatureFile = rest.pop();
  const url = rest.join('=');
  if (!platform || !url.startsWith('https://') || !signatureFile) die(`--entry ${entry}: use KEY=https://URL=SIGFILE`);
  manifest.platforms[platform] = { url, signature: readFileSync(signatureFile, 'utf8').trim() };
}
if (Object.keys(manifest.platforms).length === 0) die('no platform entry');
writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${out}: ${version} for ${Object.keys(manifest.platforms).sort().join(', ')}`);

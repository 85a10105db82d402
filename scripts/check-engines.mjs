// Checks that every installed runtime dependency accepts the Node versions lambda-migrate supports (the ones AWS
// Lambda runs: 20, 22 and 24, at the minors our own `engines` names). An `overrides` entry only shapes this
// repository's own install, never a user's, so the check that matters is on a tree installed the way a user installs:
//
//   node scripts/check-engines.mjs            the runtime dependencies installed here (node_modules/.package-lock.json)
//   node scripts/check-engines.mjs DIR        the tree installed in DIR (e.g. a temp project)
//   node scripts/check-engines.mjs --pack     npm pack this package, npm install the tarball into a temp dir, check it
//
// Exit 0 when all accept, 1 with one line per dependency that does not, 2 when the tree cannot be read.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const own = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));

/** The lowest version of each supported line that our own `engines` accepts: what a dependency must accept too. */
export function supportedVersions(range) {
  return [20, 22, 24].map((major) => {
    const lowest = range
      .split('||')
      .map((part) => semver.minVersion(new semver.Range(`${part.trim()} >=${major}.0.0 <${major + 1}.0.0`)))
      .filter((v) => v !== null)
      .sort(semver.compare)[0];
    if (lowest === undefined) throw new Error(`package.json engines '${range}' does not accept Node ${major}`);
    return lowest.version;
  });
}

/**
 * Every package in the installed tree that is not a devDependency, from npm's lockfile of it, with the `engines.node`
 * its installed package.json declares (the lockfile's copy could be stale; the file on disk is what runs).
 */
export function runtimePackages(dir) {
  const hidden = path.join(dir, 'node_modules', '.package-lock.json');
  const lock = JSON.parse(readFileSync(hidden, 'utf8'));
  return Object.entries(lock.packages ?? {})
    .filter(([key, entry]) => key.includes('node_modules/') && entry.dev !== true && entry.link !== true)
    .map(([key]) => {
      const manifest = JSON.parse(readFileSync(path.join(dir, key, 'package.json'), 'utf8'));
      return { where: key, name: manifest.name, version: manifest.version, node: manifest.engines?.node ?? null };
    });
}

export function problems(packages, versions) {
  return packages.flatMap((p) => {
    if (p.node === null) return [];
    const refused = versions.filter((v) => !semver.satisfies(v, p.node));
    return refused.length === 0 ? [] : [`${p.name}@${p.version} (${p.where}) needs node '${p.node}': refuses ${refused.join(', ')}`];
  });
}

function installTarball() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-engines-'));
  const out = execFileSync('npm', ['pack', '--pack-destination', tmp, '--json'], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tarball = path.join(tmp, JSON.parse(out)[0].filename);
  const project = path.join(tmp, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'engines-check', version: '1.0.0', private: true }));
  // --engine-strict: npm itself refuses a dependency whose engines exclude the running Node, as a user's CI would.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--engine-strict', tarball], {
    cwd: project,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return { project, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

function main(argv) {
  const versions = supportedVersions(own.engines.node);
  let dir = repo;
  let cleanup = () => undefined;
  if (argv[0] === '--pack') ({ project: dir, cleanup } = installTarball());
  else if (argv[0] !== undefined) dir = path.resolve(argv[0]);
  try {
    const packages = runtimePackages(dir);
    const found = problems(packages, versions);
    for (const line of found) process.stdout.write(`${line}\n`);
    process.stdout.write(
      `${packages.length} runtime packages checked against node ${versions.join(', ')}: ${found.length === 0 ? 'all accept' : `${found.length} refuse`}\n`,
    );
    return found.length === 0 ? 0 : 1;
  } catch (err) {
    process.stderr.write(`check-engines: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  } finally {
    cleanup();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));

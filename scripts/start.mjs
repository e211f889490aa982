#!/usr/bin/env node
// `npm start`: try the extension in a real VS Code (code-server, in your browser) on examples/.
//
// Builds, installs Node 24 + code-server into .tools/ on first use (a few minutes; reused after),
// loads this repository as an installed extension (a symlink in a fresh extensions folder, so
// `npm run build` in another terminal + "Developer: Reload Window" picks up changes), prints the
// URL and runs until Ctrl+C, which stops code-server with its whole process group.
//
// Options: --no-build, --port=N (default: a free port), --folder=PATH (default: examples/),
//          --extension=PATH (another extension folder to load; default: this repository).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, quietUserSettings, startCodeServer } from './e2e/code-server.mjs';
import { REPO_ROOT, ensureCodeServer, ensureNode24, run } from './e2e/tools.mjs';

const argv = process.argv.slice(2);
const value = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');

async function main() {
  if (!argv.includes('--no-build')) await run('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT });
  const node = await ensureNode24();
  const codeServer = await ensureCodeServer(node);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ctkl-start-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const extensions = path.join(tmp, 'extensions');
  mkdirSync(extensions, { recursive: true });
  // VS Code recognises an installed extension by a `publisher.name-version` folder.
  const extensionPath = path.resolve(value('extension') ?? REPO_ROOT);
  const manifest = JSON.parse(readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  symlinkSync(extensionPath, path.join(extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');

  const folder = path.resolve(value('folder') ?? path.join(REPO_ROOT, 'examples'));
  const server = await startCodeServer({
    tools: { node, codeServer },
    port: Number(value('port') ?? await freePort()),
    dirs: { home: path.join(tmp, 'home'), userData: path.join(tmp, 'user-data'), extensions,
      logFile: path.join(tmp, 'code-server.log') },
    settings: quietUserSettings({ trusted: true }),
  });

  console.log(`\nCloudTrail KMS Lint in code-server ${codeServer.version} (process group ${server.pgid}):\n`);
  console.log(`  ${server.baseUrl}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}\n`);
  console.log(`Logs: ${server.logFile} and ${path.join(tmp, 'user-data', 'logs')}`);
  console.log('Press Ctrl+C to stop.');

  const code = await server.exited;
  console.error(`code-server stopped by itself (${code}); last lines of its log:\n${server.logTail(30)}`);
  process.exit(1);
}

main().catch((err) => {
  console.error(err.stack ?? String(err));
  process.exit(1);
});

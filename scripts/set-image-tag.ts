// CI's write-back: `node --import tsx scripts/set-image-tag.ts <environment> <git-sha>` sets
// image.tag in k8s/chart/values-<environment>.yaml, keeping the file's comments and layout.
// Argo CD sees the commit and syncs that environment.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';

export function setImageTag(valuesYaml: string, tag: string): string {
  if (!/^[0-9a-f]{7,40}$/.test(tag)) throw new Error(`not a git commit sha: ${tag}`);
  const document = parseDocument(valuesYaml);
  document.setIn(['image', 'tag'], document.createNode(tag));
  const node = document.getIn(['image', 'tag'], true) as { type?: string };
  node.type = 'QUOTE_DOUBLE';
  return document.toString();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [environment, tag] = process.argv.slice(2);
  if (!environment || !tag) {
    console.error('usage: set-image-tag.ts <dev|prod> <git-sha>');
    process.exit(2);
  }
  const file = join(import.meta.dirname, '..', 'k8s', 'chart', `values-${environment}.yaml`);
  writeFileSync(file, setImageTag(readFileSync(file, 'utf8'), tag));
  console.log(`${file}: image.tag = ${tag}`);
}

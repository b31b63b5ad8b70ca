// `npm run compare`: the same workload on every target, priced, in one report (see README,
// "Compare the targets"). Bad arguments: one line and exit 2.
import { parseOptions, USAGE, UsageError } from './args.js';
import { PriceFileError } from './prices.js';
import { runCompare } from './run.js';
import { WorkloadError } from './workload.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`compare: ${error.message} (npm run compare -- --help)`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const tty = process.stderr.isTTY;
try {
  await runCompare(options, {
    root: process.cwd(),
    log: (line) => console.log(line),
    progress: (line) => (tty ? process.stderr.write(`\r${line}\x1b[K`) : undefined),
  });
  process.exit(0);
} catch (error) {
  console.error(`compare: ${error instanceof Error ? error.message : String(error)}`);
  // A workload or price file that cannot be used is a bad argument too.
  process.exit(error instanceof WorkloadError || error instanceof PriceFileError ? 2 : 1);
}

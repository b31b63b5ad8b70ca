import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run compare -- [options]

With no --target: the local stack (DynamoDB Local, s3rver, the dev issuer, as npm start runs them)
and all three targets built here: the container (dist/main.mjs), the per-route functions and the
lambdalith (the zips sls package makes, run in local Lambda sandboxes).

  --target NAME=URL        a deployed target (repeat for more); NAME says how it is priced:
                           lambdalith…, lambda…/routes… (per-route functions), anything else EKS
  --token TOKEN            bearer token for deployed targets (its subject is the tenant used)
  --duration SECONDS       load per target (default 30)
  --rate N                 requests per second, open loop (default 50)
  --workload FILE          operations and weights, JSON or YAML (default compare/workloads/default.json)
  --prices FILE            price file (default compare/prices/us-east-1.json)
  --monthly-requests N     volume the verdict prices (default 5000000)
  --free-tier              apply AWS's free tier (off by default)
  --out DIR                where report.html and report.json go (default compare-report)
  --help                   this text`;

export interface Options {
  targets: { name: string; url: string }[];
  token?: string;
  durationS: number;
  rate: number;
  workload?: string;
  prices?: string;
  monthlyRequests: number;
  freeTier: boolean;
  out: string;
  help: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const positive = (name: string, value: string | undefined, fallback: number, max = Infinity) => {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(number > 0) || number > max) throw new UsageError(`--${name} must be a number above 0${max < Infinity ? ` and at most ${max}` : ''}, not "${value}"`);
  return number;
};

/** Reads the command line; anything wrong is one UsageError naming it. */
export function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        target: { type: 'string', multiple: true },
        token: { type: 'string' },
        duration: { type: 'string' },
        rate: { type: 'string' },
        workload: { type: 'string' },
        prices: { type: 'string' },
        'monthly-requests': { type: 'string' },
        'free-tier': { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  const names = new Set<string>();
  const targets = (values.target ?? []).map((spec) => {
    const at = spec.indexOf('=');
    const name = spec.slice(0, at);
    const url = spec.slice(at + 1);
    if (at < 1 || !/^[\w.-]+$/.test(name)) throw new UsageError(`--target must be NAME=URL, not "${spec}"`);
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError(`--target ${name}: "${url}" is not an http(s) URL`);
    if (names.has(name)) throw new UsageError(`--target ${name} is given twice`);
    names.add(name);
    return { name, url };
  });
  if (values.token !== undefined && !targets.length) throw new UsageError('--token is for deployed targets: give them with --target NAME=URL');
  if (targets.length && !values.token) throw new UsageError('deployed targets need --token (a bearer token of the tenant to run in)');
  return {
    targets,
    ...(values.token !== undefined && { token: values.token }),
    durationS: positive('duration', values.duration, 30, 3600),
    rate: positive('rate', values.rate, 50, 100_000),
    ...(values.workload !== undefined && { workload: values.workload }),
    ...(values.prices !== undefined && { prices: values.prices }),
    monthlyRequests: Math.round(positive('monthly-requests', values['monthly-requests'], 5_000_000, 1e12)),
    freeTier: values['free-tier'] ?? false,
    out: values.out ?? 'compare-report',
    help: values.help ?? false,
  };
}

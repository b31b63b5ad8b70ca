import { SHAPES } from '../model.js';
import { volume } from '../costs.js';
import type { CompareReport } from './report.js';
import { FORMULAS } from './report.js';
import { barChart, escapeHtml, lineChart, PALETTE } from './svg.js';

const money = (value: number) => (value >= 100 ? `$${Math.round(value).toLocaleString('en-US')}` : `$${value.toFixed(2)}`);
const ms = (value: number | undefined) => (value === undefined ? '–' : `${Number(value.toPrecision(3))} ms`);
const LABEL = { 'lambda-routes': 'per-route Lambda', lambdalith: 'lambdalith', container: 'EKS (container)' } as const;
const SHORT = { 'lambda-routes': 'per-route Lambda', lambdalith: 'lambdalith', container: 'EKS' } as const;

function table(headers: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(String(cell))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** One self-contained HTML page: inline CSS and SVG, no script, nothing fetched. */
export function renderHtml(report: CompareReport): string {
  const colorOf = new Map(report.targets.map((target, i) => [target.name, PALETTE[i % PALETTE.length]!]));
  const operations = [...new Set(report.targets.flatMap((target) => Object.keys(target.operations)))];
  const latencyCharts = operations
    .map((operation) =>
      lineChart({
        id: `latency-${operation}`,
        title: `Latency: ${operation}`,
        xLabel: 'percentile',
        yLabel: 'ms (log)',
        yLog: true,
        percentileX: true,
        series: report.targets
          .filter((target) => target.operations[operation]?.curve.length)
          .map((target) => ({ name: target.name, points: target.operations[operation]!.curve, color: colorOf.get(target.name)!, dashed: Boolean(target.refusal) })),
      }),
    )
    .join('');
  const lambdas = report.targets.filter((target) => target.coldStarts);
  const coldCharts = lambdas.length
    ? barChart({
        id: 'cold-start-share',
        title: 'Cold starts: share of requests',
        yLabel: '% of requests',
        groups: ['share'],
        series: lambdas.map((target) => ({ name: target.name, values: [target.coldStarts!.share * 100], color: colorOf.get(target.name)! })),
        formatY: (value) => `${Number(value.toPrecision(3))} %`,
      }) +
      barChart({
        id: 'cold-start-duration',
        title: 'Cold starts: INIT duration (mean)',
        yLabel: 'ms',
        groups: ['sandbox INIT (spawn to ready)', 'init;dur (function’s clock)'],
        series: lambdas.map((target) => ({
          name: target.name,
          values: [target.coldStarts!.sandboxInitMs?.mean ?? 0, target.coldStarts!.functionInitMs.mean ?? 0],
          color: colorOf.get(target.name)!,
        })),
        formatY: (value) => `${Math.round(value)} ms`,
      })
    : '<p>No Lambda target in this run.</p>';
  const costCharts = report.costs.shapes
    .map((shape) =>
      lineChart({
        id: `cost-${shape.shape.replace(/\s+/g, '-')}`,
        title: `Cost a month, ${shape.shape} traffic (peak ${shape.peakToAverage.toFixed(1)} × average)`,
        xLabel: 'requests a month (log)',
        yLabel: 'USD a month (log)',
        xLog: true,
        yLog: true,
        formatX: (value) => volume(value).replace(' thousand', 'k').replace(' billion', 'B').replace(' M', 'M'),
        formatY: (value) => `$${value >= 1 ? Math.round(value) : value.toPrecision(1)}`,
        series: Object.entries(shape.curves).map(([name, points]) => {
          const kind = report.targets.find((target) => target.name === name)!.kind;
          return { name: `${name} (${SHORT[kind]})`, points, color: colorOf.get(name)! };
        }),
        markers: shape.breakEven ? [{ x: shape.breakEven.requests, y: shape.curves[shape.breakEven.container]!.find(([n]) => n >= shape.breakEven!.requests)?.[1] ?? 1, label: `break-even ${volume(shape.breakEven.requests)}/month` }] : [],
      }),
    )
    .join('');

  const targetRows = report.targets.map((target) => [
    target.name,
    LABEL[target.kind],
    target.refusal ? `refused: ${target.refusal}` : 'driven',
    `${target.load.achievedRate} of ${target.load.rate}`,
    ms(target.overall.latencyMs.p50),
    ms(target.overall.latencyMs.p99),
    ms(target.overall.appMeanMs),
    target.coldStarts ? `${target.coldStarts.count} (${(target.coldStarts.share * 100).toFixed(2)} %)` : '–',
    target.logs.measured ? `${Math.round(target.logs.appBytesPerRequest + target.logs.platformBytesPerRequest)} B` : 'not measured',
    `${Math.round(target.load.generatorCpu * 100)} %`,
  ]);
  const costRows = report.costs.shapes.flatMap((shape) =>
    Object.entries(shape.at).map(([name, { total, parts }]) => [
      shape.shape,
      name,
      money(total),
      Object.entries(parts)
        .filter(([key]) => !['gbSeconds', 'peakRps', 'pods', 'nodes', 'overMaxReplicas'].includes(key))
        .map(([key, value]) => `${key} ${money(value)}`)
        .join(', '),
      'pods' in parts ? `${parts.pods} pods on ${parts.nodes} nodes at ${parts.peakRps!.toFixed(1)} req/s peak` : `${Math.round(parts.gbSeconds ?? 0).toLocaleString('en-US')} GB-s`,
    ]),
  );
  const priceRows = Object.entries(report.prices.prices).map(([name, entry]) => {
    const { source, read, obtained, unit, note: _note, ...values } = entry as Record<string, unknown> & { source: string; read: string; obtained: string; unit: string };
    return [name, JSON.stringify(values), unit, source, read, obtained];
  });
  const capacityRows = report.capacity
    ? Object.entries(report.capacity).map(([kind, capacity]) => [kind, capacity.dynamoRequests, capacity.readUnits, capacity.writeUnits, capacity.s3Reads + capacity.s3Writes])
    : [];
  const input = report.inputs;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>duet: compare the targets</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1180px;padding:0 16px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
.verdict{font-size:17px;background:#f3f7ff;border-left:4px solid #1f77b4;padding:12px 16px}
.charts{display:flex;flex-wrap:wrap;gap:12px}
svg.chart{background:#fff;border:1px solid #e3e3e3;font-size:11px}
svg .title{font-size:13px;font-weight:600}svg .grid{stroke:#eee}svg .axis{stroke:#888}
table{border-collapse:collapse;margin:8px 0;font-size:12.5px}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top;max-width:520px;overflow-wrap:break-word}th{background:#f6f6f6}
.refused{color:#a00}code{font-size:12px}
</style></head><body>
<h1>duet: the same workload on each target, priced</h1>
<p class="verdict" id="verdict">${escapeHtml(report.verdict)}</p>
${report.targets.filter((target) => target.refusal).map((target) => `<p class="refused">${escapeHtml(target.name)} is not priced: ${escapeHtml(target.refusal!)}.</p>`).join('')}
<h2>Targets</h2>
${table(['target', 'priced as', 'run', 'requests/s sent', 'p50', 'p99', 'app;dur mean', 'cold starts', 'log bytes/request', 'generator CPU'], targetRows)}
<h2>Latency by operation</h2><div class="charts">${latencyCharts}</div>
<h2>Cold starts</h2><div class="charts">${coldCharts}</div>
<h2>Cost against monthly requests</h2><div class="charts">${costCharts}</div>
<h2>Costs at ${escapeHtml(volume(report.costs.monthlyRequests))} requests a month</h2>
${table(['shape', 'target', 'total a month', 'parts', 'sizing'], costRows)}
${report.costs.data ? `<p>DynamoDB ${money(report.costs.data.perMonth.dynamodb)} and S3 ${money(report.costs.data.perMonth.s3)} a month on every target (the same requests whichever target serves them).</p>` : '<p>DynamoDB and S3 request units were not measured in this run.</p>'}
<h2>Inputs</h2>
${table(['input', 'value'], [
    ['mode', input.mode],
    ['arrival rate (open loop)', `${input.rate} requests/s per target`],
    ['duration', `${input.durationS} s per target`],
    ['workload', `${input.workload.name}: ${input.workload.operations.map((operation) => `${operation.name} ${operation.weight}`).join(', ')} (seed ${input.workload.seed}, ${input.workload.seedTasks} tasks seeded in a fresh tenant)`],
    ['monthly requests priced', String(input.monthlyRequests)],
    ['free tier', input.freeTier ? 'applied' : 'not applied (--free-tier applies it)'],
    ['traffic shapes', Object.entries(SHAPES).map(([name, shape]) => `${name}: ${shape.description}`).join('; ')],
    ['cluster', JSON.stringify(input.cluster)],
    ['price file', `${input.pricesFile} (version ${report.prices.version}, ${report.prices.region}, compiled ${report.prices.compiledOn})`],
    ['machine', `${input.machine.cpus} × ${input.machine.cpuModel}, Node ${input.machine.node}`],
    ['generated', report.generatedAt],
  ])}
${capacityRows.length ? `<h3>DynamoDB and S3 per operation (consumed capacity as DynamoDB bills it)</h3>${table(['operation', 'DynamoDB requests', 'read units', 'write units', 'S3 requests'], capacityRows)}` : ''}
<h2>Formulas</h2><ul>${FORMULAS.map((formula) => `<li>${escapeHtml(formula)}</li>`).join('')}</ul>
<h2>Prices (${escapeHtml(report.prices.region)}, read ${escapeHtml(report.prices.compiledOn)})</h2>
<p>${escapeHtml(report.prices.howObtained)}</p>
${table(['price', 'value', 'unit', 'source', 'read', 'obtained'], priceRows)}
<h2>What these numbers leave out</h2><ul>${report.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>
</body></html>
`;
}

import { volume } from '../costs.js';
import type { CompareReport } from './report.js';

const pad = (cells: string[], widths: number[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();

/** The terminal summary: one row per target, its latency and its cost per traffic shape. */
export function renderTable(report: CompareReport): string {
  const shapes = report.costs.shapes;
  const headers = ['target', 'sent/s', 'p50 ms', 'p99 ms', 'app ms', 'cold', 'log B/req', ...shapes.map((shape) => `$/mo ${shape.shape}`)];
  const rows = report.targets.map((target) => [
    target.name,
    String(target.load.achievedRate),
    String(target.overall.latencyMs.p50 ?? '-'),
    String(target.overall.latencyMs.p99 ?? '-'),
    String(target.overall.appMeanMs),
    target.coldStarts ? String(target.coldStarts.count) : '-',
    target.logs.measured ? String(Math.round(target.logs.appBytesPerRequest + target.logs.platformBytesPerRequest)) : '?',
    ...shapes.map((shape) => (target.refusal ? 'refused' : shape.at[target.name] ? shape.at[target.name]!.total.toFixed(2) : '-')),
  ]);
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
  const lines = [pad(headers, widths), pad(widths.map((width) => '-'.repeat(width)), widths), ...rows.map((row) => pad(row, widths))];
  for (const shape of shapes) if (shape.breakEven) lines.push(`break-even, ${shape.shape}: ${volume(shape.breakEven.requests)} requests a month (${shape.breakEven.requestsPerSecond.toFixed(1)} req/s)`);
  for (const target of report.targets) if (target.refusal) lines.push(`${target.name} not priced: ${target.refusal}`);
  return `${lines.join('\n')}\n\n${report.verdict}\n`;
}

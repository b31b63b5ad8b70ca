// Charts as inline SVG strings: no script, no font or style fetched, readable offline.

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2'];

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export interface Series {
  name: string;
  points: [number, number][];
  color: string;
  dashed?: boolean;
}

export interface LineChart {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  series: Series[];
  markers?: { x: number; y: number; label: string }[];
  formatX?: (value: number) => string;
  formatY?: (value: number) => string;
  /** Draws x as the percentile scale used for latency (distance to 100 % on a log scale). */
  percentileX?: boolean;
}

const W = 560;
const H = 300;
const M = { left: 64, right: 16, top: 34, bottom: 48 };

function scale(values: number[], log: boolean, from: number, to: number) {
  const usable = log ? values.filter((value) => value > 0) : values;
  let min = Math.min(...usable);
  let max = Math.max(...usable);
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [log ? 1 : 0, 1];
  if (min === max) [min, max] = log ? [min / 2, max * 2] : [min - 1, max + 1];
  if (!log) min = Math.min(0, min);
  const f = (value: number) => (log ? Math.log10(Math.max(value, min)) : value);
  const lo = f(min);
  const hi = f(max);
  const map = (value: number) => from + ((f(value) - lo) / (hi - lo || 1)) * (to - from);
  // Decades on a log axis; under two decades, also 2 × and 5 × each, so the axis never has one label.
  const steps = hi - lo < 2 ? [1, 2, 5] : [1];
  const ticks = log
    ? Array.from({ length: Math.floor(hi) - Math.floor(lo) + 1 }, (_, i) => steps.map((step) => step * 10 ** (Math.floor(lo) + i)))
        .flat()
        .filter((tick) => Math.log10(tick) >= lo - 1e-9 && Math.log10(tick) <= hi + 1e-9)
    : Array.from({ length: 5 }, (_, i) => min + ((max - min) * i) / 4);
  return { map, ticks: ticks.length ? ticks : [min, max] };
}

/** Percentile p as its distance to 100 % on a log scale: p90 → 2, p99 → 3, p99.9 → 4, the maximum at 5. */
const percentilePosition = (p: number) => (p >= 100 ? 5 : Math.min(4.5, 1 - Math.log10(1 - p / 100)));

export function lineChart(chart: LineChart): string {
  const xs = chart.series.flatMap((series) => series.points.map(([x]) => (chart.percentileX ? percentilePosition(x) : x)));
  const ys = chart.series.flatMap((series) => series.points.map(([, y]) => y)).concat((chart.markers ?? []).map((marker) => marker.y));
  const x = scale(xs, !chart.percentileX && Boolean(chart.xLog), M.left, W - M.right);
  const y = scale(ys, Boolean(chart.yLog), H - M.bottom, M.top);
  const px = (value: number) => x.map(chart.percentileX ? percentilePosition(value) : value);
  const fx = chart.formatX ?? ((value: number) => String(value));
  const fy = chart.formatY ?? ((value: number) => String(Number(value.toPrecision(3))));
  const xTicks = chart.percentileX ? [50, 90, 99, 99.9, 100] : x.ticks;
  const grid = [
    ...xTicks.map((tick) => `<line x1="${px(tick).toFixed(1)}" x2="${px(tick).toFixed(1)}" y1="${M.top}" y2="${H - M.bottom}" class="grid"/><text x="${px(tick).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeHtml(chart.percentileX ? (tick === 100 ? 'max' : `p${tick}`) : fx(tick))}</text>`),
    ...y.ticks.map((tick) => `<line x1="${M.left}" x2="${W - M.right}" y1="${y.map(tick).toFixed(1)}" y2="${y.map(tick).toFixed(1)}" class="grid"/><text x="${M.left - 6}" y="${(y.map(tick) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(fy(tick))}</text>`),
  ].join('');
  const lines = chart.series
    .map((series) => {
      const d = series.points.map(([px_, py], i) => `${i ? 'L' : 'M'}${px(px_).toFixed(1)},${y.map(py).toFixed(1)}`).join(' ');
      return `<path class="series" data-series="${escapeHtml(series.name)}" d="${d}" stroke="${series.color}" fill="none" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}><title>${escapeHtml(series.name)}</title></path>`;
    })
    .join('');
  const markers = (chart.markers ?? [])
    .map((marker) => `<g class="marker"><circle cx="${px(marker.x).toFixed(1)}" cy="${y.map(marker.y).toFixed(1)}" r="5" fill="none" stroke="#000" stroke-width="2"/><text x="${(px(marker.x) + 8).toFixed(1)}" y="${(y.map(marker.y) - 8).toFixed(1)}">${escapeHtml(marker.label)}</text></g>`)
    .join('');
  const legend = chart.series
    .map((series, i) => `<g transform="translate(${M.left + 8 + (i % 3) * 160},${M.top + 4 + Math.floor(i / 3) * 14})"><line x1="0" x2="16" y1="-4" y2="-4" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="4 3"' : ''}/><text x="20" y="0">${escapeHtml(series.name)}</text></g>`)
    .join('');
  return `<svg class="chart" data-chart="${escapeHtml(chart.id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(chart.title)}" xmlns="http://www.w3.org/2000/svg">
<text x="${M.left}" y="18" class="title">${escapeHtml(chart.title)}</text>${grid}
<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" class="axis"/><line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" class="axis"/>
<text x="${(M.left + W - M.right) / 2}" y="${H - 10}" text-anchor="middle">${escapeHtml(chart.xLabel)}</text>
<text transform="translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(chart.yLabel)}</text>
${lines}${markers}${legend}</svg>`;
}

export interface BarChart {
  id: string;
  title: string;
  yLabel: string;
  groups: string[];
  series: { name: string; values: number[]; color: string }[];
  formatY?: (value: number) => string;
}

export function barChart(chart: BarChart): string {
  const max = Math.max(...chart.series.flatMap((series) => series.values), 0) || 1;
  const y = (value: number) => H - M.bottom - (value / max) * (H - M.bottom - M.top - 16);
  const groupWidth = (W - M.left - M.right) / Math.max(chart.groups.length, 1);
  const barWidth = (groupWidth * 0.7) / Math.max(chart.series.length, 1);
  const fy = chart.formatY ?? ((value: number) => String(Number(value.toPrecision(3))));
  const bars = chart.series
    .map(
      (series, s) =>
        `<g class="series" data-series="${escapeHtml(series.name)}">${series.values
          .map((value, g) => {
            const left = M.left + g * groupWidth + groupWidth * 0.15 + s * barWidth;
            return `<rect x="${left.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(H - M.bottom - y(value)).toFixed(1)}" fill="${series.color}"><title>${escapeHtml(`${series.name}, ${chart.groups[g]}: ${fy(value)}`)}</title></rect><text x="${(left + barWidth / 2).toFixed(1)}" y="${(y(value) - 4).toFixed(1)}" text-anchor="middle">${escapeHtml(fy(value))}</text>`;
          })
          .join('')}</g>`,
    )
    .join('');
  const labels = chart.groups.map((group, g) => `<text x="${(M.left + g * groupWidth + groupWidth / 2).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeHtml(group)}</text>`).join('');
  const legend = chart.series
    .map((series, i) => `<g transform="translate(${M.left + 8 + i * 200},${M.top})"><rect x="0" y="-9" width="12" height="10" fill="${series.color}"/><text x="18" y="0">${escapeHtml(series.name)}</text></g>`)
    .join('');
  return `<svg class="chart" data-chart="${escapeHtml(chart.id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(chart.title)}" xmlns="http://www.w3.org/2000/svg">
<text x="${M.left}" y="18" class="title">${escapeHtml(chart.title)}</text>
<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" class="axis"/>
<text transform="translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(chart.yLabel)}</text>
${bars}${labels}${legend}</svg>`;
}

import { describe, expect, it } from 'vitest';
import { crossover, dataMonthly, eksMonthly, lambdaMonthly, readClusterSpec, SHAPES, type TargetMeasure } from '../../compare/model.js';
import { loadPrices, tiered, type PriceFile } from '../../compare/prices.js';
import { priceTargets, verdict, volume } from '../../compare/costs.js';
import type { TargetResult } from '../../compare/measure.js';

const prices = loadPrices();

/** A measure with nothing but what a pricing example states. */
function lambdaMeasure(overrides: Partial<TargetMeasure>): TargetMeasure {
  return {
    name: 'example',
    kind: 'lambda-routes',
    appMsMean: 0,
    billedMsMean: 0,
    coldStartShare: 0,
    initMsMean: 0,
    memoryMb: 128,
    architecture: 'x86_64',
    appLogBytesPerRequest: 0,
    platformLogBytesPerRequest: 0,
    requestBytesMean: 100,
    responseBytesMean: 1000,
    ...overrides,
  };
}

/** The price file with the GB-second rate AWS's Lambda pricing examples use ($0.00001667). */
function withExampleRate(): PriceFile {
  const copy = structuredClone(prices);
  copy.prices['lambda.gbSecond.x86_64'].tiers = [{ upTo: null, price: 0.00001667 }];
  return copy;
}

const cents = (dollars: number) => Math.round(dollars * 100) / 100;

describe('the price file', () => {
  it('gives every price a source URL, the date it was read and how it was obtained', () => {
    // Act
    const entries = Object.values(prices.prices);

    // Assess
    expect(prices.region).toBe('us-east-1');
    for (const entry of entries) {
      expect(entry.source).toMatch(/^https:\/\//);
      expect(entry.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['search', 'known']).toContain(entry.obtained);
    }
  });
});

describe('Lambda, against AWS’s published pricing examples (free tier on)', () => {
  it('example 1: 512 MB, 3 M invocations of 1 s each cost $18.34 compute + $0.40 requests = $18.74', () => {
    // Act
    const cost = lambdaMonthly(lambdaMeasure({ memoryMb: 512, billedMsMean: 1000 }), 3_000_000, withExampleRate(), true);

    // Assess
    expect(cost.gbSeconds).toBe(1_500_000);
    expect(cents(cost.compute)).toBe(18.34);
    expect(cents(cost.requests)).toBe(0.4);
    expect(cents(cost.compute + cost.requests)).toBe(18.74);
  });

  it('example 2: 128 MB, 30 M invocations of 200 ms each cost $5.83 compute + $5.80 requests = $11.63', () => {
    // Act
    const cost = lambdaMonthly(lambdaMeasure({ memoryMb: 128, billedMsMean: 200 }), 30_000_000, withExampleRate(), true);

    // Assess
    expect(cents(cost.compute)).toBe(5.83);
    expect(cents(cost.requests)).toBe(5.8);
  });

  it('bills INIT like duration: 1 % cold starts of 200 ms at 1 GB add 2 GB-s per thousand requests', () => {
    // Act
    const cost = lambdaMonthly(lambdaMeasure({ memoryMb: 1024, billedMsMean: 10, coldStartShare: 0.01, initMsMean: 199.2 }), 1000, prices);

    // Assess: 1000 × 10 ms × 1 GB = 10 GB-s invoke; 10 cold starts × 200 ms (rounded up) × 1 GB = 2 GB-s INIT.
    expect(cost.gbSeconds).toBeCloseTo(12, 9);
    expect(cost.init / (cost.init + cost.compute)).toBeCloseTo(2 / 12, 9);
  });

  it('leaves the free tier out by default', () => {
    // Act
    const cost = lambdaMonthly(lambdaMeasure({ memoryMb: 512, billedMsMean: 1000 }), 3_000_000, withExampleRate());

    // Assess: all 1.5 M GB-s and 3 M requests billed.
    expect(cents(cost.compute)).toBe(25.01);
    expect(cents(cost.requests)).toBe(0.6);
  });

  it('prices arm64 duration at its own, lower rate', () => {
    // Act
    const arm = lambdaMonthly(lambdaMeasure({ memoryMb: 1024, billedMsMean: 1000, architecture: 'arm64' }), 1_000_000, prices);

    // Assess: 1 M GB-s at $0.0000133334.
    expect(cents(arm.compute)).toBe(13.33);
  });
});

describe('API Gateway HTTP API', () => {
  it('prices 1 billion requests at 300 M × $1.00 + 700 M × $0.90 = $930', () => {
    // Act
    const cost = lambdaMonthly(lambdaMeasure({}), 1_000_000_000, prices);

    // Assess
    expect(cents(cost.gateway)).toBe(930);
  });

  it('meters each request in 512 KB increments: 100 M requests of 600 KB count as 200 M', () => {
    // Act
    const cost = lambdaMonthly(lambdaMeasure({ requestBytesMean: 600 * 1024 }), 100_000_000, prices);

    // Assess
    expect(cents(cost.gateway)).toBe(200);
  });
});

describe('tiers', () => {
  it('prices Lambda’s 60 TB of logs a month at 10 TB × $0.50 + 20 TB × $0.25 + 20 TB × $0.10 + 10 TB × $0.05', () => {
    // Act
    const cost = tiered(60 * 1024, prices.prices['cloudwatchLogs.ingestion'].lambdaTiers);

    // Assess: 5,120 + 5,120 + 2,048 + 512 (a TB is 1,024 GB), against 30,720 at the flat $0.50.
    expect(cost).toBe(12_800);
  });
});

describe('EKS', () => {
  const cluster = { ...readClusterSpec(process.cwd()) };
  const container = lambdaMeasure({ kind: 'container', cpuSecondsPerRequest: 0.002, appLogBytesPerRequest: 300 });

  it('reads the chart’s pod requests and the production node group', () => {
    expect(cluster).toMatchObject({ instanceType: 'm7g.large', nodeMin: 3, podCpu: 0.25, minReplicas: 3, hpaCpuTarget: 0.7 });
  });

  it('never runs fewer pods or nodes than the chart and the node group ask for', () => {
    // Act
    const cost = eksMonthly(container, 1_000_000, 1, cluster, prices);

    // Assess: 3 × m7g.large ($0.0816) and the control plane ($0.10) for 730 hours, one ALB ($0.0225).
    expect(cost.pods).toBe(3);
    expect(cost.nodes).toBe(3);
    expect(cents(cost.ec2)).toBe(178.7);
    expect(cents(cost.controlPlane)).toBe(73);
    expect(cost.alb).toBeGreaterThan(16.42);
    expect(cost.alb).toBeLessThan(16.6);
  });

  it('holds the peak of the traffic shape: 10 × the average needs more pods than steady traffic', () => {
    // Prepare: 2.628 G requests a month is 1,000 per second on average.
    const monthly = 2_628_000_000;

    // Act
    const steady = eksMonthly(container, monthly, SHAPES.steady.peakToAverage, cluster, prices);
    const spiky = eksMonthly(container, monthly, SHAPES.spiky.peakToAverage, cluster, prices);

    // Assess: 1,000 req/s × 2 ms = 2 vCPU; at 70 % of 0.25 vCPU a pod, 12 pods; 10 × as many at the spikes' peak.
    expect(steady.peakRps).toBeCloseTo(1000, 6);
    expect(steady.pods).toBe(12);
    expect(spiky.pods).toBe(115);
    expect(spiky.overMaxReplicas).toBe(true);
    expect(spiky.total).toBeGreaterThan(steady.total);
  });
});

describe('DynamoDB and S3', () => {
  it('prices 1 M creates of 2 write units and 1 read unit at $1.25 + $0.125', () => {
    // Act
    const cost = dataMonthly({ readUnitsPerRequest: 1, writeUnitsPerRequest: 2, s3WritesPerRequest: 0, s3ReadsPerRequest: 0 }, 1_000_000, prices);

    // Assess
    expect(cost.dynamodb).toBeCloseTo(1.375, 9);
    expect(cost.s3).toBe(0);
  });
});

describe('crossover', () => {
  it('finds where a per-request cost meets a fixed one', () => {
    // Act: $1 per million against $100 a month cross at 100 M requests.
    const at = crossover((n) => n / 1e6, () => 100);

    // Assess
    expect(at! / 1e8).toBeCloseTo(1, 6);
  });

  it('says there is none when one side is cheaper everywhere', () => {
    expect(crossover(() => 1, () => 2)).toBeUndefined();
  });
});

describe('the verdict', () => {
  const cluster = readClusterSpec(process.cwd());
  const target = (name: string, kind: TargetMeasure['kind'], overrides: Partial<TargetMeasure> = {}) =>
    ({ name, kind, measure: lambdaMeasure({ name, kind, memoryMb: 256, architecture: 'arm64', billedMsMean: 8, appMsMean: 7, cpuSecondsPerRequest: 0.002, ...overrides }) }) as unknown as TargetResult;

  it('names each target’s monthly cost, where they cross, and that logs cost more than compute when they do', () => {
    // Prepare: 2 KB of log per request on Lambda, against 8 ms at 256 MB.
    const results = [target('container', 'container'), target('lambda', 'lambda-routes', { appLogBytesPerRequest: 2048 })];

    // Act
    const costs = priceTargets(results, prices, cluster, 4_200_000, false);
    const sentence = verdict(results, costs);

    // Assess
    expect(sentence).toMatch(/^At 4\.2 M requests a month of business hours traffic, EKS costs \$\d+\/month, per-route Lambda costs \$[\d.]+\/month; they cross at [\d.]+ M requests a month \([\d.]+ requests\/s sustained\), so Lambda is the cheaper choice at this volume\./);
    expect(sentence).toMatch(/On lambda, logs \(\$[\d.]+\) cost more than compute \(\$[\d.]+\): set LOG_LEVEL=warn/);
    expect(costs.shapes.map((shape) => shape.breakEven!.requests)).toEqual([...costs.shapes.map((shape) => shape.breakEven!.requests)].sort((a, b) => b - a));
  });

  it('prices no target it refused', () => {
    // Act
    const results = [{ ...target('container', 'container'), refusal: 'it fell behind' } as TargetResult, target('lambda', 'lambda-routes')];
    const costs = priceTargets(results, prices, cluster, 1_000_000, false);

    // Assess
    expect(Object.keys(costs.shapes[0]!.at)).toEqual(['lambda']);
    expect(costs.shapes[0]!.breakEven).toBeUndefined();
  });
});

describe('volumes in words', () => {
  it.each([
    [100_000_000, '100 M'],
    [4_200_000, '4.2 M'],
    [63_500_000, '63.5 M'],
    [10_000_000_000, '10 billion'],
    [250_000, '250 thousand'],
  ])('writes %d as %s', (requests, words) => expect(volume(requests)).toBe(words));
});

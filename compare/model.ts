import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { NODE_GROUPS } from '../cdktf/environments.js';
import { tiered, type PriceFile } from './prices.js';

/** AWS prices a month as 730 hours. */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const GB = 1024 ** 3;

/**
 * Traffic shapes: how much higher the busiest hour runs than the month's average. Lambda bills
 * the same whatever the shape; the cluster must hold the peak.
 */
export const SHAPES = {
  steady: { peakToAverage: 1, description: 'the same rate around the clock' },
  'business hours': { peakToAverage: HOURS_PER_MONTH / 220, description: 'all traffic in 10 hours a day, 22 days a month (220 of 730 hours)' },
  spiky: { peakToAverage: 10, description: 'bursts at 10 × the average rate' },
} as const;
export type Shape = keyof typeof SHAPES;

/** What the run measured for one target, per request. */
export interface TargetMeasure {
  name: string;
  kind: 'container' | 'lambda-routes' | 'lambdalith';
  /** Mean Server-Timing app;dur, and the mean of each rounded up to a whole millisecond. */
  appMsMean: number;
  billedMsMean: number;
  /** Lambda: cold starts per request and the mean INIT each bills. */
  coldStartShare: number;
  initMsMean: number;
  memoryMb: number;
  architecture: 'arm64' | 'x86_64';
  /** Container: CPU seconds per request its process used (absent on a deployed target: app;dur stands in). */
  cpuSecondsPerRequest?: number;
  /** Log bytes per request: the service's own lines, and Lambda's START/END/REPORT. */
  appLogBytesPerRequest: number;
  platformLogBytesPerRequest: number;
  requestBytesMean: number;
  responseBytesMean: number;
}

/** DynamoDB and S3 requests per API request, the same on every target. */
export interface DataMeasure {
  readUnitsPerRequest: number;
  writeUnitsPerRequest: number;
  s3WritesPerRequest: number;
  s3ReadsPerRequest: number;
}

/** The cluster the Helm chart and cdktf's production stage describe. */
export interface ClusterSpec {
  instanceType: string;
  nodeMin: number;
  podCpu: number;
  podMemoryGiB: number;
  minReplicas: number;
  maxReplicas: number;
  hpaCpuTarget: number;
  /** vCPU and memory each node keeps for the kubelet, the OS and the DaemonSets (VPC CNI, kube-proxy). */
  reservedVcpu: number;
  reservedGiB: number;
  support: 'standard' | 'extended';
  /** Share of requests that open a new connection at the ALB (clients keep connections alive). */
  newConnectionShare: number;
}

const quantity = (value: string | number) => {
  const text = String(value);
  if (text.endsWith('m')) return Number(text.slice(0, -1)) / 1000;
  if (text.endsWith('Mi')) return Number(text.slice(0, -2)) / 1024;
  if (text.endsWith('Gi')) return Number(text.slice(0, -2));
  return Number(text);
};

/** Reads the pods' requests and autoscaling from the chart, the node group from cdktf's prod stage. */
export function readClusterSpec(root: string): ClusterSpec {
  const values = parseYaml(readFileSync(join(root, 'k8s', 'chart', 'values.yaml'), 'utf8')) as {
    resources: { requests: { cpu: string; memory: string } };
    autoscaling: { minReplicas: number; maxReplicas: number; targetCPUUtilizationPercentage: number };
    replicaCount: number;
  };
  return {
    instanceType: NODE_GROUPS.prod.instanceTypes[0]!,
    nodeMin: NODE_GROUPS.prod.minSize,
    podCpu: quantity(values.resources.requests.cpu),
    podMemoryGiB: quantity(values.resources.requests.memory),
    minReplicas: Math.max(values.autoscaling.minReplicas, 1),
    maxReplicas: values.autoscaling.maxReplicas,
    hpaCpuTarget: values.autoscaling.targetCPUUtilizationPercentage / 100,
    reservedVcpu: 0.3,
    reservedGiB: 1.5,
    support: 'standard',
    newConnectionShare: 0.1,
  };
}

export interface LambdaCost {
  requests: number;
  compute: number;
  init: number;
  gateway: number;
  logs: number;
  total: number;
  gbSeconds: number;
}

/** A month of Lambda behind an HTTP API at `monthlyRequests`. */
export function lambdaMonthly(measure: TargetMeasure, monthlyRequests: number, prices: PriceFile, freeTier = false): LambdaCost {
  const p = prices.prices;
  const free = p['lambda.freeTier'];
  const memoryGB = measure.memoryMb / 1024;
  const invokeGbS = (monthlyRequests * measure.billedMsMean * memoryGB) / 1000;
  // INIT is billed like duration since August 2025 (on-demand, zip, managed runtime).
  const initGbS = (monthlyRequests * measure.coldStartShare * Math.ceil(measure.initMsMean) * memoryGB) / 1000;
  const gbSeconds = invokeGbS + initGbS;
  const billableGbS = Math.max(0, gbSeconds - (freeTier ? free.gbSeconds : 0));
  const computeAll = tiered(billableGbS, p[`lambda.gbSecond.${measure.architecture}`].tiers);
  const share = gbSeconds > 0 ? initGbS / gbSeconds : 0;
  const requests = (Math.max(0, monthlyRequests - (freeTier ? free.requests : 0)) / 1e6) * p['lambda.requests'].value;
  const http = p['apiGateway.http'];
  const metered = monthlyRequests * Math.max(1, Math.ceil(Math.max(measure.requestBytesMean, measure.responseBytesMean) / http.meteringBytes));
  // Tier bounds count requests; the prices are per million.
  const gateway = tiered(Math.max(0, metered - (freeTier ? http.freeTierRequests : 0)), http.tiers) / 1e6;
  const logGB = (monthlyRequests * (measure.appLogBytesPerRequest + measure.platformLogBytesPerRequest)) / GB;
  const logs = tiered(Math.max(0, logGB - (freeTier ? p['cloudwatchLogs.ingestion'].freeTierGB : 0)), p['cloudwatchLogs.ingestion'].lambdaTiers);
  const compute = computeAll * (1 - share);
  const init = computeAll * share;
  return { requests, compute, init, gateway, logs, total: requests + compute + init + gateway + logs, gbSeconds };
}

export interface EksCost {
  peakRps: number;
  pods: number;
  nodes: number;
  ec2: number;
  controlPlane: number;
  alb: number;
  logs: number;
  total: number;
  /** True when the peak needs more pods than the chart's HPA may run. */
  overMaxReplicas: boolean;
}

/** A month of the container on the chart's EKS node group, sized for the shape's peak. */
export function eksMonthly(measure: TargetMeasure, monthlyRequests: number, peakToAverage: number, cluster: ClusterSpec, prices: PriceFile, freeTier = false): EksCost {
  const p = prices.prices;
  const instance = p['ec2.onDemand'].instances[cluster.instanceType];
  if (!instance) throw new Error(`the price file has no on-demand price for ${cluster.instanceType}`);
  const averageRps = monthlyRequests / SECONDS_PER_MONTH;
  const peakRps = averageRps * peakToAverage;
  const cpuPerRequest = measure.cpuSecondsPerRequest ?? measure.appMsMean / 1000;
  // The HPA adds pods when they use more than its target share of their CPU request.
  const needed = Math.ceil((peakRps * cpuPerRequest) / (cluster.podCpu * cluster.hpaCpuTarget));
  const pods = Math.max(cluster.minReplicas, needed);
  const podsPerNode = Math.max(
    1,
    Math.min(
      Math.floor((instance.vcpu - cluster.reservedVcpu) / cluster.podCpu),
      Math.floor((instance.memoryGiB - cluster.reservedGiB) / cluster.podMemoryGiB),
      instance.maxPods - 2,
    ),
  );
  const nodes = Math.max(cluster.nodeMin, Math.ceil(pods / podsPerNode));
  const ec2 = nodes * instance.price * HOURS_PER_MONTH;
  const controlPlane = p['eks.controlPlane'][cluster.support] * HOURS_PER_MONTH;
  const alb = p.alb;
  // LCU-hours: each hour bills its largest dimension; with one shape every dimension scales alike.
  const processedGB = (monthlyRequests * (measure.requestBytesMean + measure.responseBytesMean)) / GB;
  const newConnectionLcuHours = (monthlyRequests * cluster.newConnectionShare) / (alb.lcu.newConnectionsPerSecond * 3600);
  const lcuHours = Math.max(processedGB / alb.lcu.processedGBPerHour, newConnectionLcuHours);
  const albCost = Math.max(0, HOURS_PER_MONTH - (freeTier ? alb.freeTierHours : 0)) * alb.hour + lcuHours * alb.lcuHour;
  const logGB = (monthlyRequests * measure.appLogBytesPerRequest) / GB;
  const logs = Math.max(0, logGB - (freeTier ? p['cloudwatchLogs.ingestion'].freeTierGB : 0)) * p['cloudwatchLogs.ingestion'].standard;
  return { peakRps, pods, nodes, ec2, controlPlane, alb: albCost, logs, total: ec2 + controlPlane + albCost + logs, overMaxReplicas: needed > cluster.maxReplicas };
}

/** DynamoDB on-demand and S3 requests: the same bill whichever target serves the API. */
export function dataMonthly(data: DataMeasure, monthlyRequests: number, prices: PriceFile) {
  const p = prices.prices;
  const dynamodb = ((monthlyRequests * data.readUnitsPerRequest) / 1e6) * p['dynamodb.onDemand'].readRequestUnit + ((monthlyRequests * data.writeUnitsPerRequest) / 1e6) * p['dynamodb.onDemand'].writeRequestUnit;
  const s3 = ((monthlyRequests * data.s3WritesPerRequest) / 1000) * p['s3.requests'].putCopyPostList + ((monthlyRequests * data.s3ReadsPerRequest) / 1000) * p['s3.requests'].getHead;
  return { dynamodb, s3, total: dynamodb + s3 };
}

/**
 * The monthly volume where `a` stops being cheaper than `b` (or the reverse): searched on a log
 * scale from 10 thousand to 100 billion requests a month, then narrowed by bisection. Undefined
 * when one stays cheaper over the whole range.
 */
export function crossover(a: (requests: number) => number, b: (requests: number) => number, from = 1e4, to = 1e11): number | undefined {
  const sign = (n: number) => Math.sign(a(n) - b(n));
  const steps = 400;
  let previous = from;
  for (let i = 1; i <= steps; i++) {
    const n = from * (to / from) ** (i / steps);
    if (sign(n) !== sign(previous) && sign(n) !== 0) {
      let low = previous;
      let high = n;
      for (let j = 0; j < 60; j++) {
        const mid = Math.sqrt(low * high);
        if (sign(mid) === sign(low)) low = mid;
        else high = mid;
      }
      return Math.round(high);
    }
    previous = n;
  }
  return undefined;
}

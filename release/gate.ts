// The release gate (release/gate.yaml) and its schema. The chart's templates read the same file
// through the chart's `release` link (test/infra/rollout.test.ts validates it here first); the
// Lambda packaging loads it through this module (serverless/release-gate.cjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

export const GATE_FILE = join('release', 'gate.yaml');

const step = z.strictObject({ weight: z.number().int().min(1).max(99), pauseMinutes: z.number().int().min(1) });

export const GateSpec = z
  .strictObject({
    maxErrorRate: z.number().gt(0).lt(1),
    maxP99Seconds: z.number().positive(),
    minRequests: z.number().int().min(1),
    windowMinutes: z.number().int().min(1).max(60),
    steps: z.array(step).min(1),
  })
  .superRefine((gate, context) => {
    const [first] = gate.steps;
    const pauses = new Set(gate.steps.map((candidate) => candidate.pauseMinutes));
    // CodeDeploy shifts a Lambda alias in one canary step or in equal linear steps, equally spaced.
    const linear = gate.steps.every((candidate, index) => candidate.weight === first!.weight * (index + 1)) && (first!.weight * (gate.steps.length + 1) >= 100);
    if (pauses.size !== 1) context.addIssue({ code: 'custom', path: ['steps'], message: 'every step must pause as long: CodeDeploy spaces its steps equally' });
    if (gate.steps.length > 1 && !linear) context.addIssue({ code: 'custom', path: ['steps'], message: 'steps must be one canary step or equal linear steps (w, 2w, 3w, …): CodeDeploy expresses nothing else' });
    if (first && first.pauseMinutes < gate.windowMinutes) context.addIssue({ code: 'custom', path: ['steps'], message: 'a step must last at least the observation window, or its verdict reads the step before' });
  });
export type Gate = z.infer<typeof GateSpec>;

export function parseGate(text: string): Gate {
  return GateSpec.parse(parse(text));
}

export function loadGate(path = GATE_FILE): Gate {
  return parseGate(readFileSync(path, 'utf8'));
}

/** CodeDeploy's TrafficRoutingConfig for the gate's steps (AWS::CodeDeploy::DeploymentConfig). */
export function codeDeployTrafficRouting(gate: Gate): Record<string, unknown> {
  const [first] = gate.steps;
  if (gate.steps.length === 1) {
    return { Type: 'TimeBasedCanary', TimeBasedCanary: { CanaryPercentage: first!.weight, CanaryInterval: first!.pauseMinutes } };
  }
  return { Type: 'TimeBasedLinear', TimeBasedLinear: { LinearPercentage: first!.weight, LinearInterval: first!.pauseMinutes } };
}

/** The traffic share on the new version at each minute boundary CodeDeploy acts on, ending at 100. */
export function codeDeployWeights(gate: Gate): number[] {
  const routing = codeDeployTrafficRouting(gate) as { Type: string; TimeBasedLinear?: { LinearPercentage: number }; TimeBasedCanary?: { CanaryPercentage: number } };
  if (routing.TimeBasedCanary) return [routing.TimeBasedCanary.CanaryPercentage, 100];
  const weights: number[] = [];
  for (let weight = routing.TimeBasedLinear!.LinearPercentage; weight < 100; weight += routing.TimeBasedLinear!.LinearPercentage) weights.push(weight);
  return [...weights, 100];
}

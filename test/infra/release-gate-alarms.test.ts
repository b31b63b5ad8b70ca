import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../core/ports/metrics.js';
import { loadGate } from '../../release/gate.js';
import { gateAlarms } from '../../release/lambda-gate.js';
import { evaluateAlarm, type AlarmProperties, type Samples } from './cloudwatch-alarm.js';
import { MINUTES, SCENARIOS, gateVerdict, type GateRule, type Scenario, type Traffic } from './release-scenarios.js';

/*
 * The gate's CloudWatch alarms, as release/lambda-gate.ts generates them for every function (the
 * packaging tests hold the packaged templates to the same definitions), evaluated over the series
 * the promtool test uses, as the datapoints the new and the old function version write in EMF.
 */
const gate = loadGate();
const FUNCTION = 'duet-prod-tasks';
const NEW = '7';
const OLD = '6';
const RULES: Record<string, GateRule> = { errorRate: 'error-rate', p99Latency: 'p99-latency' };
const alarms = gateAlarms(gate, { name: FUNCTION, version: NEW, alarmPrefix: FUNCTION }) as unknown as Record<string, AlarmProperties>;

/** Raw EMF values per minute: one request count of 1 per request, one latency per request. */
function emfSamples(scenario: Scenario): Samples {
  const byVersion: Record<string, Traffic> = { [NEW]: scenario.canary, [OLD]: scenario.stable };
  return (metric, dimensions) => {
    const traffic = dimensions.function === FUNCTION ? byVersion[dimensions.functionVersion!] : undefined;
    if (!traffic) return undefined;
    const count = dimensions.statusClass === undefined ? traffic.perMinute : dimensions.statusClass === '5xx' ? traffic.errorsPerMinute : dimensions.statusClass === '2xx' ? traffic.perMinute - traffic.errorsPerMinute : 0;
    if (count === 0) return undefined;
    const minute = metric === METRIC_NAMES.requests ? Array<number>(count).fill(1) : Array<number>(count).fill(traffic.seconds);
    return Array.from({ length: MINUTES }, () => minute);
  };
}

/** The rules whose alarm enters ALARM once a full window of the scenario has been seen (CodeDeploy then rolls back). */
function failingRules(scenario: Scenario): GateRule[] {
  return Object.entries(alarms)
    .filter(([, alarm]) => evaluateAlarm(alarm, emfSamples(scenario), gate.windowMinutes, MINUTES).some(Boolean))
    .map(([name]) => RULES[name]!);
}

describe('the Lambda alarms over the promtool scenarios as CloudWatch datapoints', () => {
  it('are one alarm per rule of the spec', () => {
    expect(Object.keys(alarms).map((name) => RULES[name])).toEqual(['error-rate', 'p99-latency']);
  });

  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s gets the verdict the spec and promtool give it', (_, scenario) => {
    expect(scenario.failing).toEqual(gateVerdict(gate, scenario.canary));
    expect(failingRules(scenario)).toEqual(scenario.failing);
  });

  it('judge only the new version: the same errors on the old one set off nothing', () => {
    const [healthy] = SCENARIOS;
    const swapped: Scenario = { ...healthy!, canary: healthy!.stable, stable: { perMinute: 60, errorsPerMinute: 60, seconds: 2 } };
    expect(failingRules(swapped)).toEqual([]);
  });

  it('give no verdict below minRequests, and judge once the window holds enough', () => {
    const minimum = Math.ceil(gate.minRequests / gate.windowMinutes);
    const failing = (perMinute: number) => failingRules({ ...SCENARIOS[0]!, canary: { perMinute, errorsPerMinute: perMinute, seconds: 0.01 } });
    expect(failing(minimum - 1)).toEqual([]);
    expect(failing(minimum)).toEqual(['error-rate']);
  });
});

describe('the alarm evaluator (the model the tests above rely on)', () => {
  const alarm: AlarmProperties = {
    Metrics: [
      { Id: 'a', ReturnData: false, MetricStat: { Metric: { Namespace: 'duet', MetricName: 'm', Dimensions: [] }, Period: 120, Stat: 'Sum' } },
      { Id: 'e', ReturnData: true, Expression: 'IF(FILL(a, 0) >= 3, a / 2, 0)' },
    ],
    Threshold: 2,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    TreatMissingData: 'notBreaching',
  };

  it('sums over the period, applies IF and FILL, and compares with the threshold', () => {
    const samples: Samples = () => [[1], [1], [5], [], []];
    // minute 2: a = 2 (< 3) → 0; minute 3: a = 6 → 3 > 2; minute 4: a = 5 → 2.5; minute 5: no data → FILL → 0.
    expect(evaluateAlarm(alarm, samples, 2, 5)).toEqual([false, true, true, false]);
  });

  it('treats a missing result as the alarm says', () => {
    const missing = { ...alarm, Metrics: [alarm.Metrics[0]!, { Id: 'e', ReturnData: true, Expression: 'a / 0' }] };
    expect(evaluateAlarm(missing, () => [[1]], 1, 1)).toEqual([false]);
    expect(evaluateAlarm({ ...missing, TreatMissingData: 'breaching' }, () => [[1]], 1, 1)).toEqual([true]);
  });
});

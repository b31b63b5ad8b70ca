// Evaluates a CloudWatch metric-math alarm, as CloudFormation declares it, over raw datapoints:
// each MetricStat takes its Stat (Sum, SampleCount, pNN) over the Period ending at the evaluation
// minute; the Expression (the subset release/lambda-gate.ts writes: IF, FILL, comparisons,
// arithmetic) is computed per datapoint; a missing result follows TreatMissingData.
//
// Left out of CloudWatch's semantics: periods aligned to the clock (here they end at each evaluated
// minute), late datapoints and evaluation delay, percentiles from EMF's value distributions (here
// nearest rank over the raw values), M-of-N over several periods (the gate's alarms use 1 of 1),
// INSUFFICIENT_DATA as a state of its own, and metric math functions the gate does not use.

export type Samples = (metric: string, dimensions: Record<string, string>) => number[][] | undefined;

interface MetricQuery {
  Id: string;
  ReturnData?: boolean;
  Expression?: string;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] }; Period: number; Stat: string };
}
export interface AlarmProperties {
  Metrics: MetricQuery[];
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  TreatMissingData: string;
}

type Value = number | undefined;

function stat(values: number[], name: string): Value {
  if (!values.length) return undefined;
  if (name === 'Sum') return values.reduce((sum, value) => sum + value, 0);
  if (name === 'SampleCount') return values.length;
  const percentile = /^p(\d+(?:\.\d+)?)$/.exec(name);
  if (!percentile) throw new Error(`statistic ${name} is not modelled`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((Number(percentile[1]) / 100) * sorted.length) - 1)];
}

/** A tiny recursive-descent reader for the metric math the gate writes. */
function evaluate(expression: string, variables: Record<string, Value>): Value {
  const tokens = expression.match(/\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|>=|<=|==|!=|[()+\-*/,<>]/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (expected && token !== expected) throw new Error(`expected ${expected} in ${expression}, got ${token}`);
    return token!;
  };
  const binary = (a: Value, b: Value, apply: (x: number, y: number) => number): Value => (a === undefined || b === undefined ? undefined : apply(a, b));
  const comparison = (): Value => {
    const left = sum();
    const operator = peek();
    if (!operator || !['>=', '<=', '>', '<', '==', '!='].includes(operator)) return left;
    take();
    const right = sum();
    const compare: Record<string, (x: number, y: number) => boolean> = { '>=': (x, y) => x >= y, '<=': (x, y) => x <= y, '>': (x, y) => x > y, '<': (x, y) => x < y, '==': (x, y) => x === y, '!=': (x, y) => x !== y };
    return binary(left, right, (x, y) => (compare[operator]!(x, y) ? 1 : 0));
  };
  const sum = (): Value => {
    let value = product();
    while (peek() === '+' || peek() === '-') value = take() === '+' ? binary(value, product(), (x, y) => x + y) : binary(value, product(), (x, y) => x - y);
    return value;
  };
  const product = (): Value => {
    let value = primary();
    // CloudWatch: dividing by zero gives no datapoint.
    while (peek() === '*' || peek() === '/') value = take() === '*' ? binary(value, primary(), (x, y) => x * y) : ((a, b) => (a === undefined || b === undefined || b === 0 ? undefined : a / b))(value, primary());
    return value;
  };
  const primary = (): Value => {
    const token = take();
    if (token === '(') {
      const value = comparison();
      take(')');
      return value;
    }
    if (/^\d/.test(token)) return Number(token);
    if (token === 'FILL' || token === 'IF') {
      take('(');
      const args = [comparison()];
      while (peek() === ',') {
        take();
        args.push(comparison());
      }
      take(')');
      if (token === 'FILL') return args[0] ?? args[1];
      return args[0] === undefined ? undefined : args[0] !== 0 ? args[1] : args[2];
    }
    if (!(token in variables)) throw new Error(`unknown id ${token} in ${expression}`);
    return variables[token];
  };
  const value = comparison();
  if (at !== tokens.length) throw new Error(`cannot read ${expression}`);
  return value;
}

/** The alarm's state after each minute from `from` to `to`: true where it is in ALARM. */
export function evaluateAlarm(alarm: AlarmProperties, samples: Samples, from: number, to: number): boolean[] {
  if (alarm.EvaluationPeriods !== 1 || alarm.DatapointsToAlarm !== 1) throw new Error('only 1-of-1 alarms are modelled');
  const compare: Record<string, (x: number, y: number) => boolean> = {
    GreaterThanThreshold: (x, y) => x > y,
    GreaterThanOrEqualToThreshold: (x, y) => x >= y,
    LessThanThreshold: (x, y) => x < y,
    LessThanOrEqualToThreshold: (x, y) => x <= y,
  };
  const states: boolean[] = [];
  for (let minute = from; minute <= to; minute++) {
    const variables: Record<string, Value> = {};
    let result: Value;
    for (const query of alarm.Metrics) {
      let value: Value;
      if (query.MetricStat) {
        const { Metric, Period, Stat } = query.MetricStat;
        const perMinute = samples(Metric.MetricName, Object.fromEntries(Metric.Dimensions.map((dimension) => [dimension.Name, dimension.Value]))) ?? [];
        value = stat(perMinute.slice(Math.max(0, minute - Period / 60), minute).flat(), Stat);
      } else {
        value = evaluate(query.Expression!, variables);
      }
      variables[query.Id] = value;
      if (query.ReturnData) result = value;
    }
    const breaching = result === undefined ? alarm.TreatMissingData === 'breaching' : compare[alarm.ComparisonOperator]!(result, alarm.Threshold);
    states.push(breaching);
  }
  return states;
}

import { describe, expect, it } from 'vitest';
import { traceContext } from '../../core/http/trace.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('traceContext', () => {
  it('continues the trace of a W3C traceparent, with a new span and the same flags', () => {
    // Act
    const trace = traceContext({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-00` });

    // Assess
    expect(trace.traceId).toBe(TRACE_ID);
    expect(trace.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-(?!00f067aa0ba902b7)[0-9a-f]{16}-00$`));
  });

  it("takes the trace id from API Gateway's X-Amzn-Trace-Id Root when there is no traceparent", () => {
    // Act
    const trace = traceContext({ 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' });

    // Assess
    expect(trace.traceId).toBe('5759e988bd862e3fe1be46a994272793');
  });

  it('prefers traceparent over X-Amzn-Trace-Id', () => {
    // Act
    const trace = traceContext({
      traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });

    // Assess
    expect(trace.traceId).toBe(TRACE_ID);
  });

  it.each(['garbage', `01-${TRACE_ID}-00f067aa0ba902b7-01`, `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `00-${TRACE_ID}-${'0'.repeat(16)}-01`])(
    'starts a new trace for the invalid traceparent %s',
    (traceparent) => {
      // Act
      const trace = traceContext({ traceparent });

      // Assess
      expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(trace.traceId).not.toBe(TRACE_ID);
      expect(trace.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    },
  );

  it('starts a new trace with a span id of its own, not a slice of the trace id', () => {
    // Act
    const traces = Array.from({ length: 20 }, () => traceContext({}));

    // Assess
    for (const { traceId, traceparent } of traces) {
      const [, trace, span] = traceparent.split('-');
      expect(trace).toBe(traceId);
      expect(traceId).not.toContain(span);
    }
    expect(new Set(traces.map((trace) => trace.traceId)).size).toBe(20);
  });
});

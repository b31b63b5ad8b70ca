import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ensurePortFree, exitOnStartupFailure, JAVA_MISSING_MESSAGE, JavaMissingError, PortInUseError } from '../../scripts/local-stack.js';

class Exited extends Error {}

/** What exitOnStartupFailure prints and the code it exits with, without exiting the test. */
function failure(error: unknown, command: string, args: string[]): { message: string; code: unknown } {
  const printed: unknown[] = [];
  vi.spyOn(console, 'error').mockImplementation((line) => void printed.push(line));
  let code: unknown;
  vi.spyOn(process, 'exit').mockImplementation(((exitCode: unknown) => {
    code = exitCode;
    throw new Exited();
  }) as never);
  expect(() => exitOnStartupFailure(error, command, args)).toThrow(Exited);
  return { message: printed.join('\n'), code };
}

async function listening(port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, port: (server.address() as { port: number }).port };
}

afterEach(() => vi.restoreAllMocks());

describe('startup failures of npm start and npm run dev:lambda', () => {
  it('turns the server\'s own EADDRINUSE into the command to run on the next port', async () => {
    // Prepare: the error Node raises when a second server listens on a taken port
    const { server, port } = await listening();
    const error = await listening(port).then(
      () => undefined,
      (listenError: unknown) => listenError,
    );
    server.close();

    // Act
    const { message, code } = failure(error, 'npm start', ['--memory']);

    // Assess
    expect(code).toBe(1);
    expect(message).toBe(
      `Port ${port} on 127.0.0.1 is already in use (another server, or an earlier run still going?). Pick another port: PORT=${port + 1} npm start -- --memory`,
    );
  });

  it('finds a taken port before anything slow starts', async () => {
    const { server, port } = await listening();
    try {
      await expect(ensurePortFree(port, '127.0.0.1')).rejects.toEqual(new PortInUseError(port, '127.0.0.1'));
      expect(failure(new PortInUseError(port, '127.0.0.1'), 'npm run dev:lambda', []).message).toContain(`PORT=${port + 1} npm run dev:lambda`);
    } finally {
      server.close();
    }
  });

  it('says what to install when Java is missing, and prints other errors as their message alone', () => {
    expect(failure(new JavaMissingError('java was not found on PATH'), 'npm start', []).message).toBe(JAVA_MISSING_MESSAGE);
    expect(failure(new Error('DynamoDB Local did not start'), 'npm start', []).message).toBe('DynamoDB Local did not start');
  });
});

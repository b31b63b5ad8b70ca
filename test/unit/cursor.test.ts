import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, type CursorPosition } from '../../core/adapters/cursor.js';
import { ValidationError } from '../../core/domain/errors.js';
import { caught } from '../support/fixtures.js';

const ID = '01HZX3Y8V0000000000000000A';
const OTHER = '01HZX3Y8V0000000000000000B';
const encodeRaw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('encodeCursor and decodeCursor', () => {
  it('round-trip a position of an unfiltered list', () => {
    // Prepare
    const position: CursorPosition = { status: null, sk: `TASK#${ID}` };

    // Act
    const decoded = decodeCursor(encodeCursor(position), undefined);

    // Assess
    expect(decoded).toEqual(position);
  });

  it('round-trip a position of a list filtered by status', () => {
    // Prepare
    const position: CursorPosition = { status: 'done', sk: `TASK#${ID}`, gsi1sk: `2026-01-01T00:00:00.000Z#${ID}` };

    // Act
    const decoded = decodeCursor(encodeCursor(position), 'done');

    // Assess
    expect(decoded).toEqual(position);
  });

  it('round-trip a position inside a task’s attachments', () => {
    // Prepare
    const position: CursorPosition = { status: null, sk: `TASK#${ID}#ATT#${OTHER}` };

    // Act
    const decoded = decodeCursor(encodeCursor(position), undefined);

    // Assess
    expect(decoded).toEqual(position);
  });

  it('encodes to URL-safe characters only', () => {
    // Prepare
    const position: CursorPosition = { status: 'in_progress', sk: `TASK#${ID}`, gsi1sk: `2026-01-01T00:00:00.000Z#${ID}` };

    // Act
    const cursor = encodeCursor(position);

    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('decodeCursor', () => {
  it.each([
    ['garbage', '!!!not a cursor!!!'],
    ['base64 of text that is not JSON', Buffer.from('hello').toString('base64url')],
    ['base64 of a JSON array', encodeRaw([1, 2])],
    ['an empty string', ''],
  ])('rejects %s with a validation error on the cursor', (_name, cursor) => {
    // Prepare
    const input = cursor;

    // Act
    const error = caught(() => decodeCursor(input, undefined));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });

  it('rejects a cursor of a status-filtered list used without the filter', () => {
    // Prepare
    const cursor = encodeCursor({ status: 'done', sk: `TASK#${ID}`, gsi1sk: `2026-01-01T00:00:00.000Z#${ID}` });

    // Act
    const error = caught(() => decodeCursor(cursor, undefined));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('rejects a cursor of one status used with another status', () => {
    // Prepare
    const cursor = encodeCursor({ status: 'done', sk: `TASK#${ID}`, gsi1sk: `2026-01-01T00:00:00.000Z#${ID}` });

    // Act
    const error = caught(() => decodeCursor(cursor, 'todo'));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('rejects an unfiltered cursor used with a status filter', () => {
    // Prepare
    const cursor = encodeCursor({ status: null, sk: `TASK#${ID}` });

    // Act
    const error = caught(() => decodeCursor(cursor, 'todo'));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('rejects a status cursor that lacks its index position', () => {
    // Prepare
    const cursor = encodeRaw({ status: 'todo', sk: `TASK#${ID}` });

    // Act
    const error = caught(() => decodeCursor(cursor, 'todo'));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('rejects an unfiltered cursor that carries an index position', () => {
    // Prepare
    const cursor = encodeRaw({ status: null, sk: `TASK#${ID}`, gsi1sk: `2026-01-01T00:00:00.000Z#${ID}` });

    // Act
    const error = caught(() => decodeCursor(cursor, undefined));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
  });

  it.each([
    ['a partition-key-like sort key', `TENANT#other#TASK#${ID}`],
    ['a sort key with a suffix', `TASK#${ID}#x`],
    ['a sort key that is not a task', `IDEMPOTENCY#${ID}`],
    ['a sort key with a lower-case id', `TASK#${ID.toLowerCase()}`],
  ])('rejects a cursor tampered to hold %s', (_name, sk) => {
    // Prepare
    const cursor = encodeRaw({ status: null, sk });

    // Act
    const error = caught(() => decodeCursor(cursor, undefined));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('rejects a cursor carrying a partition key', () => {
    // Prepare
    const cursor = encodeRaw({ status: null, sk: `TASK#${ID}`, pk: 'TENANT#other' });

    // Act
    const error = caught(() => decodeCursor(cursor, undefined));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('rejects a tampered index position', () => {
    // Prepare
    const cursor = encodeRaw({ status: 'todo', sk: `TASK#${ID}`, gsi1sk: `TENANT#other#${ID}` });

    // Act
    const error = caught(() => decodeCursor(cursor, 'todo'));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
  });
});

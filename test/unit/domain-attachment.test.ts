import { describe, expect, it } from 'vitest';
import { CreateAttachmentInput, MAX_ATTACHMENT_BYTES, objectKey } from '../../core/domain/attachment.js';

const valid = { filename: 'notes.txt', contentType: 'text/plain', size: 5 };

describe('CreateAttachmentInput', () => {
  it('accepts a plain filename, a MIME type and a size', () => {
    // Prepare
    const input = { ...valid };

    // Act
    const result = CreateAttachmentInput.safeParse(input);

    // Assess
    expect(result.data).toEqual(valid);
  });

  it('accepts a filename with spaces, dots and non-ASCII letters', () => {
    // Prepare
    const input = { ...valid, filename: 'Résumé final v2.pdf' };

    // Act
    const result = CreateAttachmentInput.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    ['a forward slash', '../etc/passwd'],
    ['a backslash', 'dir\\file.txt'],
    ['a NUL byte', 'file\u0000.txt'],
    ['a newline', 'file\n.txt'],
    ['a DEL character', 'file\u007f.txt'],
    ['only a dot', '.'],
    ['only two dots', '..'],
    ['nothing', ''],
    ['256 characters', 'a'.repeat(256)],
  ])('rejects a filename with %s', (_name, filename) => {
    // Prepare
    const input = { ...valid, filename };

    // Act
    const result = CreateAttachmentInput.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });

  it('accepts a filename of 255 characters', () => {
    // Prepare
    const input = { ...valid, filename: 'a'.repeat(255) };

    // Act
    const result = CreateAttachmentInput.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each(['image/png', 'application/vnd.api+json', 'APPLICATION/PDF', 'application/x-tar'])('accepts the content type %s', (contentType) => {
    // Prepare
    const input = { ...valid, contentType };

    // Act
    const result = CreateAttachmentInput.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each(['png', 'image/', '/png', 'text/plain; charset=utf-8', 'image/png/extra', ''])('rejects the content type %j', (contentType) => {
    // Prepare
    const input = { ...valid, contentType };

    // Act
    const result = CreateAttachmentInput.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });

  it.each([0, MAX_ATTACHMENT_BYTES])('accepts a size of %i bytes', (size) => {
    // Prepare
    const input = { ...valid, size };

    // Act
    const result = CreateAttachmentInput.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([-1, MAX_ATTACHMENT_BYTES + 1, 1.5])('rejects a size of %d', (size) => {
    // Prepare
    const input = { ...valid, size };

    // Act
    const result = CreateAttachmentInput.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });

  it('caps attachments at 5 GiB, the limit of one S3 PutObject', () => {
    // Prepare
    const fiveGiB = 5 * 1024 * 1024 * 1024;

    // Act
    const limit = MAX_ATTACHMENT_BYTES;

    // Assess
    expect(limit).toBe(fiveGiB);
  });

  it.each(['a\u0085b', 'a\u009bb', 'a\u2028b', 'evil\u202Etxt.exe'])('rejects the disguising character in %j', (filename) => {
    // Act
    const parsed = CreateAttachmentInput.safeParse({ filename, contentType: 'text/plain', size: 1 });

    // Assess
    expect(parsed.success).toBe(false);
  });

  it('rejects unknown fields', () => {
    // Prepare
    const input = { ...valid, checksum: 'abc' };

    // Act
    const result = CreateAttachmentInput.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('objectKey', () => {
  it('places the object under its tenant and task', () => {
    // Prepare
    const [tenant, taskId, attachmentId] = ['public', '01HZX3Y8V0000000000000000A', '01HZX3Y8V0000000000000000B'];

    // Act
    const key = objectKey(tenant, taskId, attachmentId);

    // Assess
    expect(key).toBe('tenants/public/tasks/01HZX3Y8V0000000000000000A/01HZX3Y8V0000000000000000B');
  });

  it.each(['9c1b2f9e-1d1c-4a38-9d5e-2f7d0f8a1b2c', 'google-oauth2|1234', 'alice@example.com', 'a.b', '.x', 'user:1+2', 'A_b'])(
    'keeps the subject %j as it is, so keys of existing objects stay the same',
    (tenant) => {
      expect(objectKey(tenant, 'T', 'A')).toBe(`tenants/${tenant}/tasks/T/A`);
    },
  );

  it.each([
    ['.', '%2E'],
    ['..', '%2E%2E'],
    ['...', '%2E%2E%2E'],
    ['a/b', 'a%2Fb'],
    ['a\\b', 'a%5Cb'],
    ['50%', '50%25'],
    ['a b', 'a%20b'],
    ['a\nb', 'a%0Ab'],
    ['ü', '%C3%BC'],
  ])('escapes the tenant %j as one segment, %s', (tenant, segment) => {
    const key = objectKey(tenant, 'T', 'A');
    expect(key).toBe(`tenants/${segment}/tasks/T/A`);
    expect(key.split('/')).toHaveLength(5);
  });

  it('refuses an empty tenant', () => {
    expect(() => objectKey('', 'T', 'A')).toThrow();
  });
});

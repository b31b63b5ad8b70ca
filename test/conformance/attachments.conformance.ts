import { expect, it } from 'vitest';
import { expectProblem, type Call } from './client.js';

const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

export function attachmentsConformance(call: Call) {
  const createTask = async () => (await call('POST', '/v1/tasks', { body: { title: 'with files' } })).json;

  it('registers an attachment and answers 201 with a presigned PUT', async () => {
    const task = await createTask();
    const reply = await call('POST', `/v1/tasks/${task.id}/attachments`, { body: { filename: 'plan.pdf', contentType: 'application/pdf', size: 1234 } });
    expect(reply.status).toBe(201);
    expect(reply.json.attachment).toMatchObject({ taskId: task.id, filename: 'plan.pdf', contentType: 'application/pdf', size: 1234 });
    expect(reply.json.upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'application/pdf' } });
    expect(new URL(reply.json.upload.url).pathname).toMatch(new RegExp(`tenants/alice-[0-9a-f]{8}/tasks/${task.id}/${reply.json.attachment.id}`));
    expect(Date.parse(reply.json.upload.expiresAt)).toBeGreaterThan(Date.now());
    expect(reply.headers.get('location')).toBe(`/v1/tasks/${task.id}/attachments/${reply.json.attachment.id}`);
  });

  it('lists attachments with presigned GET URLs, and deletes one with 204', async () => {
    const task = await createTask();
    const created = (await call('POST', `/v1/tasks/${task.id}/attachments`, { body: { filename: 'a.txt', contentType: 'text/plain', size: 1 } })).json;
    const list = await call('GET', `/v1/tasks/${task.id}/attachments`);
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([{ ...created.attachment, downloadUrl: expect.any(String), downloadExpiresAt: expect.any(String) }]);
    expect((await call('DELETE', `/v1/tasks/${task.id}/attachments/${created.attachment.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/tasks/${task.id}/attachments`)).json.items).toEqual([]);
    expectProblem(await call('DELETE', `/v1/tasks/${task.id}/attachments/${created.attachment.id}`), 404, 'ATTACHMENT_NOT_FOUND');
  });

  it('answers 404 for attachments of a task that does not exist', async () => {
    expectProblem(await call('GET', `/v1/tasks/${MISSING_ID}/attachments`), 404, 'TASK_NOT_FOUND');
    expectProblem(
      await call('POST', `/v1/tasks/${MISSING_ID}/attachments`, { body: { filename: 'a.txt', contentType: 'text/plain', size: 1 } }),
      404,
      'TASK_NOT_FOUND',
    );
    expectProblem(await call('DELETE', `/v1/tasks/${MISSING_ID}/attachments/not-an-id`), 404);
  });

  it('rejects invalid attachment metadata with 400', async () => {
    const task = await createTask();
    const reply = await call('POST', `/v1/tasks/${task.id}/attachments`, {
      body: { filename: '../etc/passwd', contentType: 'not a type', size: -1 },
    });
    expectProblem(reply, 400, 'VALIDATION_FAILED');
    expect(reply.json.errors.map((error: { path: string }) => error.path).sort()).toEqual(['contentType', 'filename', 'size']);
    expect((await call('GET', `/v1/tasks/${task.id}/attachments`)).json.items).toEqual([]);
  });
}

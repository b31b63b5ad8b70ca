import { useEffect, useState } from 'preact/hooks';
import { api, upload } from './api.js';
import type { Attachment, Task } from './logic/types.js';

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`);

export function Attachments({ task, onClose, onError }: { task: Task; onClose: () => void; onError: (error: unknown) => void }) {
  const [items, setItems] = useState<Attachment[] | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [file, setFile] = useState<File | undefined>();
  const inputId = `file-${task.id}`;

  const load = () => api<{ items: Attachment[] }>('GET', `/v1/tasks/${task.id}/attachments`).then(({ data }) => setItems(data.items), onError);
  useEffect(() => void load(), [task.id]);

  async function send(event: Event) {
    event.preventDefault();
    if (!file) return;
    setProgress(0);
    try {
      const { data } = await api<{ upload: { url: string; headers: Record<string, string> } }>('POST', `/v1/tasks/${task.id}/attachments`, {
        body: { filename: file.name, contentType: file.type || 'application/octet-stream', size: file.size },
      });
      await upload(data.upload.url, data.upload.headers, file, setProgress);
      setFile(undefined);
      (document.getElementById(inputId) as HTMLInputElement | null)?.form?.reset();
      await load();
    } catch (error) {
      onError(error);
    } finally {
      setProgress(undefined);
    }
  }

  return (
    <div class="files" role="group" aria-label={`Attachments of ${task.title}`}>
      <ul aria-busy={items === undefined}>
        {items === undefined && <li class="muted">Loading…</li>}
        {items?.length === 0 && <li class="muted">No attachments yet.</li>}
        {items?.map((item) => (
          <li key={item.id}>
            <a href={item.downloadUrl} download={item.filename}>{item.filename}</a> <span class="muted">{size(item.size)}</span>
          </li>
        ))}
      </ul>
      <form class="upload" onSubmit={send}>
        <label for={inputId}>File</label>
        <input id={inputId} type="file" onChange={(event) => setFile(event.currentTarget.files?.[0])} />
        <button type="submit" class="primary" disabled={!file || progress !== undefined}>Upload</button>
        {progress !== undefined && (
          <progress max={1} value={progress} aria-label="Upload progress">
            {Math.round(progress * 100)}%
          </progress>
        )}
      </form>
      <button type="button" class="link" onClick={onClose}>Close attachments</button>
    </div>
  );
}

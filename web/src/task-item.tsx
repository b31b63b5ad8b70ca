import { useState } from 'preact/hooks';
import { api, ApiError } from './api.js';
import { Attachments } from './attachments.js';
import { describeConflict, draftOf, mergePatch, parseTags, reapply, shown, type Draft } from './logic/conflict.js';
import { PRIORITIES, STATUSES, type Priority, type Status, type Task } from './logic/types.js';

type Mode = 'view' | 'edit' | 'delete' | 'files';
const statusLabel = (status: Status) => STATUSES.find((item) => item.value === status)!.label;
const etag = (version: number) => `"${version}"`;
/** A stable ref callback: Preact calls it once when the element mounts (and with null when it goes). */
const focusOnMount = (element: HTMLElement | null) => {
  element?.focus();
};

export function TaskItem({ task, onChanged, onError }: { task: Task; onChanged: (id: string, task?: Task) => void; onError: (error: unknown) => void }) {
  const [mode, setMode] = useState<Mode>('view');
  const titleId = `task-${task.id}`;
  return (
    <li class="task" aria-labelledby={titleId}>
      <div class="task-head">
        <h3 id={titleId}>{task.title}</h3>
        <span class={`badge ${task.status}`}>{statusLabel(task.status)}</span>
      </div>
      <p class="meta">
        <span>Priority {task.priority}</span>
        {task.dueAt && <span>Due {task.dueAt.slice(0, 10)}</span>}
        {task.tags.map((tag) => (
          <span key={tag} class="tag">#{tag}</span>
        ))}
      </p>
      {task.description && mode !== 'edit' && <p class="description">{task.description}</p>}
      {mode === 'view' && (
        <div class="actions">
          <button type="button" class="secondary" onClick={() => setMode('edit')} aria-label={`Edit ${task.title}`}>Edit</button>
          <button type="button" class="secondary" onClick={() => setMode('files')} aria-label={`Attachments of ${task.title}`}>Attachments</button>
          <button type="button" class="danger" onClick={() => setMode('delete')} aria-label={`Delete ${task.title}`}>Delete</button>
        </div>
      )}
      {mode === 'edit' && (
        <EditForm
          task={task}
          onDone={(updated) => {
            setMode('view');
            if (updated) onChanged(task.id, updated);
          }}
          onError={onError}
        />
      )}
      {mode === 'delete' && <ConfirmDelete task={task} onDone={(deleted) => (deleted ? onChanged(task.id) : setMode('view'))} onError={onError} />}
      {mode === 'files' && <Attachments task={task} onClose={() => setMode('view')} onError={onError} />}
    </li>
  );
}

function ConfirmDelete({ task, onDone, onError }: { task: Task; onDone: (deleted: boolean) => void; onError: (error: unknown) => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <div class="confirm" role="group" aria-label="Confirm delete">
      <p>Delete “{task.title}” and its attachments? This cannot be undone.</p>
      <button
        type="button"
        class="danger"
        disabled={busy}
        ref={focusOnMount}
        onClick={async () => {
          setBusy(true);
          try {
            await api('DELETE', `/v1/tasks/${task.id}`);
            onDone(true);
          } catch (error) {
            onError(error);
            setBusy(false);
          }
        }}
      >
        Yes, delete
      </button>
      <button type="button" class="secondary" onClick={() => onDone(false)}>Cancel</button>
    </div>
  );
}

function EditForm({ task, onDone, onError }: { task: Task; onDone: (updated?: Task) => void; onError: (error: unknown) => void }) {
  const [base, setBase] = useState<Draft>(() => draftOf(task));
  const [version, setVersion] = useState(task.version);
  const [draft, setDraft] = useState<Draft>(() => draftOf(task));
  const [tagText, setTagText] = useState(task.tags.join(', '));
  const [theirs, setTheirs] = useState<Task | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const mine = (): Draft => ({ ...draft, tags: parseTags(tagText) });

  async function save(from: Draft, to: Draft, ifMatch: number) {
    const patch = mergePatch(from, to);
    if (Object.keys(patch).length === 0) return onDone();
    setBusy(true);
    try {
      const { data } = await api<Task>('PATCH', `/v1/tasks/${task.id}`, { body: patch, headers: { 'if-match': etag(ifMatch) } });
      onDone(data);
    } catch (error) {
      if (error instanceof ApiError && error.problem.status === 412) {
        try {
          setTheirs((await api<Task>('GET', `/v1/tasks/${task.id}`)).data);
        } catch (reload) {
          onError(reload);
        }
      } else onError(error);
    } finally {
      setBusy(false);
    }
  }

  if (theirs) {
    const conflicts = describeConflict(base, mine(), theirs);
    return (
      <div class="conflict" role="alert" aria-labelledby={`conflict-${task.id}`}>
        <h4 id={`conflict-${task.id}`}>This task changed while you were editing it</h4>
        <table>
          <caption class="visually-hidden">Your changes and the server's</caption>
          <thead>
            <tr><th scope="col">Field</th><th scope="col">Yours</th><th scope="col">On the server now</th></tr>
          </thead>
          <tbody>
            {conflicts.map((row) => (
              <tr key={row.field} class={row.clash ? 'clash' : ''}>
                <th scope="row">{row.field}</th>
                <td>{shown(row.mine)}</td>
                <td>{shown(row.theirs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="actions">
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() => {
              const next = reapply(base, mine(), theirs);
              setBase(draftOf(theirs));
              setVersion(theirs.version);
              setTheirs(undefined);
              void save(draftOf(theirs), next, theirs.version);
            }}
          >
            Re-apply my changes
          </button>
          <button type="button" class="secondary" onClick={() => onDone(theirs)}>Discard mine, keep the server's</button>
        </div>
      </div>
    );
  }

  return (
    <form
      class="edit"
      onSubmit={(event) => {
        event.preventDefault();
        void save(base, mine(), version);
      }}
      onKeyDown={(event) => event.key === 'Escape' && onDone()}
    >
      <label class="wide">
        Title
        <input value={draft.title} onInput={(event) => set({ title: event.currentTarget.value })} required maxLength={200} ref={focusOnMount} />
      </label>
      <label class="wide">
        Description
        <textarea value={draft.description ?? ''} onInput={(event) => set({ description: event.currentTarget.value })} maxLength={4000} rows={3} />
      </label>
      <label>
        Status
        <select value={draft.status} onChange={(event) => set({ status: event.currentTarget.value as Status })}>
          {STATUSES.map((status) => (
            <option key={status.value} value={status.value}>{status.label}</option>
          ))}
        </select>
      </label>
      <label>
        Priority
        <select value={draft.priority} onChange={(event) => set({ priority: event.currentTarget.value as Priority })}>
          {PRIORITIES.map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
      </label>
      <label>
        Due
        <input type="date" value={draft.dueAt?.slice(0, 10) ?? ''} onInput={(event) => set({ dueAt: event.currentTarget.value ? `${event.currentTarget.value}T00:00:00Z` : '' })} />
      </label>
      <label>
        Tags
        <input value={tagText} onInput={(event) => setTagText(event.currentTarget.value)} />
      </label>
      <div class="actions wide">
        <button type="submit" class="primary" disabled={busy}>Save</button>
        <button type="button" class="secondary" onClick={() => onDone()}>Cancel</button>
      </div>
    </form>
  );
}

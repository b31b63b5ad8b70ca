import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from './api.js';
import { appendPage, EMPTY, matchesFilters, pageQuery, replaceTask, type Paged } from './logic/paging.js';
import { parseTags } from './logic/conflict.js';
import type { Problem } from './logic/problem.js';
import { PRIORITIES, STATUSES, type Priority, type Stats, type Task } from './logic/types.js';
import { ProblemBox } from './problem-box.js';
import { TaskItem } from './task-item.js';

const PAGE = 10;
export const problemOf = (error: unknown): Problem =>
  error instanceof ApiError ? error.problem : { title: 'Unexpected error', detail: error instanceof Error ? error.message : String(error), status: 0 };

export function Board() {
  const [filters, setFilters] = useState<{ status?: string; tag?: string }>({});
  const [list, setList] = useState<Paged>(EMPTY);
  const [loading, setLoading] = useState(true);
  const [stats, setStats] = useState<Stats | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();

  const report = (error: unknown) => setProblem(problemOf(error));
  const loadStats = () => api<Stats>('GET', '/v1/stats').then(({ data }) => setStats(data), report);

  // Only the latest request may fill the list: an older one (other filters) can answer after it.
  const latest = useRef(0);
  async function loadPage(from: Paged, cursor?: string) {
    const request = ++latest.current;
    setLoading(true);
    try {
      const { data } = await api<{ items: Task[]; nextCursor?: string }>('GET', `/v1/tasks?${pageQuery(filters, PAGE, cursor)}`);
      if (request === latest.current) setList(appendPage(from, data));
    } catch (error) {
      if (request === latest.current) report(error);
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }

  useEffect(() => {
    void loadPage(EMPTY);
  }, [filters.status, filters.tag]);
  useEffect(() => void loadStats(), []);

  const changed = (id: string, task?: Task) => {
    setList((current) => replaceTask(current, id, task && matchesFilters(task, filters) ? task : undefined));
    void loadStats();
  };

  return (
    <>
      <h1 class="visually-hidden">Task board</h1>
      {problem && <ProblemBox problem={problem} onDismiss={() => setProblem(undefined)} />}
      <StatsPanel stats={stats} />
      <CreateForm
        onCreated={(task) => {
          if (matchesFilters(task, filters)) setList((current) => ({ ...current, items: [task, ...current.items.filter((item) => item.id !== task.id)] }));
          void loadStats();
        }}
        onError={report}
      />
      <section class="card" aria-labelledby="list-title">
        <h2 id="list-title">Tasks</h2>
        <Filters value={filters} onChange={setFilters} />
        <ul class="tasks" aria-busy={loading}>
          {list.items.map((task) => (
            <TaskItem key={task.id} task={task} onChanged={changed} onError={report} />
          ))}
        </ul>
        <p class="list-foot" aria-live="polite">
          {loading ? 'Loading…' : list.items.length === 0 ? 'No tasks here yet.' : `${list.items.length} shown${list.done ? '' : ', more to load'}`}
        </p>
        {!list.done && !loading && (
          <button type="button" class="secondary" onClick={() => void loadPage(list, list.cursor)}>
            Load more
          </button>
        )}
      </section>
    </>
  );
}

function StatsPanel({ stats }: { stats: Stats | undefined }) {
  const cells: [string, number | undefined][] = [
    ['All', stats?.total],
    ...STATUSES.map(({ value, label }): [string, number | undefined] => [label, stats?.byStatus[value]]),
  ];
  return (
    <section class="card stats" aria-labelledby="stats-title">
      <h2 id="stats-title">Overview</h2>
      <dl>
        {cells.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value ?? '–'}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Filters({ value, onChange }: { value: { status?: string; tag?: string }; onChange: (next: { status?: string; tag?: string }) => void }) {
  const [tag, setTag] = useState(value.tag ?? '');
  return (
    <form
      class="filters"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        const trimmed = tag.trim().toLowerCase();
        onChange({ ...(value.status && { status: value.status }), ...(trimmed && { tag: trimmed }) });
      }}
    >
      <label>
        Status
        <select value={value.status ?? ''} onChange={(event) => onChange({ ...(value.tag && { tag: value.tag }), ...(event.currentTarget.value && { status: event.currentTarget.value }) })}>
          <option value="">Any</option>
          {STATUSES.map((status) => (
            <option key={status.value} value={status.value}>
              {status.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Tag
        <input value={tag} onInput={(event) => setTag(event.currentTarget.value)} placeholder="e.g. home" />
      </label>
      <button type="submit" class="secondary">Filter</button>
    </form>
  );
}

function CreateForm({ onCreated, onError }: { onCreated: (task: Task) => void; onError: (error: unknown) => void }) {
  const [title, setTitle] = useState('');
  const [tags, setTags] = useState('');
  const [priority, setPriority] = useState<Priority>('medium');
  const [busy, setBusy] = useState(false);
  return (
    <section class="card" aria-labelledby="create-title">
      <h2 id="create-title">New task</h2>
      <form
        class="create"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          try {
            const { data } = await api<Task>('POST', '/v1/tasks', { body: { title, tags: parseTags(tags), priority } });
            onCreated(data);
            setTitle('');
            setTags('');
          } catch (error) {
            onError(error);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label class="grow">
          Title
          <input value={title} onInput={(event) => setTitle(event.currentTarget.value)} required maxLength={200} />
        </label>
        <label>
          Tags
          <input value={tags} onInput={(event) => setTags(event.currentTarget.value)} placeholder="work, urgent" />
        </label>
        <label>
          Priority
          <select value={priority} onChange={(event) => setPriority(event.currentTarget.value as Priority)}>
            {PRIORITIES.map((value) => (
              <option key={value}>{value}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Add task
        </button>
      </form>
    </section>
  );
}

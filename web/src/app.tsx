import { useEffect, useState } from 'preact/hooks';
import { api, whenSessionEnds } from './api.js';
import { completeSignIn, configure, signIn, signOut, userName } from './auth.js';
import { Board } from './board.js';
import { ProblemBox } from './problem-box.js';
import type { Problem } from './logic/problem.js';

type Phase = { name: 'loading' } | { name: 'signed-out'; notice?: string } | { name: 'ready' } | { name: 'failed'; problem: Problem };

const failure = (error: unknown, title: string): Problem => ({ title, detail: error instanceof Error ? error.message : String(error), status: 0 });

export function App() {
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });

  useEffect(() => {
    whenSessionEnds(() => setPhase({ name: 'signed-out', notice: 'Your session has ended. Sign in again to go on.' }));
    (async () => {
      try {
        const { data: config } = await api<{ auth: { issuer: string; audience: string } }>('GET', '/config');
        await configure(config);
        setPhase((await completeSignIn()) ? { name: 'ready' } : { name: 'signed-out' });
      } catch (error) {
        setPhase({ name: 'failed', problem: (error as { problem?: Problem }).problem ?? failure(error, 'Sign-in failed') });
      }
    })();
  }, []);

  return (
    <>
      <header class="top">
        <span class="brand" aria-hidden="true">✓</span>
        <span class="name">duet</span>
        {phase.name === 'ready' && (
          <span class="who">
            <span class="user" title="Signed in as">{userName()}</span>
            <button type="button" class="secondary" onClick={signOut}>Sign out</button>
          </span>
        )}
      </header>
      <main class="shell" aria-busy={phase.name === 'loading'}>
        {phase.name === 'loading' && <p class="loading">Loading…</p>}
        {phase.name === 'signed-out' && (
          <section class="card signin" aria-labelledby="signin-title">
            <h1 id="signin-title">Your tasks, in one place</h1>
            {phase.notice && <p role="status" class="notice">{phase.notice}</p>}
            <p>Sign in to see and manage your tasks.</p>
            <button type="button" class="primary" onClick={() => void signIn()}>Sign in</button>
          </section>
        )}
        {phase.name === 'failed' && (
          <section class="card" aria-labelledby="failed-title">
            <h1 id="failed-title">Something went wrong</h1>
            <ProblemBox problem={phase.problem} />
            <button type="button" class="primary" onClick={() => void signIn().catch(() => location.assign('/'))}>Sign in again</button>
          </section>
        )}
        {phase.name === 'ready' && <Board />}
      </main>
    </>
  );
}

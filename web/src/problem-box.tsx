import { problemLines, type Problem } from './logic/problem.js';

/** Brings a new problem into view (a stable callback: Preact calls it once, when the box mounts). */
const reveal = (element: HTMLElement | null) => element?.scrollIntoView({ block: 'nearest' });

/** An API error as the user sees it: the problem's title and detail (and field errors), never blank. */
export function ProblemBox({ problem, onDismiss }: { problem: Problem; onDismiss?: () => void }) {
  return (
    <div class="problem" role="alert" ref={reveal}>
      <strong>{problem.title}</strong>
      {problemLines(problem).map((line) => (
        <p key={line}>{line}</p>
      ))}
      {onDismiss && (
        <button type="button" class="link" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}

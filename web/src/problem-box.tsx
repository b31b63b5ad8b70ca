import { problemLines, type Problem } from './logic/problem.js';

/** An API error as the user sees it: the problem's title and detail (and field errors), never blank. */
export function ProblemBox({ problem, onDismiss }: { problem: Problem; onDismiss?: () => void }) {
  return (
    <div class="problem" role="alert">
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

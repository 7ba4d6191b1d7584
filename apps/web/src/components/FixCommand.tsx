import { CopyButton } from './CopyButton.tsx';

/** A fix command, wrapped in monospace so no part of it (the MAC, often) hides past the edge, and its copy button. */
export function FixCommand({ fix }: { readonly fix: string }) {
  return (
    <div className="fix" data-testid="fix">
      <pre>{fix}</pre>
      <CopyButton text={fix} label="copy fix" />
    </div>
  );
}

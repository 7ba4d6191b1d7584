import { RETRY_MS } from '../hooks/useServerReachable.ts';

/** Says the server stopped answering, since when, and that hoplens keeps asking. */
export function ServerBanner({ since }: { readonly since: number | undefined }) {
  return (
    <div className="server-banner" role="alert" data-testid="server-banner">
      Cannot reach the hoplens server{since === undefined ? '' : ` since ${new Date(since).toLocaleTimeString()}`}.
      Retrying every {RETRY_MS / 1000} s; this page picks up where it was when the server answers.
    </div>
  );
}

/** A snapshot id this server does not have (mistyped, from another server, or removed by retention). */
export function SnapshotNotFound({ id, onHome }: { readonly id: string; readonly onHome: () => void }) {
  return (
    <main className="home not-found" data-testid="snapshot-not-found">
      <h1>No such snapshot</h1>
      <p>
        This server has no snapshot <code>{id}</code>. The link may be mistyped, come from another hoplens server, or
        name a snapshot that retention removed (a shared link's snapshot is kept when it is shared with "share").
      </p>
      <p>
        <a
          href="/"
          onClick={(e) => {
            e.preventDefault();
            onHome();
          }}
        >
          See the snapshots this server has
        </a>
      </p>
    </main>
  );
}

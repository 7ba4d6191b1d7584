import { isSnapshotId, type SnapshotSummary } from '@hoplens/model';
import { useTheme } from '../hooks/useTheme.ts';
import { useCollect } from '../hooks/useCollect.ts';
import { useImport } from '../hooks/useImport.ts';
import { useLiveSnapshots } from '../hooks/useLiveSnapshots.ts';
import { LiveNotice } from './LiveNotice.tsx';
import { FindingNotice } from './FindingNotice.tsx';
import { ImportButton } from './ImportButton.tsx';
import { ImportError } from './ImportError.tsx';
import { useServerInfo, useSnapshots } from '../hooks/useSnapshots.ts';
import { useState } from 'react';
import { currentUrlState, useUrlState } from '../routing/useUrlState.ts';
import { carryView, type CarriedView } from '../routing/carryView.ts';
import { Dashboard } from './Dashboard.tsx';
import { SnapshotList } from './SnapshotList.tsx';
import { SnapshotPicker } from './SnapshotPicker.tsx';
import { TokenPrompt } from './TokenPrompt.tsx';
import { ApiError, ServerUnreachable } from '../api/client.ts';
import { useServerReachable } from '../hooks/useServerReachable.ts';
import { useSharedToken } from '../hooks/useSharedToken.ts';
import { movedOn } from '../routing/movedOn.ts';
import { EMPTY_URL_STATE } from '../routing/urlState.ts';
import { CollectProgress } from './CollectProgress.tsx';
import { ServerBanner } from './ServerBanner.tsx';
import { SnapshotNotFound } from './SnapshotNotFound.tsx';

export function App() {
  const [url, setUrl] = useUrlState();
  const snapshots = useSnapshots();
  const info = useServerInfo();
  // Another snapshot starts from its own overview; the search filters stay.
  const open = (id: string) => setUrl({ ...EMPTY_URL_STATE, q: url.q, field: url.field, sev: url.sev, snapshot: id });
  // A new collection opens on the view the user had (pod, path, selection), checked there by the dashboard.
  const [carried, setCarried] = useState<CarriedView>();
  const collect = useCollect((id) => {
    const next = carryView(currentUrlState(), id);
    setCarried(next.carried);
    setUrl(next.url);
  });
  // An import opens where the user still is when it lands; one who went elsewhere meanwhile (another
  // snapshot, a pod's path) is offered it instead, never pulled away (each import remembers its own place).
  const [offered, setOffered] = useState<SnapshotSummary>();
  const importer = useImport((summary, { from }) => {
    if (movedOn(from, currentUrlState())) setOffered(summary);
    else open(summary.id);
  });
  const startImport = (file: File) => importer.mutate({ file, from: currentUrlState() });
  // One notice a snapshot: answered on the live stream's, the import's own offer goes too.
  const dropOffer = (id: string | undefined) => setOffered((o) => (o?.id === id ? undefined : o));
  const live = useLiveSnapshots();
  const server = useServerReachable();
  const [theme, toggleTheme] = useTheme();
  useSharedToken();
  const list = snapshots.data ?? [];
  // With --auth-reads, nothing can be shown without the token: the prompt is the page.
  const needsToken = [snapshots.error, info.error, collect.error, importer.error].some(
    (e) => e instanceof ApiError && e.status === 401,
  );
  const listError = snapshots.error instanceof ServerUnreachable || needsToken ? undefined : snapshots.error;
  const home = () => setUrl(EMPTY_URL_STATE);
  return (
    <div
      className="app"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        const file = e.dataTransfer.files[0];
        if (!file) return;
        e.preventDefault();
        startImport(file);
      }}
    >
      <header className="top">
        <a
          href="/"
          className="brand"
          onClick={(e) => {
            e.preventDefault();
            home();
          }}
        >
          hoplens
        </a>
        {url.snapshot && list.length > 0 && !needsToken && (
          <SnapshotPicker snapshots={list} value={url.snapshot} onChange={open} />
        )}
        <span className="spacer" />
        <ImportButton onFile={startImport} pending={importer.isPending} />
        {info.data?.canCollect && !needsToken && (
          <button type="button" onClick={() => collect.mutate()} disabled={collect.isPending} data-testid="collect">
            {collect.isPending ? 'Collecting…' : 'Collect now'}
          </button>
        )}
        {collect.error && !needsToken && <span className="error">{collect.error.message}</span>}
        <button
          type="button"
          onClick={toggleTheme}
          aria-pressed={theme === 'dark'}
          data-testid="theme-toggle"
          title="Switch between the light and the dark theme"
        >
          {theme === 'dark' ? '☀ light' : '☾ dark'}
        </button>
      </header>
      {!server.reachable && <ServerBanner since={server.since} />}
      {importer.error && !needsToken && (
        <ImportError
          file={importer.variables?.file.name ?? 'the file'}
          error={importer.error}
          onDismiss={importer.reset}
        />
      )}
      <CollectProgress running={collect.isPending} />
      {live.latest && live.latest.id !== url.snapshot && (
        <LiveNotice
          snapshot={live.latest}
          onOpen={(id) => {
            live.dismiss();
            dropOffer(id);
            open(id);
          }}
          onDismiss={() => {
            dropOffer(live.latest?.id);
            live.dismiss();
          }}
        />
      )}
      {offered && offered.id !== url.snapshot && offered.id !== live.latest?.id && (
        <LiveNotice
          snapshot={offered}
          onOpen={(id) => {
            setOffered(undefined);
            open(id);
          }}
          onDismiss={() => setOffered(undefined)}
        />
      )}
      {live.findings && (
        <FindingNotice
          event={live.findings}
          onCompare={(after, before) => {
            live.dismiss();
            setUrl({ ...EMPTY_URL_STATE, q: url.q, field: url.field, sev: url.sev, snapshot: after, vs: before });
          }}
          onDismiss={live.dismiss}
        />
      )}
      {listError && (
        <p className="error" role="alert">
          {listError.message}
        </p>
      )}
      {needsToken ? (
        <TokenPrompt />
      ) : url.snapshot && !isSnapshotId(url.snapshot) ? (
        <SnapshotNotFound id={url.snapshot} onHome={home} />
      ) : url.snapshot ? (
        <Dashboard
          key={url.snapshot}
          url={{ ...url, snapshot: url.snapshot }}
          snapshots={list}
          setUrl={setUrl}
          onHome={home}
          theme={theme}
          carried={carried?.to === url.snapshot ? carried : undefined}
        />
      ) : (
        <main className="home">
          <h1>Snapshots</h1>
          {snapshots.data ? (
            <SnapshotList snapshots={list} onOpen={open} />
          ) : (
            !listError && <p className="loading">Loading snapshots…</p>
          )}
        </main>
      )}
    </div>
  );
}

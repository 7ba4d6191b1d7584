import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  hostId,
  hostIdOfElement,
  parseElementId,
  podIdOfKey,
  podKey,
  SEVERITY_RANK,
  traceStop,
  type Pod,
  type SearchHit,
  type SnapshotSummary,
} from '@hoplens/model';
import { diffMarks } from '../graph/diffMarks.ts';
import type { GraphExport } from '../graph/graphExport.ts';
import { closedForRoom, groupOfHost, MAX_OPEN_GROUPS, withExpanded } from '../graph/groupIndex.ts';
import type { Highlight } from '../graph/highlight.ts';
import { pathElements } from '../graph/pathElements.ts';
import { clearPositions } from '../graph/savedPositions.ts';
import { useCompare } from '../hooks/useCompare.ts';
import { useBranchChoice } from '../hooks/useBranchChoice.ts';
import { usePodTrace } from '../hooks/usePodTrace.ts';
import { downloadPcap, useProbe, useRunProbe } from '../hooks/useProbe.ts';
import { useEscapeKey } from '../hooks/useShortcut.ts';
import { useServerInfo } from '../hooks/useSnapshots.ts';
import { useSnapshotView } from '../hooks/useSnapshotView.ts';
import type { UrlState } from '../routing/urlState.ts';
import type { CarriedView } from '../routing/carryView.ts';
import { useCarriedView } from '../hooks/useCarriedView.ts';
import { CarriedNotice } from './CarriedNotice.tsx';
import type { UrlWrite } from '../routing/useUrlState.ts';
import { CompareControl } from './CompareControl.tsx';
import { ComparePanel } from './ComparePanel.tsx';
import { ElementDetails } from './ElementDetails.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import { FindingsPanel } from './FindingsPanel.tsx';
import { GroupList } from './GroupList.tsx';
import { GraphView, type GraphFocus, type GraphTap } from './GraphView.tsx';
import { Legend } from './Legend.tsx';
import { OverviewBar } from './OverviewBar.tsx';
import { PathPanel } from './PathPanel.tsx';
import { PodList } from './PodList.tsx';
import { SearchBox } from './SearchBox.tsx';
import { SeverityCounts } from './SeverityCounts.tsx';
import { ShareButton } from './ShareButton.tsx';
import { TimelinePanel } from './TimelinePanel.tsx';
import { useTimeline } from '../hooks/useTimeline.ts';
import { useKeyboardFocus } from '../hooks/useKeyboardFocus.ts';
import { ApiError, ServerUnreachable } from '../api/client.ts';
import { SnapshotNotFound } from './SnapshotNotFound.tsx';
import { PreparingSnapshot } from './PreparingSnapshot.tsx';
import type { Theme } from '../theme/theme.ts';

/** Whether `vs` was made before `current` (unknown ones count as older, as a comparison usually is). */
const olderOrNewer = (snapshots: readonly SnapshotSummary[], vs: string, current: string): 'older' | 'newer' => {
  const at = (id: string) => snapshots.find((s) => s.id === id)?.createdAt ?? '';
  const [before, now] = [at(vs), at(current)];
  return before !== '' && now !== '' && Date.parse(before) > Date.parse(now) ? 'newer' : 'older';
};

interface Props {
  readonly url: UrlState & { snapshot: string };
  readonly snapshots: readonly SnapshotSummary[];
  readonly setUrl: (next: Partial<UrlState>, how?: UrlWrite) => void;
  /** Back to the list of snapshots. */
  readonly onHome: () => void;
  readonly theme: Theme;
  /** The view this snapshot opened with from the one before ("Collect now"), to check against it. */
  readonly carried?: CarriedView | undefined;
}

/** One snapshot: the graph, its findings, search, the selected pod's path, and a comparison. */
export function Dashboard({ url, snapshots, setUrl, onHome, theme, carried }: Props) {
  const { view: viewQuery, findings } = useSnapshotView(url.snapshot, url.expand);
  const traced = usePodTrace(url.snapshot, url.pod, url);
  // To a Service: one branch per endpoint; the chosen one's hops are the path drawn and listed.
  const branches = useBranchChoice(traced.data, url.branch, (branch) => setUrl({ branch }));
  const trace = { data: branches.shown, error: traced.error };
  const probe = useProbe(url.snapshot, url.probe);
  const runProbe = useRunProbe(url.snapshot, url.pod ?? '', url.to, (probeId) => setUrl({ probe: probeId }));
  const canProbe = useServerInfo().data?.canCollect === true;
  const compare = useCompare(url.vs, url.snapshot);
  const timeline = useTimeline(url.snapshot);
  const graphExport = useRef<GraphExport | null>(null);
  const [asked, setAsked] = useState<GraphFocus>();
  const side = useRef<HTMLElement>(null);
  // Each pick of a pod or destination asks for its path in view (so does a link without a viewport of
  // its own); the last ask, for a path or an element, is what the camera does.
  const [pathAsks, setPathAsks] = useState(url.viewport === undefined ? 1 : 0);
  const [lastAsk, setLastAsk] = useState<'path' | 'element'>('path');
  const setFocus = (f: GraphFocus) => {
    setAsked(f);
    setLastAsk('element');
  };
  const askPath = () => {
    setPathAsks((n) => n + 1);
    setLastAsk('path');
  };
  const [layoutEpoch, setLayoutEpoch] = useState(0);
  const [arpLabels, setArpLabels] = useState(true);

  const view = viewQuery.data;
  const gone = useCarriedView(carried, view, traced, setUrl);
  const [goneSeen, setGoneSeen] = useState(false);
  const pickedPod = useKeyboardFocus(
    view !== undefined && findings.data !== undefined,
    trace.data,
    url.pod !== undefined,
  );
  const overview = view?.mode === 'overview';
  // A group closed to make room for another is said, not done silently (kept until dismissed or replaced).
  const expandKey = url.expand.join(',');
  const [lastExpand, setLastExpand] = useState(url.expand);
  const [closedNote, setClosedNote] = useState<readonly string[]>([]);
  if (lastExpand.join(',') !== expandKey) {
    const closed = closedForRoom(lastExpand, url.expand);
    setLastExpand(url.expand);
    if (closed.length > 0) setClosedNote(closed);
  }
  const groups = useMemo(() => (view ? groupOfHost(view) : new Map<string, string>()), [view]);
  const drawn = useMemo(() => new Set(view?.graph.nodes.map((n) => n.id)), [view]);
  /** The hosts of a drawn pod, through the namespaces it is in (a pod not drawn is opened by its path). */
  const podHosts = (key: string): string[] => {
    const id = podIdOfKey(key);
    return (view?.graph.edges ?? []).flatMap((e) =>
      e.kind === 'contains' && e.source === id ? (hostIdOfElement(e.target) ?? []) : [],
    );
  };
  /** The expand list that also shows these hosts (unchanged in a full view, where all is shown). */
  const expandedWith = useCallback(
    (hosts: readonly string[]): readonly string[] => {
      if (!overview) return url.expand;
      const wanted = hosts.flatMap((h) => groups.get(h) ?? []);
      return withExpanded(url.expand, wanted);
    },
    [overview, groups, url.expand],
  );

  /** The hosts an element lives on: a pod's through its namespaces, anything else's from its id. */
  const hostsOfElement = (id: string): string[] => {
    const parsed = parseElementId(id);
    if (parsed?.kind === 'pod') return podHosts(parsed.key);
    const host = hostIdOfElement(id);
    return host === undefined ? [] : [host];
  };
  const show = (id: string, hosts?: readonly string[]) => {
    setUrl({ sel: id, expand: expandedWith(hosts ?? hostsOfElement(id)) });
    setFocus({ id });
  };
  const selectPod = (key: string, hosts: readonly string[] = podHosts(key)) => {
    pickedPod();
    const id = podIdOfKey(key);
    setUrl({
      pod: key,
      to: 'node',
      proto: 'icmp',
      port: undefined,
      branch: undefined,
      probe: undefined,
      sel: id,
      expand: expandedWith(hosts),
    });
    askPath();
    // The path panel opens at the top of the side panel: its verdict and drop are what was asked for.
    side.current?.scrollTo({ top: 0 });
  };
  /** Expands a group and fits the camera to it, once it is drawn open (pod VMs and pods included). */
  const openGroup = (id: string) => {
    const hosts = view?.groups.find((g) => g.id === id)?.hosts ?? [];
    setUrl({ sel: id, expand: withExpanded(url.expand, [id]) });
    setFocus({ id, with: hosts, opening: true });
  };
  const onTap = (tap: GraphTap) => {
    if (tap.kind === 'pod') selectPod(tap.key);
    else if (tap.kind === 'expand') openGroup(tap.id);
    else setUrl({ sel: tap.id });
  };

  // A path crosses hosts: in an overview, the groups it passes through open to show it, once per trace
  // (a path through more groups than may be open would otherwise open and close them in turn).
  const openedFor = useRef<unknown>(undefined);
  useEffect(() => {
    if (!overview || !trace.data || openedFor.current === trace.data) return;
    openedFor.current = trace.data;
    const hosts = trace.data.hops.flatMap((h) => hostIdOfElement(h.element) ?? []);
    const next = expandedWith(hosts);
    if (next.length !== url.expand.length || next.some((g, i) => g !== url.expand[i]))
      setUrl({ expand: next }, 'replace');
  }, [overview, trace.data, expandedWith, url.expand, setUrl]);

  const path = useMemo(
    () => (view && trace.data && url.pod ? pathElements(view.graph, trace.data, podIdOfKey(url.pod)) : undefined),
    [view, trace.data, url.pod],
  );
  // The whole path in view, where it stops included (the pod alone when it cannot be traced), once per ask:
  // not again when a group opens later.
  const pathFocus = useMemo<GraphFocus | undefined>(() => {
    if (pathAsks === 0 || !url.pod) return undefined;
    const pod = podIdOfKey(url.pod);
    if (trace.error) return { id: pod };
    if (!trace.data) return undefined;
    const stop = traceStop(trace.data)?.hop;
    return { id: stop?.element ?? pod, with: [pod, ...trace.data.hops.map((h) => h.element)] };
  }, [pathAsks, url.pod, trace.data, trace.error]);
  const focus = lastAsk === 'path' ? pathFocus : asked;
  const marks = useMemo(
    () =>
      compare.data && view
        ? diffMarks(compare.data, drawn, (id) => {
            const h = hostIdOfElement(id);
            return h === undefined ? undefined : groups.get(h);
          })
        : undefined,
    [compare.data, view, drawn, groups],
  );
  const highlight = useMemo<Highlight>(
    () => ({ path, severity: url.sev, diff: marks, selected: url.sel }),
    [path, url.sev, marks, url.sel],
  );
  useEscapeKey(useCallback(() => setUrl({ sel: undefined }), [setUrl]));
  const onFilters = useCallback((next: Partial<UrlState>) => setUrl(next, 'replace'), [setUrl]);
  const onViewport = useCallback((vp: UrlState['viewport']) => setUrl({ viewport: vp }, 'replace'), [setUrl]);

  const error = viewQuery.error ?? findings.error;
  if (error instanceof ApiError && error.status === 404) return <SnapshotNotFound id={url.snapshot} onHome={onHome} />;
  // The banner says the server is away; what can be shown stays, and the rest comes when it is back.
  if (error && !(error instanceof ServerUnreachable))
    return (
      <p className="error" role="alert">
        {error.message}
      </p>
    );
  if (!view || !findings.data) return <PreparingSnapshot id={url.snapshot} />;
  const summary = snapshots.find((s) => s.id === url.snapshot);
  const min = url.sev ? SEVERITY_RANK[url.sev] : 0;
  const shownFindings = findings.data.filter((f) => SEVERITY_RANK[f.severity] >= min);
  const selectedNode = url.sel ? view.graph.nodes.find((n) => n.id === url.sel) : undefined;
  const selectedBox = selectedNode?.kind === 'host' && selectedNode.collapsed ? selectedNode : undefined;
  return (
    <div className="dashboard">
      <div className="main">
        <div className="toolbar" data-testid="toolbar">
          <SearchBox
            snapshot={url.snapshot}
            q={url.q}
            field={url.field}
            sev={url.sev}
            onFilters={onFilters}
            onPick={(hit: SearchHit) => show(hit.id, hit.hosts)}
          />
          {summary && <SeverityCounts counts={summary.findings} />}
          <CompareControl snapshots={snapshots} current={url.snapshot} vs={url.vs} onChange={(vs) => setUrl({ vs })} />
          <span className="spacer" />
          <label className="toggle" title="The IP → MAC labels of ARP/ND edges cover interface names">
            <input type="checkbox" checked={arpLabels} onChange={(e) => setArpLabels(e.target.checked)} /> ARP
            <span className="picker-word"> labels</span>
          </label>
          <Legend />
          <button
            type="button"
            onClick={() => {
              clearPositions(url.snapshot);
              setLayoutEpoch((n) => n + 1);
            }}
            title="Put every node you moved back where hoplens placed it"
          >
            Reset layout
          </button>
          <ExportMenu snapshot={url.snapshot} graph={graphExport} />
          <span className="permalink">
            <input readOnly value={window.location.href} aria-label="permalink" data-testid="permalink" />
            <ShareButton snapshot={url.snapshot} link={window.location.href} pinned={summary?.pinned === true} />
          </span>
        </div>
        {gone.length > 0 && !goneSeen && <CarriedNotice gone={gone} onDismiss={() => setGoneSeen(true)} />}
        {overview && closedNote.length > 0 && (
          <p className="groups-closed" role="status" data-testid="groups-closed">
            Closed {closedNote.map((g) => view.groups.find((x) => x.id === g)?.label ?? g).join(', ')} to open this one:
            at most {MAX_OPEN_GROUPS} groups stay open, the longest open closes first.
            <button type="button" aria-label="dismiss" onClick={() => setClosedNote([])}>
              ×
            </button>
          </p>
        )}
        {overview && (
          <OverviewBar view={view} onCollapse={(id) => setUrl({ expand: url.expand.filter((g) => g !== id) })} />
        )}
        <GraphView
          snapshot={url.snapshot}
          view={view}
          settled={!viewQuery.isPlaceholderData}
          findings={findings.data}
          highlight={highlight}
          initialViewport={url.viewport}
          focus={focus}
          onTap={onTap}
          onViewport={onViewport}
          layoutEpoch={layoutEpoch}
          arpLabels={arpLabels}
          theme={theme}
          exportRef={graphExport}
        />
      </div>
      <aside className="side" ref={side}>
        {url.pod && (
          <PathPanel
            snapshot={url.snapshot}
            pod={url.pod}
            target={url}
            trace={trace.data}
            branch={branches.branch}
            onBranch={(b) => {
              askPath();
              branches.choose(b);
            }}
            error={trace.error}
            probe={
              // A probe pings: a TCP or UDP path is not what it would check.
              (canProbe || url.probe) && url.proto === 'icmp'
                ? {
                    result: probe.data,
                    running: runProbe.isPending,
                    error: runProbe.error ?? probe.error,
                    onVerify: () => runProbe.mutate(),
                    onDownload: () => {
                      if (url.probe) void downloadPcap(url.snapshot, url.probe);
                    },
                  }
                : undefined
            }
            onDestination={(target) => {
              askPath();
              setUrl({ ...target, branch: undefined, probe: undefined });
            }}
            onShow={(id) => setFocus({ id })}
            onClose={() => setUrl({ pod: undefined, branch: undefined, probe: undefined })}
          />
        )}
        {url.sel && (
          <ElementDetails
            id={url.sel}
            node={selectedNode}
            findings={findings.data}
            onExpand={selectedBox ? () => openGroup(selectedBox.id) : undefined}
            onClose={() => setUrl({ sel: undefined })}
          />
        )}
        {url.vs && (
          <ComparePanel
            against={url.vs}
            diff={compare.data}
            error={compare.error}
            since={olderOrNewer(snapshots, url.vs, url.snapshot)}
            onShow={(id) => show(id)}
            onSwap={() =>
              setUrl({ snapshot: url.vs, vs: url.snapshot, expand: [], sel: undefined, viewport: undefined })
            }
            onClose={() => setUrl({ vs: undefined })}
          />
        )}
        {overview && <GroupList groups={view.groups} onOpen={(g) => openGroup(g.id)} />}
        <FindingsPanel
          findings={shownFindings}
          hidden={findings.data.length - shownFindings.length}
          onShow={(id) => show(id)}
        />
        <PodList
          snapshot={url.snapshot}
          selected={url.pod}
          onSelect={(pod: Pod) =>
            selectPod(
              podKey(pod),
              pod.netns.map((r) => hostId(r.host)),
            )
          }
        />
        {timeline.data && (
          <TimelinePanel
            timeline={timeline.data}
            current={url.snapshot}
            minSeverity={url.sev}
            onCompare={(after, before) =>
              setUrl({ snapshot: after, vs: before, expand: [], sel: undefined, viewport: undefined, pod: undefined })
            }
            onOpen={(id) => setUrl({ snapshot: id, expand: [], sel: undefined, viewport: undefined })}
          />
        )}
      </aside>
    </div>
  );
}

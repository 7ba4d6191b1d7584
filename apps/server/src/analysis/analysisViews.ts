import { Disclosure, GraphFocus, GraphSearch, memo, nodeHosts, type Analysis } from '@hoplens/model';

/**
 * What the dashboard's views need of one analysis (focused graphs, the overview, search), each
 * made on first use. Kept per analysis, so it goes when the analysis is evicted.
 */
export class AnalysisViews {
  private focus_: GraphFocus | undefined;
  private disclosure_: Disclosure | undefined;
  private search_: GraphSearch | undefined;
  private hostOf_: Map<string, readonly string[]> | undefined;

  constructor(private readonly analysis: Analysis) {}

  /** Any element's neighbourhood (adjacency built once). */
  get focus(): GraphFocus {
    return (this.focus_ ??= new GraphFocus(this.analysis.graph));
  }

  /** The overview of host groups, with some expanded. */
  get disclosure(): Disclosure {
    return (this.disclosure_ ??= new Disclosure(this.analysis.graph, this.analysis.findings, { hostOf: this.hostOf }));
  }

  get search(): GraphSearch {
    return (this.search_ ??= new GraphSearch(this.analysis.graph, this.analysis.findings, this.hostOf));
  }

  /** Which host each graph element lives on: shared by the overview and search. */
  private get hostOf(): Map<string, readonly string[]> {
    return (this.hostOf_ ??= nodeHosts(this.analysis.graph));
  }
}

const views = new WeakMap<Analysis, AnalysisViews>();

/** The views of an analysis, made once. */
export const viewsOf = (analysis: Analysis): AnalysisViews => memo(views, analysis, () => new AnalysisViews(analysis));

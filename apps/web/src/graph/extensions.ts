import cytoscape from 'cytoscape';
import svg from 'cytoscape-svg';

let registered = false;

/** Every Cytoscape extension the app uses, registered once, here. */
export function registerExtensions(): void {
  if (registered) return;
  cytoscape.use(svg);
  registered = true;
}

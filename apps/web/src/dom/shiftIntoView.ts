/**
 * How far to move a popup sideways so that it lies inside a window `width` wide with `margin` to
 * spare on each side (positive: right): a popup anchored to a control that wraps to the start of a
 * toolbar row would otherwise open past the window's left edge. One wider than the window keeps its
 * left edge in view.
 */
export function shiftIntoView(
  box: { readonly left: number; readonly right: number },
  width: number,
  margin = 8,
): number {
  const past = box.right - (width - margin);
  const shift = past > 0 ? -past : 0;
  const left = box.left + shift;
  return left < margin ? shift + (margin - left) : shift;
}

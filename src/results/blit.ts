import type { DataGrid } from '@lumino/datagrid';

/** The DataGrid internals the copy below goes through (Lumino 2's `datagrid.ts`). */
interface IGridPainting {
  _buffer: HTMLCanvasElement;
  _drawCells(region: unknown): void;
  _blitContent(
    source: HTMLCanvasElement,
    x: number,
    y: number,
    width: number,
    height: number,
    dx: number,
    dy: number
  ): void;
}

function painting(grid: DataGrid): IGridPainting | null {
  const internals = grid as unknown as Partial<IGridPainting>;
  return typeof internals._drawCells === 'function' &&
    typeof internals._blitContent === 'function'
    ? (internals as IGridPainting)
    : null;
}

/**
 * Makes a grid copy the cells of each painted region from its off-screen buffer to the screen at
 * once. Lumino's DataGrid copies them one cell at a time; without a GPU every copy snapshots the
 * whole buffer, about a millisecond each, so a 20-row page of 8 columns took 150 ms to show.
 * Nothing is drawn on screen while a region's cells are drawn into the buffer, and the cells tile
 * the region, so one copy of their bounds gives the same pixels. A Lumino without these internals
 * keeps its own painting.
 */
export function copyCellsAtOnce(grid: DataGrid): void {
  const internals = painting(grid);
  if (!internals) {
    return;
  }
  const drawCells = internals._drawCells;
  const blit = internals._blitContent;
  internals._drawCells = function (this: IGridPainting, region: unknown): void {
    let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
    this._blitContent = (source, x, y, width, height, dx, dy) => {
      if (source !== this._buffer || x !== dx || y !== dy) {
        blit.call(this, source, x, y, width, height, dx, dy);
        return;
      }
      x1 = Math.min(x1, x);
      y1 = Math.min(y1, y);
      x2 = Math.max(x2, x + width);
      y2 = Math.max(y2, y + height);
    };
    try {
      drawCells.call(this, region);
    } finally {
      this._blitContent = blit;
      if (x2 > x1 && y2 > y1) {
        blit.call(this, this._buffer, x1, y1, x2 - x1, y2 - y1, x1, y1);
      }
    }
  };
}

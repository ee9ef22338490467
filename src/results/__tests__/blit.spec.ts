import type { DataGrid } from '@lumino/datagrid';

import { copyCellsAtOnce } from '../blit';

type Copy = [string, number, number, number, number, number, number];

/** Stands in for the DataGrid internals: draws a region as cells, copying each as Lumino does. */
class PaintingGrid {
  readonly copies: Copy[] = [];
  readonly _buffer = { id: 'buffer' } as unknown as HTMLCanvasElement;
  readonly canvas = { id: 'canvas' } as unknown as HTMLCanvasElement;

  _drawCells(cells: [number, number, number, number][]): void {
    for (const [x, y, width, height] of cells) {
      this._blitContent(this._buffer, x, y, width, height, x, y);
    }
  }

  _blitContent(
    source: HTMLCanvasElement,
    x: number,
    y: number,
    width: number,
    height: number,
    dx: number,
    dy: number
  ): void {
    const name = source === this._buffer ? 'buffer' : 'canvas';
    this.copies.push([name, x, y, width, height, dx, dy]);
  }
}

function grid(): PaintingGrid {
  const painting = new PaintingGrid();
  copyCellsAtOnce(painting as unknown as DataGrid);
  return painting;
}

describe('copyCellsAtOnce', () => {
  it('copies the cells of a region to the screen once, over their bounds', () => {
    const painting = grid();
    painting._drawCells([
      [48, 24, 140, 24],
      [48, 48, 140, 24],
      [188, 24, 90, 24],
      [188, 48, 90, 24]
    ]);
    expect(painting.copies).toEqual([['buffer', 48, 24, 230, 48, 48, 24]]);
  });

  it('copies each region on its own', () => {
    const painting = grid();
    painting._drawCells([[0, 0, 10, 10]]);
    painting._drawCells([[20, 0, 10, 10]]);
    expect(painting.copies).toEqual([
      ['buffer', 0, 0, 10, 10, 0, 0],
      ['buffer', 20, 0, 10, 10, 20, 0]
    ]);
  });

  it('copies nothing for a region without cells', () => {
    const painting = grid();
    painting._drawCells([]);
    expect(painting.copies).toEqual([]);
  });

  it('leaves copies that move content (a scroll, a column resize) as they are', () => {
    const painting = grid();
    painting._blitContent(painting.canvas, 0, 0, 100, 50, 30, 0);
    painting._blitContent(painting._buffer, 0, 0, 100, 50, 30, 0);
    expect(painting.copies).toEqual([
      ['canvas', 0, 0, 100, 50, 30, 0],
      ['buffer', 0, 0, 100, 50, 30, 0]
    ]);
  });

  it('leaves a grid without those internals as it is', () => {
    const other = { paint: () => undefined };
    copyCellsAtOnce(other as unknown as DataGrid);
    expect(Object.keys(other)).toEqual(['paint']);
  });
});

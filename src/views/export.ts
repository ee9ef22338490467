/**
 * Export of an investigation view's picture: the SVG document its `toSvg()` draws, downloaded as
 * is or drawn on a canvas for a PNG (for a report, and for the notebook's saved output, where a
 * bitmap's size does not grow with the number of events).
 */

/** The MIME type of a saved output's static picture of its view. */
export const PICTURE_MIME_TYPE = 'image/png';

/** An SVG document as an address an image can load. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The width and height an SVG document declares on its root, in pixels. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const read = (name: string): number => {
    const match = new RegExp(`\\s${name}="([\\d.]+)"`).exec(root);
    return match ? Number(match[1]) : 0;
  };
  return { width: read('width'), height: read('height') };
}

/** Draws an SVG document on a canvas, `scale` canvas pixels per SVG pixel. */
export async function svgToCanvas(
  svg: string,
  scale: number
): Promise<HTMLCanvasElement> {
  const { width, height } = svgSize(svg);
  const image = new Image();
  image.src = svgDataUrl(svg);
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round((width || image.width) * scale));
  canvas.height = Math.max(1, Math.round((height || image.height) * scale));
  const context = canvas.getContext('2d');
  if (!context) {
    throw new Error('This browser cannot draw on a canvas.');
  }
  context.scale(scale, scale);
  context.drawImage(image, 0, 0);
  return canvas;
}

/** An SVG document as PNG, base64-encoded as a notebook's output stores images. */
export async function svgToPngBase64(svg: string, scale = 1): Promise<string> {
  const canvas = await svgToCanvas(svg, scale);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

/** An SVG document as a PNG file. */
export async function svgToPngBlob(svg: string, scale = 2): Promise<Blob> {
  const canvas = await svgToCanvas(svg, scale);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      blob =>
        blob
          ? resolve(blob)
          : reject(new Error('The picture could not be encoded as PNG.')),
      'image/png'
    )
  );
}

/** Has the browser save a file. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser reads the address after the click returns: let it go once it surely has.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

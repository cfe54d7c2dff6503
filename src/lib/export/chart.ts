/**
 * A chart as a file: SVG (vector, for reports) or PNG (for slides). The drawing's colours come
 * from the page's CSS (variables, currentColor): they are written onto each element first, so the
 * file looks the same outside the app.
 */
import { download, fileName } from './table';

const PAINT = ['fill', 'stroke', 'stroke-width', 'opacity', 'font-size', 'font-family', 'font-weight', 'text-anchor'] as const;

function standalone(svg: SVGSVGElement, title: string): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    for (const p of PAINT) {
      const v = style.getPropertyValue(p);
      if (v) (to[i] as Element).setAttribute(p, v);
    }
  });
  const { width, height } = svg.getBoundingClientRect();
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(Math.round(width)));
  clone.setAttribute('height', String(Math.round(height)));
  const t = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  t.textContent = title;
  clone.prepend(t);
  return new XMLSerializer().serializeToString(clone);
}

export function exportSvg(svg: SVGSVGElement, title: string): void {
  download(fileName(title, 'svg'), standalone(svg, title), 'image/svg+xml');
}

/** PNG at twice the screen size, on white. */
export async function exportPng(svg: SVGSVGElement, title: string): Promise<void> {
  const text = standalone(svg, title);
  const { width, height } = svg.getBoundingClientRect();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('chart image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * 2);
    canvas.height = Math.round(height * 2);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (blob) download(fileName(title, 'png'), blob, 'image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}

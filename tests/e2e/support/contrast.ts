/**
 * WCAG 2.x contrast of the text a page shows (level AA: 4.5:1, or 3:1 for large text — 24 px, or
 * 18.66 px bold), measured in the browser on the computed colours: each element with text of its
 * own, its colour over the backgrounds behind it (composited up the tree, translucent ones
 * included). Left out, as WCAG does: hidden text, disabled controls, and text inside charts' SVG
 * (their figures are in the table alternative, which is checked).
 */
import type { Page } from 'playwright-core';

export interface ContrastFailure {
  text: string;
  where: string;
  ratio: number;
  needed: number;
  color: string;
  background: string;
}

export async function contrastFailures(page: Page): Promise<ContrastFailure[]> {
  // (the TypeScript transform may name the functions below with a helper the page does not have)
  await page.evaluate('window.__name ??= (f) => f');
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (c: string): Rgba => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    // a colour over an opaque one
    const over = (top: Rgba, under: Rgba): Rgba => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1) as Rgba;
    const luminance = (c: Rgba) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const backgroundOf = (el: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let c: Rgba = [255, 255, 255, 1];
      for (const layer of layers.reverse()) c = over(layer, c);
      return c;
    };
    const opacityOf = (el: Element) => {
      let o = 1;
      for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const describe = (el: Element) => {
      const parts: string[] = [];
      for (let e: Element | null = el; e && parts.length < 3; e = e.parentElement) {
        parts.unshift(e.tagName.toLowerCase() + (e.getAttribute('data-testid') ? `[data-testid=${e.getAttribute('data-testid')}]` : e.classList.length ? `.${[...e.classList].join('.')}` : ''));
      }
      return parts.join(' > ');
    };
    const out: ContrastFailure[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('svg, [hidden], [aria-hidden="true"]') || (el as HTMLButtonElement).disabled) continue;
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
      if (!own) continue;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.visibility !== 'visible' || box.width === 0 || box.height === 0) continue;
      const bg = backgroundOf(el);
      const fg = over([...parse(style.color).slice(0, 3), parse(style.color)[3] * opacityOf(el)] as Rgba, bg);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const needed = large ? 3 : 4.5;
      if (ratio < needed) out.push({ text: own.slice(0, 40), where: describe(el), ratio: Math.round(ratio * 100) / 100, needed, color: style.color, background: `rgb(${bg.slice(0, 3).map(Math.round).join(', ')})` });
    }
    return out;
  });
}

/** Recognises a file's layout from its header alone, and says what is missing when it cannot. */
import { FIELDS, normaliseHeader, type FieldKey } from './fields';
import { LAYOUTS, type Layout, type LayoutKey } from './layouts';

export interface LayoutMatch {
  layout: Layout;
  mapping: Partial<Record<FieldKey, string>>;
  ignored: string[];
}

export interface LayoutMiss {
  closest: LayoutKey | null;
  missing: FieldKey[];
}

/** For each field of the layout, the header whose spelling comes first in the field's synonym list. */
export function mapHeaders(layout: Layout, headers: readonly string[]): Partial<Record<FieldKey, string>> {
  const used = new Set<string>();
  const mapping: Partial<Record<FieldKey, string>> = {};
  for (const field of [...layout.required, ...layout.optional]) {
    const synonyms: readonly string[] = FIELDS[field].synonyms;
    let best: { header: string; rank: number } | null = null;
    for (const h of headers) {
      if (used.has(h)) continue;
      const rank = synonyms.indexOf(normaliseHeader(h));
      if (rank >= 0 && (!best || rank < best.rank)) best = { header: h, rank };
    }
    if (best) {
      mapping[field] = best.header;
      used.add(best.header);
    }
  }
  return mapping;
}

export function detectLayout(headers: readonly string[]): LayoutMatch | LayoutMiss {
  let match: LayoutMatch | null = null;
  let matchScore = -1;
  let closest: LayoutMiss = { closest: null, missing: [] };
  let closestShare = 0;
  for (const layout of LAYOUTS) {
    const mapping = mapHeaders(layout, headers);
    const missing = layout.required.filter((f) => !mapping[f]);
    if (missing.length === 0) {
      const score = layout.required.length * 100 + Object.keys(mapping).length;
      if (score > matchScore) {
        const used = new Set(Object.values(mapping));
        match = { layout, mapping, ignored: headers.filter((h) => !used.has(h)) };
        matchScore = score;
      }
    } else {
      const share = (layout.required.length - missing.length) / layout.required.length;
      if (share > closestShare || (share === closestShare && closest.closest === null && share > 0)) {
        closest = { closest: layout.key, missing };
        closestShare = share;
      }
    }
  }
  if (match) return match;
  // Nothing fits: point at the invoice list, the layout most files are meant to be.
  if (!closest.closest) {
    const invoices = LAYOUTS[0];
    closest = { closest: invoices.key, missing: [...invoices.required] };
  }
  return closest;
}

export function isMatch(r: LayoutMatch | LayoutMiss): r is LayoutMatch {
  return 'layout' in r;
}

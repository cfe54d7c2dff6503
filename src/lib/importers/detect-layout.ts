/** Recognises a file's layout from its header alone, and says what is missing when it cannot. */
import type { DateFormat } from './dates';
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
    } else if (!layout.complement) {
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

/** A user's choice: which layout the file is, and which header feeds each field. */
export interface MappingChoice {
  layout: LayoutKey;
  mapping: Partial<Record<FieldKey, string>>;
  /** the date format and decimal mark the user set for this header, if any (else detected) */
  date_format?: DateFormat;
  decimal_comma?: boolean;
}

/** The same header, whatever the case, accents or punctuation: the key remembered mappings go by. */
export function headerSignature(headers: readonly string[]): string {
  return headers.map(normaliseHeader).join('|');
}

/** The user's mapping, checked against the file's header: every required field fed by a header the
 *  file has, compared as headerSignature compares them (a remembered mapping is found by signature). */
export function applyMapping(choice: MappingChoice, headers: readonly string[]): LayoutMatch | LayoutMiss {
  const layout = LAYOUTS.find((l) => l.key === choice.layout);
  if (!layout) return { closest: null, missing: [] };
  const allowed = new Set<FieldKey>([...layout.required, ...layout.optional]);
  const inFile = new Map(headers.map((h) => [normaliseHeader(h), h]));
  const mapping: Partial<Record<FieldKey, string>> = {};
  for (const [field, header] of Object.entries(choice.mapping) as [FieldKey, string][]) {
    const own = header ? inFile.get(normaliseHeader(header)) : undefined;
    if (allowed.has(field) && own) mapping[field] = own;
  }
  const missing = layout.required.filter((f) => !mapping[f]);
  if (missing.length) return { closest: layout.key, missing };
  const used = new Set(Object.values(mapping));
  return { layout, mapping, ignored: headers.filter((h) => !used.has(h)) };
}

export function isMatch(r: LayoutMatch | LayoutMiss): r is LayoutMatch {
  return 'layout' in r;
}

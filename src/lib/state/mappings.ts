/**
 * The column mappings a user made, remembered on this device by header signature (never sent
 * anywhere), so that next month's export of the same report imports without a question.
 */
import type { MappingChoice } from '../importers/detect-layout';

const KEY = 'encours.mappings';

export function savedMappings(): Record<string, MappingChoice> {
  try {
    const raw = localStorage.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, MappingChoice>) : {};
  } catch {
    return {};
  }
}

export function rememberMapping(signature: string, choice: MappingChoice): void {
  const all = savedMappings();
  all[signature] = choice;
  localStorage.setItem(KEY, JSON.stringify(all));
}

/** A JSON file of every remembered mapping, for the user to keep or hand to a colleague. */
export function mappingsFile(): Blob {
  return new Blob([JSON.stringify({ encours_mappings: 1, mappings: savedMappings() }, null, 2)], { type: 'application/json' });
}

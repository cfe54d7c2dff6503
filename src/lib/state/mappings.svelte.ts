/**
 * The column mappings a user made, remembered by header signature (never sent anywhere), so that
 * next month's export of the same report imports without a question: in the current workspace (its
 * settings, so that they travel with its export file) and on this device (so that a new workspace
 * knows them too). The workspace's win.
 */
import type { MappingChoice } from '../importers/detect-layout';
import { workspace } from './workspace.svelte';

const KEY = 'encours.mappings';

export function savedMappings(): Record<string, MappingChoice> {
  return { ...deviceMappings(), ...$state.snapshot(workspace.settings.mappings) };
}

function deviceMappings(): Record<string, MappingChoice> {
  try {
    const raw = localStorage.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, MappingChoice>) : {};
  } catch {
    return {};
  }
}

export async function rememberMapping(signature: string, choice: MappingChoice): Promise<void> {
  const all = deviceMappings();
  all[signature] = choice;
  localStorage.setItem(KEY, JSON.stringify(all));
  if (workspace.current) await workspace.saveSettings({ ...$state.snapshot(workspace.settings), mappings: { ...$state.snapshot(workspace.settings.mappings), [signature]: choice } });
}

/** A JSON file of every remembered mapping, for the user to keep or hand to a colleague. */
export function mappingsFile(): Blob {
  return new Blob([JSON.stringify({ encours_mappings: 1, mappings: savedMappings() }, null, 2)], { type: 'application/json' });
}

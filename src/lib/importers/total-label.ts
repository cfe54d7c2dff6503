/** Total rows of a report: the labels a total line carries (header-row.ts, customer-ledger.ts). */

/**
 * A cell that is a total's label, and nothing more: "Total", "TOTAL :", "Total général", "Totaux",
 * "Sous-total", "Grand total", "Total compte 411", "Total client DUP001". Not "TotalEnergies
 * Marketing" nor "Total Fina": a customer's name.
 */
const TOTAL_LABEL = /^(grand[\s-]?total|sous[\s-]?tota(l|ux)|sub[\s-]?total|totaux|sum|total(\s+(g[ée]n[ée]ral|general|compte|account|clients?|customer|tiers|ttc|ht|d[ûu]e?|balance|encours)(\s+\S+)?|\s+\S*\d\S*)?)\s*:?$/i;

/** A row that carries a total's label in one of its cells. */
export function isTotalRow(cells: readonly string[]): boolean {
  return cells.some((v) => TOTAL_LABEL.test(v.trim()));
}

/** The SQL test of a total label on one text cell (the same pattern as isTotalRow). */
export function totalLabelSql(cell: string): string {
  return `regexp_full_match(trim(${cell}), '${TOTAL_LABEL.source.replace(/'/g, "''")}', 'i')`;
}

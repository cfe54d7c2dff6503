/**
 * An "XLSX" button's state: busy while the worker makes the workbook (the button is disabled, the
 * file is not asked for twice).
 */
import { downloadXlsx } from './xlsx-download';
import type { ExportTable } from './table';

export class XlsxExport {
  busy = $state(false);

  constructor(private readonly table: () => ExportTable) {}

  run = async (): Promise<void> => {
    this.busy = true;
    try {
      // (a plain copy: state cannot go to the worker)
      await downloadXlsx($state.snapshot(this.table()));
    } finally {
      this.busy = false;
    }
  };
}

/**
 * A table downloaded as XLSX: the workbook is made in the engine worker (SheetJS stays out of the
 * pages' bundle), then handed to the user.
 */
import { engineClient } from '../engine/client';
import { download, fileName, type ExportTable } from './table';

export async function downloadXlsx(table: ExportTable): Promise<void> {
  const bytes = await engineClient().exportXlsx(table);
  download(fileName(table.name, 'xlsx'), bytes as Uint8Array<ArrayBuffer>, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
}

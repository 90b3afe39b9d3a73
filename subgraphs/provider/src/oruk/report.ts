import type { ImportReport } from './import';

/** The import report as plain text lines, for people reading a terminal. */
export function formatImportReport(report: ImportReport, source: string): string {
  const lines = [
    `ORUK import from ${source}: ${report.total} record(s): ${report.created} imported (new), ${report.updated} updated, ` +
      `${report.unchanged} unchanged, ${report.rejected} rejected.`,
  ];
  for (const outcome of report.outcomes) {
    const label = [`#${outcome.index + 1}`, outcome.id, outcome.name ? `"${outcome.name}"` : undefined].filter(Boolean).join(' ');
    const verb = { created: 'imported', updated: 'updated', unchanged: 'unchanged', rejected: 'REJECTED' }[outcome.outcome];
    let line = `  ${verb.padEnd(9)} ${label}`;
    if (outcome.outcome === 'rejected') line += `: ${outcome.reason}`;
    if (outcome.outcome === 'updated' && outcome.changedFields.length) line += ` (${outcome.changedFields.join(', ')})`;
    lines.push(line);
    for (const term of outcome.unknownTerms) lines.push(`            skipped unknown taxonomy term ${term}`);
    for (const warning of outcome.warnings) lines.push(`            note: ${warning}`);
  }
  return `${lines.join('\n')}\n`;
}

// Renders diagnostics for a terminal, in the style of rustc and Elm:
//
//   error[E0402]: true division `/` is not supported
//     --> token.py:12:17
//      |
//   12 |     share = total / n
//      |                   ^ integer division is `//`
//      |
//      = hint: write `total // n`; contracts have no floats
//
// The span is underlined with ^ on its first line (a span over several lines is marked to
// the end of its first line). Tabs are expanded to the next multiple of TAB_WIDTH both in
// the source line and when placing the carets, so they always line up. Colours (ANSI) only
// when asked for.

import type { Diagnostic, Severity } from './diagnostics.ts';

export interface RenderOptions {
  /** ANSI colours: red bold for errors, yellow for warnings, blue for the gutter. */
  color?: boolean;
}

const TAB_WIDTH = 4;

const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const BLUE = '\x1b[1;34m';
const SEVERITY_COLOR: Record<Severity, string> = { error: '\x1b[1;31m', warning: '\x1b[1;33m' };

interface Paint {
  sev: (s: string) => string;
  gutter: (s: string) => string;
  bold: (s: string) => string;
}

function painter(severity: Severity, color: boolean): Paint {
  if (!color) {
    const id = (s: string) => s;
    return { sev: id, gutter: id, bold: id };
  }
  const c = SEVERITY_COLOR[severity];
  return {
    sev: (s) => c + s + RESET,
    gutter: (s) => BLUE + s + RESET,
    bold: (s) => BOLD + s + RESET,
  };
}

/** The text of 1-based line `line` without its line terminator; null if there is none. */
function sourceLine(source: string, line: number): string | null {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = nextLineBreak(source, start);
    if (nl < 0) return null;
    start = nl + (source.charCodeAt(nl) === 13 && source.charCodeAt(nl + 1) === 10 ? 2 : 1);
  }
  if (start > source.length) return null;
  const end = nextLineBreak(source, start);
  return source.slice(start, end < 0 ? source.length : end);
}

function nextLineBreak(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

/** Display columns taken by `text` starting at display column `col` (tabs expanded, a
 *  surrogate pair counting once). */
function advance(text: string, col: number): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 9) col += TAB_WIDTH - (col % TAB_WIDTH);
    else if (c >= 0xdc00 && c <= 0xdfff && i > 0) continue;
    else col++;
  }
  return col;
}

function expandTabs(text: string): string {
  if (text.indexOf('\t') < 0) return text;
  let out = '';
  let col = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const n = TAB_WIDTH - (col % TAB_WIDTH);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += ch;
      col = advance(ch, col);
    }
  }
  return out;
}

/** One diagnostic, with the source line it points at. Never throws (a span outside the
 *  source renders without the snippet). */
export function renderDiagnostic(d: Diagnostic, source: string, opts: RenderOptions = {}): string {
  const p = painter(d.severity, opts.color === true);
  const { span } = d;
  const width = String(Math.max(1, span.line)).length;
  const pad = ' '.repeat(width);
  const bar = p.gutter('|');
  const out: string[] = [];
  out.push(`${p.sev(`${d.severity}[${d.code}]`)}${p.bold(`: ${d.message}`)}`);
  out.push(`${pad}${p.gutter('-->')} ${span.file}:${span.line}:${span.col}`);
  const text = sourceLine(source, span.line);
  if (text !== null) {
    const startIdx = Math.min(Math.max(0, span.col - 1), text.length);
    const endIdx = span.endLine === span.line ? Math.min(Math.max(startIdx, span.endCol - 1), text.length) : text.length;
    const before = advance(text.slice(0, startIdx), 0);
    const carets = Math.max(1, advance(text.slice(startIdx, endIdx), before) - before);
    const label = d.label !== undefined && d.label !== '' ? ' ' + d.label : '';
    out.push(`${pad} ${bar}`);
    out.push(`${p.gutter(String(span.line).padStart(width))} ${bar} ${expandTabs(text)}`.trimEnd());
    out.push(`${pad} ${bar} ${' '.repeat(before)}${p.sev('^'.repeat(carets) + label)}`);
  }
  if (d.hint !== undefined && d.hint !== '') {
    out.push(`${pad} ${bar}`);
    out.push(`${pad} ${p.gutter('=')} ${p.bold('hint')}: ${d.hint}`);
  }
  return out.join('\n');
}

/** All diagnostics, each with its file's source (missing sources render without snippet),
 *  separated by blank lines. */
export function renderDiagnostics(ds: readonly Diagnostic[], sources: Readonly<Record<string, string>>, opts: RenderOptions = {}): string {
  return ds.map((d) => renderDiagnostic(d, Object.hasOwn(sources, d.span.file) ? sources[d.span.file]! : '', opts)).join('\n\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The closing line, e.g. "error: could not compile token.py: 3 errors" or
 *  "warning: token.py: 1 warning"; '' when there is nothing to report. The file name
 *  defaults to the files the diagnostics are in. */
export function summaryLine(ds: readonly Diagnostic[], file?: string, opts: RenderOptions = {}): string {
  let errors = 0;
  let warnings = 0;
  const files: string[] = [];
  for (const d of ds) {
    if (d.severity === 'error') errors++;
    else warnings++;
    if (!files.includes(d.span.file)) files.push(d.span.file);
  }
  const name = file ?? (files.length === 1 ? files[0]! : files.length === 0 ? 'the program' : `${files.length} files`);
  if (errors > 0) {
    const p = painter('error', opts.color === true);
    const rest = warnings > 0 ? `, ${plural(warnings, 'warning')}` : '';
    return `${p.sev('error')}${p.bold(`: could not compile ${name}: ${plural(errors, 'error')}${rest}`)}`;
  }
  if (warnings > 0) {
    const p = painter('warning', opts.color === true);
    return `${p.sev('warning')}${p.bold(`: ${name}: ${plural(warnings, 'warning')}`)}`;
  }
  return '';
}

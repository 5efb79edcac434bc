// Terminal output: colours only on a terminal and never with NO_COLOR; errors as
// "error: ..." lines, never stack traces.

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const codes = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
export type Style = keyof typeof codes;

export function paint(on: boolean, style: Style, text: string): string {
  return on ? `\x1b[${codes[style]}m${text}\x1b[0m` : text;
}

/** A user-facing failure: printed as "error: message" with exit code `exitCode`. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/** JSON.stringify that writes bigints as decimal strings and bytes as hex. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Uint8Array) return '0x' + Buffer.from(v).toString('hex');
    return v;
  }, indent);
}

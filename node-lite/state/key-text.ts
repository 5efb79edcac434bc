// State keys as latin1 strings, one char per byte: exact, ordered as the bytes are, and cheap
// map keys (the state host's overlay, the state cache's layers).

export function keyText(key: Uint8Array): string {
  let s = '';
  for (let i = 0; i < key.length; i++) s += String.fromCharCode(key[i]!);
  return s;
}

export function textKey(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

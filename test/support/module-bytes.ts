// Test support: finding parts of an encoded TVM module (docs/tvm.md), for the fuzz tests
// that mutate one section at a time.

/** [start, end) of a section's payload in a valid module (sections follow the 5-byte header). */
export function sectionRange(enc: Uint8Array, id: number): [number, number] {
  let p = 5;
  for (;;) {
    const sid = enc[p++];
    let len = 0;
    let mul = 1;
    for (;;) {
      const b = enc[p++]!;
      len += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) break;
    }
    if (sid === id) return [p, p + len];
    p += len;
  }
}

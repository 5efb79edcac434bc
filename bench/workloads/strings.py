"""Benchmark workload: building, joining and splitting strings."""


def build(n: int) -> int:
    # f-strings with format specs, a list of parts joined into one string, split back into
    # words, and a few str methods on each: returns a checksum of what was built.
    parts: list[str] = []
    for i in range(n):
        parts.append(f"item-{i:05d}:{i * 7 % 13:x}")
    text = ",".join(parts)
    total = 0
    for word in text.split(","):
        pieces = word.split(":")
        name = pieces[0]
        code = pieces[1]
        total += len(name.upper()) + int(code, 16) + name.count("1")
    return total + len(text)

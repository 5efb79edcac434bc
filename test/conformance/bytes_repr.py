# repr of bytes: printable ASCII as is, escapes for the rest, quotes as CPython picks them.
def main() -> list[bytes]:
    items = [b"abc", b"", b"\x00\x01\x7f\x80\xff", b"tab\tnl\ncr\r", b"back\\slash", b"it's", b'say "hi"', b"both ' \""]
    for b in items:
        print(f"{b!r}", len(b))
    print(items[:3])
    return items

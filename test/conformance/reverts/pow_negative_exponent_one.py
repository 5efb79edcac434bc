# reverts: negative exponent
# Even 1 ** -1 (CPython: 1.0) reverts.
def main() -> int:
    e = 3 - len("abcd")
    print(e)
    return 1 ** e

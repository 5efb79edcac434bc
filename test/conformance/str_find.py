# find, rfind and index.
def main() -> list[int]:
    s = "the quick brown fox jumps over the lazy dog"
    print(s.find("the"), s.rfind("the"), s.find("cat"), s.rfind("cat"))
    print(s.find(""), s.rfind(""), s.index("quick"), s.index("dog"))
    print("aaaa".find("aa"), "aaaa".rfind("aa"), "héllo".find("l"), "😀ab😀".rfind("😀"))
    pos = s.find("o")
    found: list[int] = []
    while pos != -1:
        found.append(pos)
        rest = s[pos + 1:]
        nxt = rest.find("o")
        pos = -1 if nxt == -1 else pos + 1 + nxt
    return found

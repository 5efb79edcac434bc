# count of non-overlapping occurrences.
def main() -> list[int]:
    s = "banana"
    print(s.count("a"), s.count("an"), s.count("ana"), s.count("x"))
    print("aaaa".count("aa"), "abc".count(""), "".count(""), "".count("a"))
    text = "the cat and the hat and the bat"
    words = text.split()
    counts = {w: text.count(w) for w in words}
    print(counts)
    return [s.count(c) for c in ["b", "a", "n", "na"]]

# index, count and remove find the first match.
def main() -> list[int]:
    xs = [5, 3, 5, 7, 3, 5]
    print(xs.index(5), xs.index(7), xs.index(3))
    print(xs.count(5), xs.count(3), xs.count(42))
    xs.remove(5)
    print(xs)
    xs.remove(3)
    xs.remove(5)
    print(xs)
    words = ["b", "a", "b"]
    words.remove("b")
    print(words, words.index("b"))
    return xs

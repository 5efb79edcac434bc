# Edge cases of split, replace, find and count with overlapping and empty patterns.
def main() -> list[list[str]]:
    print("aaa".split("aa"), "aaaa".split("aa"), "abab".split("ab"), "a".split("a"))
    print("aaa".replace("aa", "b"), "abc".replace("", ""), "".replace("", "x"), "aaa".replace("a", ""))
    print("".find(""), "abc".find("c"), "".count("x"), "ababab".count("aba"), "abc".rfind("c"))
    print("x".split("x", 0), " a b ".split(" "), "a  b".split(" ", 1), "a,b".split(",", 5))
    return ["".split(" "), "  ".split(" "), "\n\n".split("\n"), "ab".split("abc")]

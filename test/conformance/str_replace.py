# replace every occurrence, including with empty strings.
def main() -> list[str]:
    s = "one two one two one"
    print(s.replace("one", "1"), s.replace("two", ""), s.replace("three", "3"))
    print("aaa".replace("a", "aa"), "aaaa".replace("aa", "b"), "abc".replace("", "-"))
    print("héllo".replace("é", "e"), "a😀b".replace("😀", ":)"))
    path = "a/b/c"
    return [path.replace("/", "."), "x".replace("x", ""), "banana".replace("ana", "o")]

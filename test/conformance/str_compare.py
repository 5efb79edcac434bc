# String comparison is lexicographic by code point.
def main() -> list[bool]:
    print("abc" < "abd", "abc" < "ab", "" < "a", "Z" < "a", "a" < "B")
    print("apple" == "apple", "apple" != "Apple", "é" > "z", "10" < "9")
    print(min("pear", "apple"), max("pear", "apple"))
    words = ["banana", "Apple", "cherry", "apple", "_x", "1st"]
    print(sorted(words))
    print(sorted(words, reverse=True))
    return ["a" <= "a", "b" >= "c", "aa" > "a", "ß" > "ss"]

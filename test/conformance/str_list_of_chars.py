# list(str) splits into one-character strings; building strings back with join.
def main() -> list[str]:
    chars = list("héllo😀")
    print(chars, len(chars))
    chars.reverse()
    print("".join(chars))
    vowels = [c for c in list("programming language") if c in "aeiou"]
    print(vowels, len(vowels))
    counts: dict[str, int] = {}
    for c in list("mississippi"):
        counts[c] = counts.get(c, 0) + 1
    print(counts)
    return sorted(list("zvchain"))

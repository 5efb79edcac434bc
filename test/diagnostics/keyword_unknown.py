# Keyword arguments the language does not have.
def report(words: list[str]) -> list[str]:
    print("words:", end="")  # expect: E0311
    ordered = sorted(words, key=len)  # expect: E0311
    words.sort(reversed=True)  # expect: E0311
    return ordered

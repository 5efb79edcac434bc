# Indexing strings with positive and negative indices.
def main() -> list[str]:
    s = "python"
    print(s[0], s[5], s[-1], s[-6], s[len(s) - 1])
    i = 2
    print(s[i] + s[-i], s[i + 1])
    word = "héllo"
    print(word[1], word[-4])
    return [s[k] for k in range(-len(s), len(s), 2)]

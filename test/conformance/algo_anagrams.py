# Grouping anagrams by their sorted letters.
def key_of(word: str) -> str:
    return "".join(sorted(list(word)))


def main() -> list[str]:
    words = ["listen", "silent", "enlist", "google", "gogole", "cat", "act", "tac", "dog"]
    groups: dict[str, list[str]] = {}
    for w in words:
        k = key_of(w)
        if k in groups:
            groups[k].append(w)
        else:
            groups[k] = [w]
    for k, g in groups.items():
        print(k, g)
    return sorted([" ".join(sorted(g)) for g in groups.values() if len(g) > 1])

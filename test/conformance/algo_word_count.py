# Word frequencies, sorted by count then word.
def main() -> list[tuple[int, str]]:
    text = "the cat sat on the mat the cat ran"
    counts: dict[str, int] = {}
    for w in text.split():
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    print(counts)
    ranked = sorted([(-c, w) for w, c in counts.items()])
    print(ranked[:3])
    top = [(c * -1, w) for c, w in ranked]
    for c, w in top:
        print(f"{w:<4}{'*' * c}")
    return top

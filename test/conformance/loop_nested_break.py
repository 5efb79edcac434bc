# break and continue apply to the innermost loop.
def main() -> list[tuple[int, int]]:
    hits: list[tuple[int, int]] = []
    for i in range(5):
        for j in range(5):
            if j > i:
                break
            if (i + j) % 2 == 1:
                continue
            hits.append((i, j))
    print(hits)
    target = 12
    found = (-1, -1)
    done = False
    for a in range(1, 10):
        for b in range(1, 10):
            if a * b == target:
                found = (a, b)
                done = True
                break
        if done:
            break
    print(found)
    return hits[:4]

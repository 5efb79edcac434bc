# Deleting keys (collected first), len after deletes, and re-adding them.
def main() -> dict[int, str]:
    d = {i: str(i) * i for i in range(1, 8)}
    doomed = [k for k in d if k % 3 == 0]
    for k in doomed:
        del d[k]
    print(d, len(d))
    d[3] = "back"
    print(list(d.keys()))
    d.pop(1)
    d[1] = "one"
    print(list(d.items())[:2], list(d)[-2:])
    return d

# A for loop variable keeps its last value after the loop (and its old value if the loop
# never runs); appending to a list while iterating over it visits the new items.
def main() -> list[int]:
    i = -1
    for i in range(3):
        pass
    print(i)
    j = -1
    for j in range(0):
        pass
    print(j)
    k = 0
    for k in [5, 6, 7]:
        if k == 6:
            break
    print(k)
    work = [1, 2]
    for w in work:
        if w < 4:
            work.append(w + 2)
    print(work)
    return [i, j, k, len(work)]

# Many inserts, deletes and re-inserts: order and contents stay exactly as in CPython.
def main() -> list[int]:
    d: dict[int, int] = {}
    for i in range(300):
        d[i * 7 % 300] = i
    for k in range(0, 300, 2):
        del d[k]
    for k in range(0, 60, 3):
        d[k] = -k
    for k in range(1, 50, 2):
        d.pop(k)
    d[5] = 555
    d[299] = 299
    ks = list(d)
    print(len(d), ks[:12], ks[-6:])
    print(sum(d.values()), sum(k * v for k, v in d.items()) % 1000003)
    return ks[100:120]

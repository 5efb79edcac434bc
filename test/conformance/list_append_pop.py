# append, pop() and pop(i).
def main() -> list[int]:
    xs: list[int] = []
    for i in range(6):
        xs.append(i * i)
    print(xs)
    print(xs.pop(), xs)
    print(xs.pop(0), xs)
    print(xs.pop(-2), xs)
    print(xs.pop(1), xs)
    xs.append(100)
    return xs

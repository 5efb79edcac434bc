# enumerate and zip in loops and as lists.
def main() -> list[tuple[int, str]]:
    names = ["ann", "bob", "cy"]
    ages = [31, 25, 40, 99]
    for i, name in enumerate(names):
        print(i, name)
    for name, age in zip(names, ages):
        print(name, age)
    pairs = list(zip(ages, names))
    print(pairs, len(pairs))
    total = 0
    for i, age in enumerate(ages):
        total += i * age
    print(total)
    empty: list[int] = []
    print(list(zip(empty, names)), list(enumerate(empty)))
    return list(enumerate(names))

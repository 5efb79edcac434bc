# break and continue need an enclosing loop.
def check(x: int) -> int:
    if x > 10:
        break  # expect: E0313
    if x < 0:
        continue  # expect: E0313
    return x

# Errors inside comprehensions and generator expressions.
def stats(xs: list[int], words: list[str]) -> int:
    a = [x + "!" for x in xs]  # expect: E0303
    b = [w for w in words if w.size > 2]  # expect: E0203
    c = sum(len(w) for w in wrds)  # expect: E0201
    d = {w: n for w in words}  # expect: E0201
    return c

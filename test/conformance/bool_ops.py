# not, ==, != and the bitwise operators on bools.
def main() -> list[bool]:
    t = True
    f = False
    print(not t, not f, not not t, t == f, t != f)
    print(t & f, t | f, t ^ t, f ^ t)
    print(t and not f, (t or f) and not (t and f))
    x = 3
    print(x > 2 and x < 5, not x > 2, not (x > 2 and x > 4))
    return [t & t, f | f, t ^ f, t == (x == 3), f != (x != 3)]

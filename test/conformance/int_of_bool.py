# int(True) and int(False); bool() of ints.
def main() -> tuple[int, int, bool, bool]:
    t = int(True)
    f = int(False)
    print(t, f, t + t, f - t)
    print(bool(0), bool(-3), bool(1))
    flags = [True, False, True, True]
    count = 0
    for flag in flags:
        count += int(flag)
    print(count)
    return (int(3 > 2), int(2 > 3), bool(count), bool(count - count))

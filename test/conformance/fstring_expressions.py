# Arbitrary expressions inside f-strings.
def double(x: int) -> int:
    return 2 * x


def main() -> str:
    a = 3
    b = 4
    xs = [10, 20, 30]
    d = {"key": "value"}
    name = "zv"
    print(f"{a + b * 2} {a * b - 1} {a ** 2 + b ** 2}")
    print(f"{xs[1]} {xs[-1]} {xs[1:]} {len(xs)} {sum(xs)}")
    print(f"{d['key']} {name.upper()} {name[::-1]} {double(a)}")
    print(f"{'yes' if a < b else 'no'} {[x // 10 for x in xs]} {a < b}")
    print(f"{a}{b}" + f"{a}-{b}")
    return f"{hex(a * 100)}:{str(b) * 3}:{f'{a}'}"

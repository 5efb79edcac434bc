# Format specs: d, x, b, o, >N, <N, 0N.
def main() -> list[str]:
    x = 255
    y = -42
    print(f"[{x:d}] [{x:x}] [{x:b}] [{x:o}]")
    print(f"[{y:d}] [{y:x}] [{y:b}] [{y:o}]")
    print(f"[{x:>8}] [{x:<8}] [{y:>8}] [{y:<8}]")
    print(f"[{x:08d}] [{y:08d}] [{y:05}] [{x:03}] [{0:04}]")
    print(f"[{x:>2}] [{123456:>3}] [{y:02}]")
    return [f"{n:>6}|{n:<6}|{n:06}" for n in [0, 7, -7, 100000]]

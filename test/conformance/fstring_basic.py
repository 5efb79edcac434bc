# f-strings with plain substitutions of every basic type.
from typing import Optional


def main() -> str:
    n = 42
    s = "zv"
    b = True
    xs = [1, 2]
    d = {"k": 1}
    t = (1, "a")
    raw = b"\x01a"
    none: Optional[int] = None
    print(f"n={n} s={s} b={b}")
    print(f"xs={xs} d={d} t={t} raw={raw} none={none}")
    print(f"{n}{n}", f"", f"plain", f"{s}")
    return f"<{s}:{n}>"

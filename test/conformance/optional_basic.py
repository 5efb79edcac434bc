# Optional values: None checks, narrowing and reassignment.
from typing import Optional


def main() -> Optional[int]:
    x: Optional[int] = None
    print(x is None, x is not None, x)
    x = 5
    print(x is None, x)
    if x is not None:
        print(x + 1)
    y: Optional[str] = None
    if y is None:
        y = "filled"
    print(y)
    x = None
    return x

# print with several arguments separates them by single spaces.
from typing import Optional


def main() -> None:
    opt: Optional[str] = None
    print("a", 1, True, [1, 2] == [1, 2], (2, "b"), {"k": [1]})
    print("", "x", "")
    print()
    print("multi\nline", 2)
    print(opt, b"raw", -0, "tab\tend")
    print("é", "😀", "中文")

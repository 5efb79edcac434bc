# Runtime type tests: the types are known at compile time.
from typing import Optional


def describe(x: Optional[int]) -> str:
    if isinstance(x, int):  # expect: E0407
        return "int"
    return "none"

# typing's List and Dict: write list[int] and dict[str, int].
from typing import Optional, List, Dict  # expect: E0401, E0401


def first(xs: list[int]) -> Optional[int]:
    return xs[0] if xs else None

# Optional elements in lists and dict values.
from typing import Optional


def main() -> dict[str, Optional[int]]:
    slots: list[Optional[int]] = [None, 1, None, 0]
    print(slots, [s is None for s in slots])
    count = 0
    for s in slots:
        if s is not None:
            count += s + 1
    print(count)
    table: dict[str, Optional[int]] = {"a": 1, "b": None}
    table["c"] = None
    table["b"] = 7
    print(table, table.get("z"))
    return table

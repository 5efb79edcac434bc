# repr of deeply nested values of many types, returned from main.
from typing import Optional


def main() -> dict[str, list[tuple[int, dict[str, Optional[bytes]]]]]:
    inner: dict[str, Optional[bytes]] = {"k": b"\x00'", "n": None}
    empty: dict[str, Optional[bytes]] = {}
    value = {"first": [(1, inner), (-2, empty)], "it's": [(0, {"q\"": b""})]}
    print(value)
    print(len(value["first"]), value["first"][0][1]["k"])
    return value

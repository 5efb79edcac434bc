# reverts: assertion failed: boom
def main() -> int:
    print("before")
    assert False, "boom"
    return 1

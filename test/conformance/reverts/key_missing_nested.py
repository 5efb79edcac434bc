# reverts: key not found
def main() -> int:
    d = {"outer": {"x": 1}}
    print(d["outer"]["x"])
    return d["outer"]["y"]

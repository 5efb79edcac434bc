# reverts: index out of range
def main() -> str:
    s = "héllo"
    print(s[4], s[-5])
    return s[5]

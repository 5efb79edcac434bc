# Characters outside the Basic Multilingual Plane count as one character each.
def main() -> list[str]:
    s = "hi 😀 there 🎉!"
    print(len(s), s[3], s[-2], s.find("🎉"), s.index("there"))
    print(s[::-1])
    print(s.split(" "), s.upper())
    thumbs = "👍🏽"
    print(len(thumbs), len(thumbs.encode()), thumbs[0] == "👍")
    flags = "🇫🇷"
    print(len(flags), flags[1:])
    return [s[3:4], s[-2:], "😀" * 3, "x😀y"[1]]

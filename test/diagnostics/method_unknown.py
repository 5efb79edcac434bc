# Methods that the builtin types do not have.
def build(names: list[str]) -> str:
    names.push("zed")  # expect: E0204
    title = names[0].title()  # expect: E0204
    counts = {"a": 1}
    for k, v in counts.iteritems():  # expect: E0204
        title += k
    return title

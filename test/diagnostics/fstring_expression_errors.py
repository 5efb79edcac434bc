# Errors inside f-string replacement fields are reported on the line of the field,
# also inside a triple-quoted f-string.
def report(total: int, names: list[str]) -> str:
    head = f"total={totl}"  # expect: E0201
    body = f"""names:
{names.size()}  # expect: E0204
count: {len(names) + "x"}  # expect: E0303
"""
    return head + body

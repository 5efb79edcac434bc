# Longest common subsequence by dynamic programming over a 2D table.
def lcs(a: str, b: str) -> str:
    n = len(a)
    m = len(b)
    dp = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if a[i] == b[j]:
                dp[i][j] = 1 + dp[i + 1][j + 1]
            else:
                dp[i][j] = max(dp[i + 1][j], dp[i][j + 1])
    out = ""
    i = 0
    j = 0
    while i < n and j < m:
        if a[i] == b[j]:
            out += a[i]
            i += 1
            j += 1
        elif dp[i + 1][j] >= dp[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def main() -> list[str]:
    print(lcs("ABCBDAB", "BDCABA"), lcs("", "abc"), lcs("same", "same"))
    return [lcs("AGGTAB", "GXTXAYB"), lcs("héllo wörld", "hello world")]

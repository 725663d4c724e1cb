/// The name in `names` nearest to `word` (a mistyped field, command or metric), for "did you mean",
/// when it is at most `within` edits away (letter case ignored).
public func nearestName(to word: String, among names: [String], within: Int = 2) -> String? {
    guard let best = names.min(by: { editDistance($0, word) < editDistance($1, word) }),
        editDistance(best, word) <= within
    else { return nil }
    return best
}

/// Levenshtein distance, letter case ignored.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased())
    let b = Array(b.lowercased())
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

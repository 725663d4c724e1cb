import Foundation

extension Encodable {
    /// The value as one line of JSON, keys sorted and slashes as they are: what `serve` writes for a program
    /// to read line by line (the ready object, the per-try log).
    var sortedJSONLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

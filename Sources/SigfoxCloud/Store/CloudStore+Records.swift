import GRDB
import SigfoxEngine

/// The records the APIs read, one query each.
extension CloudStore {
    /// The try `id`, or nil.
    func attempt(id: Int64) throws -> Row? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM attempt WHERE id = ?", arguments: [id]) }
    }
}

import Foundation
import GRDB

/// What `serve` checks of a data folder's database files before and while opening them, so a damaged
/// store says what to do instead of failing with SQLite's words, and a cut-short write-ahead log is
/// reported instead of silently rolled back.
enum StoreFiles {
    /// A warning when `database`'s write-ahead log ends in the middle of a frame (the file was cut short,
    /// by a full disk or a copy): SQLite would drop the incomplete transaction without a word. The log is
    /// copied aside first, so nothing is lost for whoever wants to look.
    static func checkWriteAheadLog(of database: String) -> String? {
        let wal = database + "-wal"
        guard let handle = FileHandle(forReadingAtPath: wal) else { return nil }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        guard size > 0 else { return nil }
        try? handle.seek(toOffset: 0)
        let header = [UInt8]((try? handle.read(upToCount: 32)) ?? Data())
        // The WAL header: magic 0x377f0682 or 0x377f0683, then the format version, then the page size.
        guard header.count == 32, header[0] == 0x37, header[1] == 0x7F, header[2] == 0x06,
            header[3] == 0x82 || header[3] == 0x83
        else {
            return "\(wal) does not start as a write-ahead log does; SQLite will ignore it"
        }
        let pageSize = header[8..<12].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let frame = 24 + pageSize
        guard pageSize >= 512, (size - 32) % frame != 0 else { return nil }
        let kept = wal + ".cut-short"
        try? FileManager.default.removeItem(atPath: kept)
        try? FileManager.default.copyItem(atPath: wal, toPath: kept)
        return "\(wal) is cut short (\(size) bytes, \((size - 32) % frame) of them an incomplete frame): the "
            + "transaction it was writing is lost, and SQLite rolls back to the last complete one; the log "
            + "as found is kept in \(kept)"
    }

    /// The error to show for a database that cannot be opened: a damaged file says how to go on.
    static func openingError(_ error: any Error, database: String, folder: String) -> ServeError {
        if let error = error as? DatabaseError,
            [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode.primaryResultCode)
        {
            return ServeError(
                "the store \(database) is damaged (\(error.message ?? "\(error.resultCode)")): move it aside "
                    + "(mv \(database) \(database).damaged, and its -wal and -shm files) to start afresh in "
                    + "\(folder), or give --data another folder"
            )
        }
        return ServeError("cannot open the store in \(folder): \(error)")
    }
}

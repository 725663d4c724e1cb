import GRDB

extension CloudStore {
    /// A page of every try not delivered (with `notDelivered` errors), newest first: the API v2's
    /// `GET /groups/{id}/callbacks-not-delivered` of the root group, which every device belongs to.
    func triesNotDelivered(page: StorePage) throws -> [KeptTry] {
        try read { db in
            try KeptTry.fetchAll(
                db,
                sql: "SELECT * FROM attempt WHERE notDelivered IS NOT NULL" + page.sql,
                arguments: page.arguments
            )
        }
    }
}

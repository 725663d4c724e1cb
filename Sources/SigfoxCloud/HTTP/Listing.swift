/// A page of a listing, in both APIs: `data`, then `paging.next` (the URL of the next page) when there is
/// more than this page (the API v2 reference's `...ListResponse` shapes; the control API's `/sim/messages`
/// and `/sim/attempts`).
struct Listing<Item: Encodable>: Encodable {
    var data: [Item]
    var paging: Paging?

    /// A listing of the API v2: `paging` always there, `{}` on the last page, as the live API sends it (the
    /// recorded answers in Tests/Fixtures/api-v2; clients written against it require the field).
    static func v2(_ data: [Item], next: Paging?) -> Listing {
        Listing(data: data, paging: next ?? Paging())
    }
}

/// `paging`: the URL of the next page, none on the last.
struct Paging: Encodable {
    var next: String?
}

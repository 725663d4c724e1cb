/// A page of a listing, in both APIs: `data`, then `paging.next` (the URL of the next page) when there is
/// more than this page (the API v2 reference's `...ListResponse` shapes; the control API's `/sim/messages`
/// and `/sim/attempts`).
struct Listing<Item: Encodable>: Encodable {
    var data: [Item]
    var paging: Paging?
}

/// `paging`: the URL of the next page.
struct Paging: Encodable {
    var next: String
}

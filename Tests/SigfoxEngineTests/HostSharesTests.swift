import SigfoxModel
import Testing

@testable import SigfoxEngine

/// A receiver's share of the in-flight cap: tries parked for a host at its share come back in due order, as
/// many as there is room for, however many wait (they are taken from the front in place).
@Suite("host shares")
struct HostSharesTests {
    static func entry(_ index: Int) -> TimedEntry {
        TimedEntry(time: SimulationTime(milliseconds: Int64(1_000 + index)), order: UInt64(index), id: UInt64(index))
    }

    @Test("thousands parked for one host come back one per ended try, in due order, the count kept")
    func parkedInOrder() {
        var shares = HostShares(cap: 2, total: 256)
        let host: Int32 = 0
        shares.started(host)
        shares.started(host)
        #expect(!shares.hasRoom(host))
        for index in 0..<3_000 { shares.park(Self.entry(index), host: host) }
        #expect(shares.parkedCount == 3_000)
        var freed = [UInt64]()
        for expected in 0..<3_000 {
            #expect(shares.earliestParked == Self.entry(expected).time)
            let back = shares.ended(host)
            #expect(back.count == 1)
            freed += back.map(\.id)
            shares.started(host)  // the freed try goes on the wire
        }
        #expect(freed == (0..<3_000).map(UInt64.init))
        #expect(shares.parkedCount == 0)
        #expect(shares.earliestParked == nil)
        #expect(shares.ended(host).isEmpty)
    }

    @Test("each ended try frees the room left; the queue keeps its order and starts afresh once emptied")
    func severalAtOnce() {
        var shares = HostShares(cap: 3, total: 256)
        let host: Int32 = 1
        for _ in 0..<3 { shares.started(host) }
        for index in 0..<5 { shares.park(Self.entry(index), host: host) }
        // The three end before anything freed starts: room 1, then 2, then 3 (the scheduler queues what is
        // freed again and parks it anew if the host has no room when it comes due).
        #expect(shares.ended(host).map(\.id) == [0])
        #expect(shares.ended(host).map(\.id) == [1, 2])
        #expect(shares.parkedCount == 2)
        #expect(shares.earliestParked == Self.entry(3).time)
        #expect(shares.ended(host).map(\.id) == [3, 4])
        #expect(shares.parkedCount == 0)
        #expect(shares.earliestParked == nil)
        // Parked again once the queue was empty: it starts afresh.
        for _ in 0..<3 { shares.started(host) }
        shares.park(Self.entry(9), host: host)
        #expect(shares.earliestParked == Self.entry(9).time)
        #expect(shares.ended(host).map(\.id) == [9])
        #expect(shares.parkedCount == 0)
    }
}

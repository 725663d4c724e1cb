import Foundation
import SigfoxTesting
import Testing

@Suite("Signals: the first drains the command's services, the second stops them", .timeLimit(.minutes(1)))
struct SignalTests {
    @Test("receive: SIGTERM stops the receiver through its service group, says why and exits 0")
    func receiveTerminated() throws {
        let folder = try temporaryFolder("signals")
        defer { try? FileManager.default.removeItem(at: folder) }
        let receiver = try ReceiverProcess([], folder: folder)
        defer { receiver.stop() }
        receiver.child.signal(SIGTERM)
        let status = receiver.child.waitForExit(seconds: 10)
        let log = receiver.log
        #expect(status == 0, "\(log)")
        #expect(log.contains("sigfox-sim: stopped: terminated"), "\(log)")
    }

    @Test("receive: SIGINT is told apart from SIGTERM")
    func receiveInterrupted() throws {
        let folder = try temporaryFolder("signals")
        defer { try? FileManager.default.removeItem(at: folder) }
        let receiver = try ReceiverProcess([], folder: folder)
        defer { receiver.stop() }
        receiver.child.signal(SIGINT)
        let status = receiver.child.waitForExit(seconds: 10)
        let log = receiver.log
        #expect(status == 0, "\(log)")
        #expect(log.contains("sigfox-sim: stopped: interrupted"), "\(log)")
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a plain client saw go wrong.
enum RawSocketError: Error, Equatable {
    case connectFailed(Int32)
    case timedOut
    /// The server closed the connection (EOF) before a complete answer.
    case closed
    /// The connection was reset (ECONNRESET).
    case reset
    case failed(Int32)
}

/// A blocking TCP client on a POSIX socket, so the tests drive the servers with nothing of their own.
///
/// Every read has its own bounded timeout. Use it from `onThread` so blocking never ties up the
/// cooperative thread pool.
final class RawSocket {
    private let descriptor: Int32
    private var buffered: [UInt8] = []

    init(port: Int, host: String = "127.0.0.1") throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            let code = errno
            Glibc.close(descriptor)
            throw RawSocketError.connectFailed(code)
        }
    }

    deinit { Glibc.close(descriptor) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 { throw RawSocketError.failed(errno) }
            offset += sent
        }
    }

    /// Closes the sending side and the socket.
    func close() { shutdown(descriptor, Int32(SHUT_RDWR)) }

    /// Reads at least one more byte into the buffer, waiting at most `timeout` seconds.
    private func fill(timeout: Double) throws {
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffered += chunk[..<count]
            return
        }
        if count == 0 { throw RawSocketError.closed }
        switch errno {
        case EAGAIN, EWOULDBLOCK: throw RawSocketError.timedOut
        case ECONNRESET: throw RawSocketError.reset
        case let code: throw RawSocketError.failed(code)
        }
    }

    /// The next line without its CRLF.
    func readLine(timeout: Double = 5) throws -> String {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let end = newline > 0 && buffered[newline - 1] == UInt8(ascii: "\r") ? newline - 1 : newline
                let line = String(decoding: buffered[..<end], as: UTF8.self)
                buffered.removeFirst(newline + 1)
                return line
            }
            try fill(timeout: timeout)
        }
    }

    /// Exactly `count` bytes.
    func readBytes(_ count: Int, timeout: Double = 5) throws -> [UInt8] {
        while buffered.count < count { try fill(timeout: timeout) }
        defer { buffered.removeFirst(count) }
        return Array(buffered[..<count])
    }

    /// Whether the server has closed the connection within `timeout` (EOF or reset).
    func isClosedByPeer(timeout: Double) -> Bool {
        do {
            try fill(timeout: timeout)
            return false
        } catch {
            return error as? RawSocketError == .closed || error as? RawSocketError == .reset
        }
    }
}

/// Runs blocking work on its own thread and awaits it.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

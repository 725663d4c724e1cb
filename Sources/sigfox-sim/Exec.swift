import ArgumentParser
import Foundation
import SigfoxCloud
import Synchronization
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

extension SigfoxSim {
    /// `sigfox-sim exec [serve's options] -- COMMAND ARGS...`: `serve` around a command, as Firebase's
    /// `emulators:exec` or start-server-and-test do.
    struct Exec: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start serve, run a command against it, stop serve, and exit with the command's exit code.",
            discussion: """
                Starts `sigfox-sim serve` with the options given (on a free port unless --port says \
                otherwise), waits until it answers, then runs COMMAND with these variables added to its \
                environment:

                  SIGFOX_SIM_URL            the control API, /health and the dashboard (http://127.0.0.1:PORT)
                  SIGFOX_SIM_API_URL        the Sigfox API v2 (SIGFOX_SIM_URL/v2)
                  SIGFOX_SIM_API_LOGIN      its HTTP Basic login
                  SIGFOX_SIM_API_PASSWORD   and password
                  SIGFOX_SIM_RECEIVER_URL   what {receiver} is (--target, or the embedded receiver)

                When the command ends, serve stops as on Ctrl-C (tries in flight get their 10 s deadline), \
                --export-on-exit writes every message and every try as JSON (for CI artefacts), and exec \
                exits with the command's exit code (128+N when a signal N ended it). serve's banner and its \
                per-try log go to standard error; standard output is the command's. Ctrl-C reaches the \
                command from the terminal; SIGTERM is passed on to it.

                Examples:
                  sigfox-sim exec -- pytest tests/
                  sigfox-sim exec my.yaml --target http://127.0.0.1:8080 -- npm test
                  sigfox-sim exec --export-on-exit sigfox-sim.json -- go test ./...

                Exit codes: the command's; 2 bad usage, a bad scenario or a port in use (the command is not \
                run); 127 the command was not found.
                """
        )

        @OptionGroup var serve: ServeArguments

        @Option(
            help: ArgumentHelp(
                "When the command has ended and serve has stopped, write every message and every try (as GET "
                    + "/sim/messages and /sim/attempts list them) to this JSON file.",
                valueName: "file"
            )
        )
        var exportOnExit: String?

        @Argument(
            parsing: .postTerminator,
            help: ArgumentHelp("The command to run and its arguments, after --.", valueName: "command")
        )
        var command: [String] = []

        func validate() throws {
            guard !command.isEmpty else {
                throw ValidationError(
                    "give the command to run after --, e.g. sigfox-sim exec -- pytest tests/"
                )
            }
        }

        func run() async throws {
            let session = try ServeSession(arguments: serve, defaultPort: 0, output: .standardError)
            let server = session.server
            let child = Atomic<Int32>(0)
            let exitStatus = Mutex<Int32?>(nil)
            let command = self.command
            // SIGTERM (a CI runner stopping the job) goes on to the command; SIGINT from a terminal reaches
            // the command by itself, as it is in the same process group. Before the command started, either
            // stops serve. So serve's group takes no signal of its own here.
            let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
            let forwarding = Task {
                for await signal in signals {
                    let pid = child.load(ordering: .acquiring)
                    if pid > 0 {
                        if signal == .sigterm { kill(pid, SIGTERM) }
                    } else {
                        exitStatus.withLock { $0 = $0 ?? 128 + (signal == .sigint ? SIGINT : SIGTERM) }
                        server.shutdown()
                    }
                }
            }
            defer { forwarding.cancel() }
            try await session.run(stopSignals: false) { readiness in
                let environment = ProcessInfo.processInfo.environment.merging(readiness.environment) { $1 }
                let pid: pid_t
                do {
                    pid = try ChildProcess.spawn(command, environment: environment)
                } catch {
                    FileHandle.standardError.write(Data("sigfox-sim exec: \(error)\n".utf8))
                    exitStatus.withLock { $0 = 127 }
                    server.shutdown()
                    return
                }
                child.store(pid, ordering: .releasing)
                // waitpid blocks: on a thread of its own, not the concurrency pool.
                Thread {
                    let status = ChildProcess.wait(pid)
                    exitStatus.withLock { $0 = status }
                    server.shutdown()
                }.start()
            } beforeClose: {
                guard let exportOnExit else { return }
                do {
                    try server.export(to: exportOnExit)
                } catch {
                    throw CommandFailure.usage("\(error)")
                }
                FileHandle.standardError.write(Data("sigfox-sim exec: wrote \(exportOnExit)\n".utf8))
            }
            Foundation.exit(exitStatus.withLock { $0 } ?? 1)
        }
    }
}

/// A command started with `posix_spawnp` (found on `PATH`), with every signal back to its default and
/// none blocked, so it behaves as when started from a shell.
enum ChildProcess {
    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    static func spawn(_ command: [String], environment: [String: String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, command[0], nil, &attributes, argv, envp)
        guard result == 0 else {
            if result == ENOENT {
                throw SpawnError(description: "command not found: \(command[0])")
            }
            throw SpawnError(description: "cannot run \(command[0]): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Waits for `pid` to end: its exit code, or 128+N when signal N ended it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return 1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

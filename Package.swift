// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sigfox-sim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sigfox-sim", targets: ["sigfox-sim"]),
        .library(name: "SigfoxModel", targets: ["SigfoxModel"]),
        .library(name: "SigfoxEngine", targets: ["SigfoxEngine"]),
        .library(name: "SigfoxScenario", targets: ["SigfoxScenario"]),
        .library(name: "SigfoxSimulation", targets: ["SigfoxSimulation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Already resolved through Hummingbird: the lifecycle of serve's and receive's servers.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // serve --https: TLS (already resolved through Hummingbird) and the local CA that signs its certificate.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // Sigfox's rules as pure values: ids, payloadConfig, templates, callback definitions.
        .target(name: "SigfoxModel"),
        // The simulation: network core, callback engine, scheduler (pure, clock passed in).
        .target(
            name: "SigfoxEngine",
            dependencies: [
                "SigfoxModel", .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // libcurl, with typed wrappers for its variadic calls.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // The libcurl multi engine: HTTP(S) and SMTP behind the engine's Transport protocol.
        .target(name: "CurlTransport", dependencies: ["CCurl", "SigfoxEngine", "SigfoxModel"]),
        // What the embedded receiver and the SMTP sink answer and record, as pure values (no sockets).
        .target(name: "SigfoxReceiverModel", dependencies: ["SigfoxModel"]),
        // Servers on SwiftNIO: the embedded test receiver and the SMTP sink.
        .target(
            name: "SigfoxServices",
            dependencies: [
                "SigfoxEngine", "SigfoxModel", "SigfoxReceiverModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The scenario format: the file, its loading with file:line errors, traffic, expectations, reports.
        .target(
            name: "SigfoxScenario",
            dependencies: [
                "SigfoxModel", "SigfoxEngine", "SigfoxReceiverModel",
                .product(name: "Yams", package: "Yams"), .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        // The simulation host: the embedded servers, curl settings, network and delivery loop built in one
        // place for run, replay, load and serve; the runners of scenarios and replays.
        .target(
            name: "SigfoxSimulation",
            dependencies: [
                "SigfoxModel", "SigfoxEngine", "SigfoxReceiverModel", "SigfoxScenario", "CurlTransport",
                "SigfoxServices",
            ]
        ),
        // Load tests of receivers: the open-model generator, latency histograms, reports.
        .target(
            name: "SigfoxLoad",
            dependencies: [
                "SigfoxModel", "SigfoxEngine", "CurlTransport", "SigfoxScenario", "SigfoxSimulation",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The long-running emulator behind `serve`: live engine, SQLite store, control API, events, metrics.
        .target(
            name: "SigfoxCloud",
            dependencies: [
                "SigfoxModel", "SigfoxEngine", "CurlTransport", "SigfoxScenario", "SigfoxServices",
                "SigfoxSimulation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            // The OpenAPI document served at /openapi.json (the one description of the routes), in the binary.
            resources: [.embedInCode("Resources/openapi.json")]
        ),
        .executableTarget(
            name: "sigfox-sim",
            dependencies: [
                "SigfoxModel", "SigfoxEngine", "SigfoxScenario", "CCurl", "CurlTransport", "SigfoxServices",
                "SigfoxReceiverModel", "SigfoxSimulation", "SigfoxLoad", "SigfoxCloud",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Benchmarks of the engine's parts (network core, scheduler): built beside the tool, not shipped in it.
        .executableTarget(
            name: "sigfox-sim-bench",
            dependencies: [
                "SigfoxModel", "SigfoxEngine", "SigfoxScenario", "SigfoxLoad",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            path: "Benchmarks/sigfox-sim-bench"
        ),
        .testTarget(name: "SigfoxModelTests", dependencies: ["SigfoxModel", "SigfoxTesting"]),
        .testTarget(name: "SigfoxEngineTests", dependencies: ["SigfoxEngine", "SigfoxModel", "SigfoxTesting"]),
        .target(name: "SigfoxTesting", dependencies: ["SigfoxEngine"], path: "Tests/SigfoxTesting"),
        .testTarget(
            name: "CurlTransportTests",
            dependencies: [
                "CurlTransport", "SigfoxServices", "SigfoxEngine", "SigfoxModel", "SigfoxTesting", "SigfoxScenario",
                "SigfoxReceiverModel", "SigfoxSimulation",
            ]
        ),
        .testTarget(
            name: "SigfoxServicesTests",
            dependencies: ["SigfoxServices", "SigfoxReceiverModel", "SigfoxEngine", "SigfoxModel"]
        ),
        .testTarget(
            name: "SigfoxScenarioTests",
            dependencies: [
                "SigfoxScenario", "SigfoxSimulation", "SigfoxModel", "SigfoxEngine", "SigfoxServices",
                "SigfoxReceiverModel", "SigfoxTesting",
            ]
        ),
        .testTarget(name: "SigfoxSimCLITests", dependencies: ["sigfox-sim", "SigfoxTesting"]),
        .testTarget(
            name: "SigfoxServeTests",
            dependencies: [
                "sigfox-sim", "SigfoxCloud", "SigfoxScenario", "SigfoxSimulation", "SigfoxModel", "SigfoxServices",
                "SigfoxReceiverModel", "SigfoxEngine", "SigfoxTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "SigfoxLoadTests",
            dependencies: [
                "SigfoxLoad", "SigfoxEngine", "SigfoxModel", "SigfoxServices", "SigfoxScenario", "CurlTransport",
                "SigfoxReceiverModel", "SigfoxSimulation", "SigfoxTesting",
            ]
        ),
    ]
)

// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "bindsim",
  products: [
    .library(name: "BindModel", targets: ["BindModel"]),
    .executable(name: "bindsim", targets: ["bindsim"]),
  ],
  targets: [
    // The pure model and the scenario language: standard library only.
    .target(name: "BindModel", swiftSettings: strict),
    // The scenario language: lexer, parser, diagnostics, and the printer for --update.
    .target(name: "ScenarioLanguage", dependencies: ["BindModel"], swiftSettings: strict),
    // The only module that talks to the kernel through Glibc.
    .target(name: "KernelReplay", dependencies: ["BindModel"], swiftSettings: strict),
    // Subcommands, option parsing, rendering and exit codes (a library, so tests call it).
    .target(
      name: "BindSimCLI", dependencies: ["BindModel", "ScenarioLanguage", "KernelReplay"],
      swiftSettings: strict),
    .executableTarget(name: "bindsim", dependencies: ["BindSimCLI"], swiftSettings: strict),
    .testTarget(name: "BindModelTests", dependencies: ["BindModel"], swiftSettings: strict),
    .testTarget(
      name: "ScenarioLanguageTests", dependencies: ["ScenarioLanguage", "BindModel"],
      swiftSettings: strict),
    .testTarget(
      name: "KernelReplayTests", dependencies: ["KernelReplay", "BindModel"], swiftSettings: strict),
    .testTarget(
      name: "BindSimCLITests", dependencies: ["BindSimCLI", "BindModel"], swiftSettings: strict),
  ]
)

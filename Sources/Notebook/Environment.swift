import ConvNet
import Foundation
import RunStore

/// What a run records about where and how it ran, so a result can be traced years later.
enum RunEnvironment {
    /// Captured once per process: launching git and swift costs a few tens of milliseconds.
    static let attributes: [(String, AttributeValue)] = {
        var out: [(String, AttributeValue)] = []
        let commit = shell("git", "rev-parse", "HEAD") ?? "unknown (not a git checkout)"
        let dirty = shell("git", "status", "--porcelain", "--untracked-files=no").map { !$0.isEmpty }
        out.append(("git_commit", .string(commit + (dirty == true ? " (dirty tree)" : ""))))
        out.append(("swift_version", .string(shell("swift", "--version")?.split(separator: "\n").first.map(String.init) ?? "unknown")))
        out.append(("os", .string(osName())))
        out.append(("cpu", .string("\(Engine.cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores")))
        out.append(("host", .string(ProcessInfo.processInfo.hostName)))
        return out
    }()

    private static func osName() -> String {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else {
            return ProcessInfo.processInfo.operatingSystemVersionString
        }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return ProcessInfo.processInfo.operatingSystemVersionString
    }
}

/// Runs a program found on PATH and returns its trimmed standard output, or nil.
func shell(_ arguments: String...) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}


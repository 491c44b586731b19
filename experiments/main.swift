import ArgumentParser
import Foundation
import Notebook

// Every failure ends as one line on stderr and a non-zero exit code, never a stack trace;
// --help and --version print their text and exit 0.
do {
    var command = try Experiments.parseAsRoot()
    // EXPERIMENTS_ISA forces an instruction-set path; a bad value stops before any work.
    if !(command is Experiments) { try KernelPath.selectFromEnvironment() }
    try command.run()
} catch let notWritten as ReportNotWritten {
    // One line per view that failed; the previous report is left as it was.
    for line in notWritten.lines { FileHandle.standardError.write(Data("experiments: \(line)\n".utf8)) }
    exit(1)
} catch let code as ExitCode {
    // A command that printed its own verdict (verify: a path that differs) and only sets the status.
    exit(code.rawValue)
} catch {
    let code = Experiments.exitCode(for: error)
    if code == .success { Experiments.exit(withError: error) }
    let message = Experiments.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    let hint = code == .validationFailure && !message.contains("'experiments ") ? " (see 'experiments --help')" : ""
    FileHandle.standardError.write(Data("experiments: \(message)\(hint)\n".utf8))
    exit(code.rawValue)
}

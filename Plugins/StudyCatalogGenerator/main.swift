import Foundation

// Writes `extension Catalog { static let studies = [...] }` from the study files given:
// every top-level `let <identifier> = Study(` (the study's declaration), in the order of
// the study names, so `experiments list` and the scoreboard list them alphabetically.
// Usage: StudyCatalogGenerator <output.swift> <study file>...
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: StudyCatalogGenerator <output.swift> <study file>...\n".utf8))
    exit(2)
}
let declaration = try NSRegularExpression(pattern: #"^let\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*Study\(\s*"([^"]+)""#,
                                          options: [.anchorsMatchLines])
var studies: [(identifier: String, name: String)] = []
for path in arguments.dropFirst() {
    let source = try String(contentsOfFile: path, encoding: .utf8)
    for match in declaration.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
        studies.append((String(source[Range(match.range(at: 1), in: source)!]), String(source[Range(match.range(at: 2), in: source)!])))
    }
}
studies.sort { $0.name < $1.name }
let text = """
    // Generated at build time by Plugins/StudyCatalog from experiments/Studies: do not edit.
    import Notebook

    extension Catalog {
        /// Every study declared in experiments/Studies, by name.
        static let studies: [Study] = [\(studies.map(\.identifier).joined(separator: ", "))]
    }

    """
// Rewritten only when it changes, so an unchanged catalog does not recompile the module.
if (try? String(contentsOfFile: output, encoding: .utf8)) != text {
    try text.write(toFile: output, atomically: true, encoding: .utf8)
}

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
// Anything that looks like it declares a study: one the pattern above does not read would
// silently be left out of the catalog, so it stops the build instead.
let lookalike = try NSRegularExpression(pattern: #"^[ \t]*((@\w+|\w+(\(\w+\))?)[ \t]+)*(let|var)\s+[A-Za-z_][A-Za-z0-9_]*\s*(:\s*(Notebook\.)?Study\s*)?=\s*(Notebook\.)?Study(\.init)?\s*\("#,
                                        options: [.anchorsMatchLines])

/// The line (from 1) of a UTF-16 offset into a file, as a regular expression's match gives it.
func line(in source: String, at offset: Int) -> Int {
    source.utf16.prefix(offset).filter { $0 == 10 }.count + 1
}

/// Stops the build with a compiler-style line that `swift build` and editors point at.
func fail(_ path: String, _ source: String, at offset: Int, _ message: String) -> Never {
    FileHandle.standardError.write(Data("\(path):\(line(in: source, at: offset)): error: \(message)\n".utf8))
    exit(1)
}

var studies: [(identifier: String, name: String, place: String)] = []
for path in arguments.dropFirst() {
    let source = try String(contentsOfFile: path, encoding: .utf8)
    let whole = NSRange(source.startIndex..., in: source)
    let declarations = declaration.matches(in: source, range: whole)
    for match in declarations {
        let name = String(source[Range(match.range(at: 2), in: source)!])
        if let other = studies.first(where: { $0.name == name }) {
            fail(path, source, at: match.range.location, "a second study named '\(name)' (the first: \(other.place)); study names must differ")
        }
        studies.append((String(source[Range(match.range(at: 1), in: source)!]), name, "\(path):\(line(in: source, at: match.range.location))"))
    }
    let read = Set(declarations.map(\.range.location))
    if let unread = lookalike.matches(in: source, range: whole).first(where: { !read.contains($0.range.location) }) {
        fail(path, source, at: unread.range.location,
             "a study is registered from a top-level 'let <name> = Study(\"<study-name>\", ...)': unindented, no modifier, attribute or type annotation, and the name a string literal; write it that way")
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

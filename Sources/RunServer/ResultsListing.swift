import Foundation

/// One walk of a results folder: the run files, which runs each report
/// names, and the files a page may link to (report pages and figures).
struct ResultsListing {
    /// (id, file) sorted by id; the id is the path under the root without ".h5".
    private(set) var runFiles: [(id: String, url: URL)] = []
    /// Run id -> the reports whose report.md links to that run's file.
    private(set) var reportsNaming: [String: [ReportFolder]] = [:]
    /// Path under the root -> file, for report.html, report.md and figures/*.png|svg.
    private(set) var artifacts: [String: URL] = [:]

    init(root: URL) {
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        while let url = enumerator?.nextObject() as? URL {
            guard let key = Self.keyInside(root, url, skippingLinkedFolders: enumerator) else { continue }
            let name = url.lastPathComponent
            if name.hasSuffix(".h5") {
                runFiles.append((String(key.dropLast(3)), url))
            } else if name == "report.md" || name == "report.html" || Self.isFigure(key) {
                artifacts[key] = url
            }
        }
        runFiles.sort { $0.id < $1.id }
        for (key, url) in artifacts.sorted(by: { $0.key < $1.key }) where url.lastPathComponent == "report.md" {
            noteRuns(named: url, report: String(key.dropLast("/report.md".count)))
        }
    }

    /// The path of `url` under `root`, or nil when it is not a regular file whose real path
    /// stays inside the root: a symlink out of the results folder is never served, and the walk
    /// never enters a linked folder. One lstat per plain file; only symlinks are resolved.
    private static func keyInside(_ root: URL, _ url: URL, skippingLinkedFolders walk: FileManager.DirectoryEnumerator?) -> String? {
        var info = stat()
        guard url.path.hasPrefix(root.path + "/"), lstat(url.path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFLNK:
            walk?.skipDescendants()
            let real = url.resolvingSymlinksInPath().path
            guard real.hasPrefix(root.path + "/"), stat(real, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        default:
            return nil
        }
        return String(url.path.dropFirst(root.path.count + 1))
    }

    private static func isFigure(_ key: String) -> Bool {
        key.contains("/figures/") && (key.hasSuffix(".png") || key.hasSuffix(".svg"))
    }

    /// A report folder is `<study>` or `<study>/<variant>`; its runs are `<study>/runs/*.h5`, which
    /// report.md links as `runs/<file>.h5`.
    private mutating func noteRuns(named reportFile: URL, report id: String) {
        let parts = id.split(separator: "/")
        guard parts.count == 1 || parts.count == 2,
              let text = try? String(contentsOf: reportFile, encoding: .utf8) else { return }
        let report = ReportFolder(id: id, variant: parts.count == 1 ? "default" : String(parts[1]))
        var named = Set<String>()
        var rest = text[...]
        while let start = rest.range(of: "(runs/") {
            rest = rest[start.upperBound...]
            guard let end = rest.range(of: ".h5)") else { break }
            let file = rest[..<end.lowerBound]
            if !file.contains(where: { " /()[]".contains($0) }) { named.insert("\(parts[0])/runs/\(file)") }
            rest = rest[end.upperBound...]
        }
        for run in named { reportsNaming[run, default: []].append(report) }
    }
}

// The script and the data file of one figure, written side by side so that every
// plot command's `index` names the block written for it.

struct ScriptBuilder {
    let name: String
    private(set) var script: [String] = []
    private(set) var data = ""
    private var blockCount = 0

    init(name: String) {
        self.name = name
    }

    /// The data file as the script names it.
    var dataFile: String { GnuplotText.quoted(name + ".dat") }

    mutating func add(_ lines: String...) {
        script += lines
    }

    mutating func add(_ lines: [String]) {
        script += lines
    }

    /// Up to this many cells are drawn one rectangle each, sharp in every viewer; above it
    /// as one bitmap, which keeps the files small.
    static let largestVectorImage = 10_000

    mutating func noteBitmap() {
        add("# One bitmap keeps the files small; SVG viewers may smooth it when they stretch it.",
            "# Drawn as rectangles instead (see the gnuplot manual: image pixels), it stays sharp but makes a large SVG.")
    }

    /// Appends an `index` block headed by `# series: label` and `# columns` (what the
    /// columns hold); returns the block's index.
    mutating func addBlock(label: String, columns: String, rowCount: Int, row: (Int) -> [String]) -> Int {
        // Blocks are separated by two blank lines: that is what `index` counts.
        if blockCount > 0 { data += "\n\n" }
        data += "# series: \(GnuplotText.flat(label))\n# \(columns)\n"
        for index in 0..<rowCount {
            data += row(index).joined(separator: " ") + "\n"
        }
        blockCount += 1
        return blockCount - 1
    }
}

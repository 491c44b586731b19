// Script and data for an ImageGrid: all images in one mosaic matrix, NaN in the gaps
// (NaN pixels are not drawn), each caption in a strip left free under its image.

extension ScriptBuilder {
    mutating func addImageGrid(_ grid: ImageGrid, title: String, canvas: Canvas) {
        let layout = MosaicLayout(grid, canvas: canvas)
        let finite = grid.images.joined().filter(\.isFinite)
        add("set title \(GnuplotText.text(title))",
            "unset border",
            "unset tics",
            "unset grid",
            "set size ratio -1   # square pixels",
            "set xrange [-0.5:\(GnuplotText.number(Double(layout.width) - 0.5))]",
            "set yrange [\(GnuplotText.number(Double(layout.height) - 0.5)):-0.5]   # reversed: row 0 at the top",
            "set lmargin 1",
            "set bmargin 1")
        if grid.symmetricColors {
            let extent = Double(finite.map(abs).max() ?? 0)
            let limit = GnuplotText.number(extent > 0 ? extent : 1)
            add("set palette defined (-1 \"#2166AC\", 0 \"#FFFFFF\", 1 \"#B2182B\")   # blue below 0, red above",
                "set cbrange [-\(limit):\(limit)]",
                "set cbtics scale 0.5",
                "set rmargin 8")
            // White gaps would vanish next to near-zero weights: frame each image.
            for image in grid.images.indices {
                let (x, y) = layout.origin(of: image)
                add("set object rectangle from \(Double(x) - 0.5), \(Double(y) - 0.5) to \(Double(x + grid.imageColumns) - 0.5), \(Double(y + grid.imageRows) - 0.5) fs empty border lc rgb \"#909090\" lw 0.5 front")
            }
        } else {
            let low = Double(finite.min() ?? 0)
            let high = Double(finite.max() ?? 1)
            add("set palette gray   # low values black, high values white",
                "set cbrange [\(GnuplotText.number(low)):\(GnuplotText.number(high > low ? high : low + 1))]",
                "unset colorbox",
                "set rmargin 1")
        }
        for (image, caption) in grid.captions.enumerated() {
            let (x, y) = layout.origin(of: image)
            let centreX = Double(x) + Double(grid.imageColumns - 1) / 2
            let captionY = Double(y + grid.imageRows) - 0.5 + Double(layout.captionRows) / 2
            add("set label \(GnuplotText.text(caption)) at \(GnuplotText.number(centreX)), \(GnuplotText.number(captionY)) center font \",\(layout.captionFontSize)\"")
        }

        let index = addBlock(label: "\(grid.images.count) images of \(grid.imageRows)x\(grid.imageColumns) in a mosaic",
                             columns: "matrix: \(layout.height) rows of \(layout.width) values, NaN between the images",
                             rowCount: layout.height) { row in
            (0..<layout.width).map { column in
                layout.pixel(row: row, column: column, of: grid).map(GnuplotText.number) ?? "NaN"
            }
        }
        var style = "with image pixels"
        if grid.images.count * grid.imageRows * grid.imageColumns > Self.largestVectorImage {
            noteBitmap()
            style = "with image"
        }
        add("# gnuplot warns that the matrix holds undefined values: those are the gaps, left blank.",
            "plot \(dataFile) index \(index) matrix \(style)")
    }
}

/// Where each image sits in the mosaic, in image pixels.
struct MosaicLayout {
    let columns: Int
    let imageRows: Int
    let imageColumns: Int
    let gap: Int
    /// Free rows under each image for its caption (0 without captions).
    let captionRows: Int
    let captionFontSize: Int
    let width: Int
    let height: Int

    init(_ grid: ImageGrid, canvas: Canvas) {
        columns = min(grid.columns, grid.images.count)
        let rows = (grid.images.count + columns - 1) / columns
        imageRows = grid.imageRows
        imageColumns = grid.imageColumns
        gap = max(1, Int((Double(max(imageRows, imageColumns)) / 10).rounded()))
        // gnuplot draws no image under 2x2 pixels: a mosaic one pixel wide or high is padded with a blank one.
        width = max(2, columns * imageColumns + (columns - 1) * gap)

        // The drawing area left by the title and the margins (and the colour bar).
        let font = canvas.fontSize
        let areaWidth = canvas.width - 2 * font - (grid.symmetricColors ? 8 * font : 0)
        let areaHeight = canvas.height - 4 * 1.6 * font
        let longestCaption = Double(grid.captions.map(\.count).max() ?? 0)
        var captionFont = font - 1
        var captionRows = 0
        // The pixel scale depends on the caption strips and they on the scale: a few rounds settle it.
        for _ in 0..<4 {
            let mosaicHeight = rows * (imageRows + captionRows) + (rows - 1) * gap
            let scale = min(areaWidth / Double(width), areaHeight / Double(mosaicHeight))
            guard longestCaption > 0 else { break }
            let cellWidth = scale * Double(imageColumns + gap)
            captionFont = max(6, min(font - 1, (cellWidth / (longestCaption * 0.8)).rounded(.down)))
            captionRows = Int((1.5 * captionFont / scale).rounded(.up))
        }
        self.captionRows = captionRows
        captionFontSize = Int(captionFont)
        height = max(2, rows * (imageRows + captionRows) + (rows - 1) * gap)
    }

    /// Top-left pixel of image `index`.
    func origin(of index: Int) -> (x: Int, y: Int) {
        let (row, column) = index.quotientAndRemainder(dividingBy: columns)
        return (column * (imageColumns + gap), row * (imageRows + captionRows + gap))
    }

    /// The image value at a mosaic pixel, nil in a gap, a caption strip or past the last image.
    func pixel(row: Int, column: Int, of grid: ImageGrid) -> Float? {
        let (gridRow, y) = row.quotientAndRemainder(dividingBy: imageRows + captionRows + gap)
        let (gridColumn, x) = column.quotientAndRemainder(dividingBy: imageColumns + gap)
        let image = gridRow * columns + gridColumn
        guard y < imageRows, x < imageColumns, image < grid.images.count else { return nil }
        return grid.images[image][y * imageColumns + x]
    }
}

// Small images in a grid: dataset samples, misclassified digits, learned filters.

public struct ImageGrid: Sendable {
    /// Each image holds imageRows * imageColumns values, row-major, row 0 at the top.
    /// Drawn in grey, low values black and high values white (digits white on black),
    /// on one colour scale for all images.
    public var images: [[Float]]
    public var imageRows: Int
    public var imageColumns: Int
    /// One caption under each image, or empty for none.
    public var captions: [String]
    /// Images per row of the grid. The images are scaled to fit the figure with square
    /// pixels: a 10x10 grid of captioned digits reads well in a figure of about 800x900.
    public var columns: Int
    /// For filters and weights: a blue-white-red scale centred on 0, with a colour bar.
    public var symmetricColors: Bool

    public init(images: [[Float]], imageRows: Int, imageColumns: Int, captions: [String] = [],
                columns: Int, symmetricColors: Bool = false) {
        self.images = images
        self.imageRows = imageRows
        self.imageColumns = imageColumns
        self.captions = captions
        self.columns = columns
        self.symmetricColors = symmetricColors
    }
}

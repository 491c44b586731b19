/// Pixel size of the area one figure (or one panel) is drawn in; layouts that must fit
/// text into cells (heatmaps, image grids) estimate from it.
struct Canvas {
    var width: Double
    var height: Double
    /// Terminal font size in points; pngcairo draws a digit about 0.8 pt wide
    /// and needs about 1.6 pt of height per line of text.
    var fontSize: Double
}

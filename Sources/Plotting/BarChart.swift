// Grouped bars: one bar per group in every category, e.g. methods (groups) per dataset (categories).

public struct BarChart: Sendable {
    public var categories: [String]
    public var groups: [BarGroup]
    public var yLabel: String
    public var logY: Bool

    public init(categories: [String], groups: [BarGroup], yLabel: String, logY: Bool = false) {
        self.categories = categories
        self.groups = groups
        self.yLabel = yLabel
        self.logY = logY
    }
}

/// One value per category.
public struct BarGroup: Sendable {
    public var label: String
    public var values: [Double]

    public init(label: String, values: [Double]) {
        self.label = label
        self.values = values
    }
}

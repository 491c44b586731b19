import Foundation
import Testing
@testable import Notebook

@Suite("Canonical config JSON: the cache key")
struct ConfigTests {
    @Test func sortsKeysAndHasNoWhiteSpace() {
        let config: ConfigValue = ["k": 5, "data": "mnist5k", "split": ["seed": 0, "kind": "random"], "ks": [1, 15]]
        #expect(config.canonicalJSON == #"{"data":"mnist5k","k":5,"ks":[1,15],"split":{"kind":"random","seed":0}}"#)
    }

    @Test func keyOrderInTheSourceDoesNotMatter() {
        let a: ConfigValue = ["lr": 0.1, "epochs": 30]
        let b: ConfigValue = ["epochs": 30, "lr": 0.1]
        #expect(a.canonicalJSON == b.canonicalJSON)
    }

    @Test(arguments: [(ConfigValue.double(0.1), "0.1"), (.double(3), "3.0"), (.double(1e-6), "1e-06"), (.int(3), "3"),
                      (.bool(true), "true")])
    func numbersAreExactAndDistinguishIntegersFromReals(value: ConfigValue, json: String) {
        #expect(value.canonicalJSON == json)
    }

    @Test func stringsAreEscapedAndParseBack() throws {
        #expect(ConfigValue.string("a\"b\\c\nd").canonicalJSON == #""a\"b\\c\nd""#)
        let json = ConfigValue.string("tab\there\u{01}").canonicalJSON
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed) as? String
        #expect(parsed == "tab\there\u{01}")
    }
}

@Suite("Report text")
struct ReportTextTests {
    @Test func inlineMarkdownBecomesHTMLAndRawHTMLIsEscaped() {
        #expect(inline("use `k = 5` and **bold** <b>") == "use <code>k = 5</code> and <strong>bold</strong> &lt;b&gt;")
        #expect(inline("see [the paper](https://example.org/a)") == "see <a href=\"https://example.org/a\">the paper</a>")
    }

    @Test func comparisonTableShowsTheSignedDifference() {
        let table = TableContent.comparison([ReferenceRow("seed 000", ours: 0.9, reference: 0.82, explanation: "draw"),
                                             ReferenceRow("other", ours: 0.5, referenceText: "0.95–0.97")])
        #expect(table.rows[0] == ["seed 000", .number(0.9), .number(0.82), .number(0.9 - 0.82, format: .signed(4)), "draw"])
        #expect(table.rows[1] == ["other", .number(0.5), "0.95–0.97", "—", ""])
        // As the report prints them.
        #expect(table.rows[0].map(\.description) == ["seed 000", "0.9000", "0.8200", "+0.0800", "draw"])
        #expect(table.column("ours: accuracy")?.compactMap(\.value) == [0.9, 0.5])
    }
}

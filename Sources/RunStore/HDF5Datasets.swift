// Plain contiguous datasets of numbers, and the names of the datasets in a group.
// Callers hold HDF5.locked.
import CHDF5

/// A Swift number type with its libhdf5 types: in memory (native) and in the file
/// (little-endian, the same on every machine).
protocol HDF5Number {
    static var memoryType: hid_t { get }
    static var fileType: hid_t { get }
    static var zero: Self { get }
}

extension Float: HDF5Number {
    static var memoryType: hid_t { chdf5_native_float() }
    static var fileType: hid_t { chdf5_ieee_f32le() }
}

extension Double: HDF5Number {
    static var memoryType: hid_t { chdf5_native_double() }
    static var fileType: hid_t { chdf5_ieee_f64le() }
}

extension Int32: HDF5Number {
    static var memoryType: hid_t { chdf5_native_int32() }
    static var fileType: hid_t { chdf5_std_i32le() }
}

extension Int64: HDF5Number {
    static var memoryType: hid_t { chdf5_native_int64() }
    static var fileType: hid_t { chdf5_std_i64le() }
}

extension HDF5 {
    /// Writes (or replaces) dataset `path` with `values` in the given shape; shape [] is a scalar.
    /// The caller has checked that the shape holds values.count values.
    static func writeDataset<Number: HDF5Number>(_ path: String, in file: hid_t, shape: [Int],
                                                 values: [Number],
                                                 attributes: [(String, AttributeValue)] = []) throws {
        // Groups that only some runs have (timing, checkpoint) are made on first use.
        let group = String(path.split(separator: "/").dropLast().joined(separator: "/"))
        if !group.isEmpty, try !test(H5Lexists(file, group, defaults)) {
            try createGroup(group, in: file)
        }
        if try test(H5Lexists(file, path, defaults)) {
            try check(H5Ldelete(file, path, defaults))
        }
        let dimensions = shape.map { hsize_t($0) }
        let space = try handle(shape.isEmpty
            ? H5Screate(H5S_SCALAR)
            : H5Screate_simple(Int32(shape.count), dimensions, nil))
        defer { H5Sclose(space) }
        let dataset = try handle(H5Dcreate2(file, path, Number.fileType, space, defaults, defaults, defaults))
        defer { H5Dclose(dataset) }
        // An empty array may have no buffer at all, and there is nothing to write.
        if !values.isEmpty {
            try values.withUnsafeBytes { buffer in
                try check(H5Dwrite(dataset, Number.memoryType, all, all, defaults, buffer.baseAddress))
            }
        }
        for (name, value) in attributes {
            try writeAttribute(name, value, on: dataset)
        }
    }

    /// The class of the values of a dataset: H5T_FLOAT, H5T_INTEGER, H5T_STRING ...
    static func valueClass(of dataset: hid_t) throws -> H5T_class_t {
        let type = try handle(H5Dget_type(dataset))
        defer { H5Tclose(type) }
        return H5Tget_class(type)
    }

    /// The dimensions of a dataset without reading its values; a scalar has shape [], and a
    /// dataset with a null dataspace (it holds nothing) [0].
    static func shape(of dataset: hid_t) throws -> [Int] {
        let space = try handle(H5Dget_space(dataset))
        defer { H5Sclose(space) }
        if H5Sget_simple_extent_type(space) == H5S_NULL {
            return [0]
        }
        var dimensions = [hsize_t](repeating: 0, count: try count(Int(H5Sget_simple_extent_ndims(space))))
        try _ = count(Int(H5Sget_simple_extent_dims(space, &dimensions, nil)))
        return dimensions.map { Int($0) }
    }

    /// Reads a whole dataset, converted by libhdf5 to `Number`; a scalar has shape [].
    static func readDataset<Number: HDF5Number>(_ dataset: hid_t,
                                                as _: Number.Type) throws -> (shape: [Int], values: [Number]) {
        let shape = try shape(of: dataset)
        var values = [Number](repeating: .zero, count: shape.reduce(1, *))
        if !values.isEmpty {
            try values.withUnsafeMutableBytes { buffer in
                try check(H5Dread(dataset, Number.memoryType, all, all, defaults, buffer.baseAddress))
            }
        }
        return (shape, values)
    }

    static func createGroup(_ path: String, in file: hid_t) throws {
        try check(H5Gclose(try handle(H5Gcreate2(file, path, defaults, defaults, defaults))))
    }

    /// The sorted names of the datasets in group `path`; none if the group is missing.
    static func datasetNames(inGroup path: String, of file: hid_t) throws -> [String] {
        guard try test(H5Lexists(file, path, defaults)) else { return [] }
        let group = try handle(H5Gopen2(file, path, defaults))
        defer { H5Gclose(group) }
        var info = H5G_info_t()
        try check(H5Gget_info(group, &info))
        var names: [String] = []
        for index in 0..<info.nlinks {
            let length = try count(H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index,
                                                      nil, 0, defaults))
            var name = [CChar](repeating: 0, count: length + 1)
            try _ = count(H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index,
                                             &name, name.count, defaults))
            let object = try handle(H5Oopen(group, name, defaults))
            defer { H5Oclose(object) }
            if H5Iget_type(object) == H5I_DATASET {
                names.append(String(cString: name))
            }
        }
        return names.sorted()
    }
}

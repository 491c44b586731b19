// Scalar attributes: strings as variable-length UTF-8, integers as int64, reals as float64.
// Callers hold HDF5.locked.
import CHDF5

extension HDF5 {
    /// Writes (or replaces) attribute `name` of a file, group or dataset.
    static func writeAttribute(_ name: String, _ value: AttributeValue, on object: hid_t) throws {
        if try test(H5Aexists(object, name)) {
            try check(H5Adelete(object, name))
        }
        let space = try handle(H5Screate(H5S_SCALAR))
        defer { H5Sclose(space) }
        switch value {
        case .string(let text):
            let type = try utf8StringType()
            defer { H5Tclose(type) }
            let attribute = try handle(H5Acreate2(object, name, type, space, defaults, defaults))
            defer { H5Aclose(attribute) }
            try text.withCString { characters in
                var pointer: UnsafePointer<CChar>? = characters
                try check(H5Awrite(attribute, type, &pointer))
            }
        case .int(var number):
            let attribute = try handle(H5Acreate2(object, name, chdf5_std_i64le(), space, defaults, defaults))
            defer { H5Aclose(attribute) }
            try check(H5Awrite(attribute, chdf5_native_int64(), &number))
        case .double(var number):
            let attribute = try handle(H5Acreate2(object, name, chdf5_ieee_f64le(), space, defaults, defaults))
            defer { H5Aclose(attribute) }
            try check(H5Awrite(attribute, chdf5_native_double(), &number))
        }
    }

    /// All attributes of an object that hold a single string, integer or real; others are skipped.
    static func readAttributes(of object: hid_t) throws -> [String: AttributeValue] {
        var info = H5O_info_t()
        try check(H5Oget_info2(object, &info, UInt32(H5O_INFO_NUM_ATTRS)))
        var attributes: [String: AttributeValue] = [:]
        for index in 0..<info.num_attrs {
            let attribute = try handle(H5Aopen_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, index,
                                                      defaults, defaults))
            defer { H5Aclose(attribute) }
            let length = try count(H5Aget_name(attribute, 0, nil))
            var name = [CChar](repeating: 0, count: length + 1)
            try _ = count(H5Aget_name(attribute, name.count, &name))
            attributes[String(cString: name)] = try value(of: attribute)
        }
        return attributes
    }

    /// Attribute `name` of an object, or nil if it is missing or not a single string, integer or real.
    static func readAttribute(_ name: String, of object: hid_t) throws -> AttributeValue? {
        guard try test(H5Aexists(object, name)) else { return nil }
        let attribute = try handle(H5Aopen(object, name, defaults))
        defer { H5Aclose(attribute) }
        return try value(of: attribute)
    }

    private static func value(of attribute: hid_t) throws -> AttributeValue? {
        let space = try handle(H5Aget_space(attribute))
        defer { H5Sclose(space) }
        guard H5Sget_simple_extent_npoints(space) == 1 else { return nil }
        let type = try handle(H5Aget_type(attribute))
        defer { H5Tclose(type) }
        switch H5Tget_class(type) {
        case H5T_STRING:
            return .string(try readString(attribute, fileType: type))
        case H5T_INTEGER:
            var number: Int64 = 0
            try check(H5Aread(attribute, chdf5_native_int64(), &number))
            return .int(number)
        case H5T_FLOAT:
            var number: Double = 0
            try check(H5Aread(attribute, chdf5_native_double(), &number))
            return .double(number)
        default:
            return nil
        }
    }

    /// Reads a variable-length string (what this module writes) or a fixed-length one (what
    /// other tools may write, e.g. numpy bytes from h5py).
    private static func readString(_ attribute: hid_t, fileType: hid_t) throws -> String {
        if try test(H5Tis_variable_str(fileType)) {
            // The memory type must have the file's character set, or libhdf5 finds no conversion.
            let memoryType = try handle(H5Tcopy(chdf5_c_s1()))
            defer { H5Tclose(memoryType) }
            try check(H5Tset_size(memoryType, chdf5_variable()))
            try check(H5Tset_cset(memoryType, H5Tget_cset(fileType)))
            var pointer: UnsafeMutablePointer<CChar>?
            try check(H5Aread(attribute, memoryType, &pointer))
            defer { H5free_memory(pointer) }
            return pointer.map { String(cString: $0) } ?? ""
        }
        var bytes = [UInt8](repeating: 0, count: H5Tget_size(fileType))
        try check(H5Aread(attribute, fileType, &bytes))
        var text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        if H5Tget_strpad(fileType) == H5T_STR_SPACEPAD {
            while text.hasSuffix(" ") { text.removeLast() }
        }
        return text
    }

    private static func utf8StringType() throws -> hid_t {
        let type = try handle(H5Tcopy(chdf5_c_s1()))
        do {
            try check(H5Tset_size(type, chdf5_variable()))
            try check(H5Tset_cset(type, H5T_CSET_UTF8))
        } catch {
            H5Tclose(type)
            throw error
        }
        return type
    }
}

import CHDF5
import Foundation

/// Debian's libhdf5 is the serial build: not thread-safe. Every call into it goes through
/// this one lock (recursive, so helpers can nest).
let hdf5Lock: NSRecursiveLock = {
    // Silence libhdf5's automatic error-stack printing once: a bad file must give the user
    // one line of ours, not a page of C diagnostics.
    H5Eset_auto2(chdf5_e_default(), nil, nil)
    return NSRecursiveLock()
}()

func withHDF5<T>(_ body: () throws -> T) rethrows -> T {
    hdf5Lock.lock()
    defer { hdf5Lock.unlock() }
    return try body()
}

/// An open libhdf5 identifier, closed by the matching function when released.
final class Handle {
    let id: hid_t
    private let close: (hid_t) -> herr_t

    init(_ id: hid_t, _ close: @escaping (hid_t) -> herr_t, or error: @autoclosure () -> RunStoreError) throws {
        guard id >= 0 else { throw error() }
        self.id = id
        self.close = close
    }

    deinit { _ = close(id) }
}

func check(_ status: herr_t, _ error: @autoclosure () -> RunStoreError) throws {
    guard status >= 0 else { throw error() }
}

/// A variable-length UTF-8 string type: how every string attribute is stored.
func utf8StringType() throws -> Handle {
    let type = try Handle(H5Tcopy(chdf5_c_s1()), H5Tclose, or: RunStoreError("libhdf5: cannot make a string type"))
    try check(H5Tset_size(type.id, chdf5_variable()), RunStoreError("libhdf5: cannot make a string type"))
    try check(H5Tset_cset(type.id, H5T_CSET_UTF8), RunStoreError("libhdf5: cannot make a string type"))
    return type
}

/// The names of the links in a group (or attributes of an object), sorted by name.
func names(in location: hid_t, attributes: Bool) -> [String] {
    var result: [String] = []
    var index: hsize_t = 0
    while true {
        let length = attributes
            ? H5Aget_name_by_idx(location, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, chdf5_p_default())
            : H5Lget_name_by_idx(location, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, chdf5_p_default())
        guard length >= 0 else { break }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        if attributes {
            H5Aget_name_by_idx(location, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, chdf5_p_default())
        } else {
            H5Lget_name_by_idx(location, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, chdf5_p_default())
        }
        result.append(String(cString: buffer))
        index += 1
    }
    return result
}

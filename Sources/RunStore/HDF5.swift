// The way into libhdf5: one process-wide lock, return-value checks and file opening.
import CHDF5
import Foundation

/// A libhdf5 call failed; `detail` is libhdf5's own, most specific reason.
struct HDF5Failure: Error {
    let detail: String
}

enum HDF5 {
    // Every call of this module into libhdf5 runs inside `locked`, one at a time, whichever
    // way the library was built. NSLock is not recursive, so `locked` never nests.
    private static let lock = NSLock()

    private static let configured: Void = {
        // libhdf5 1.10 frees a file whose H5Fclose failed but keeps its identifier, and its
        // clean-up at exit then closes that identifier again and crashes (HDFFV-11052, fixed in
        // 1.14.1). So no clean-up at exit: this module closes every file it opens itself.
        // H5dont_atexit must come before any other libhdf5 call.
        _ = H5dont_atexit()
    }()

    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        _ = configured
        // Bad files must give one clear line, not libhdf5's error stack printed on stderr.
        // Debian's libhdf5 is built thread-safe ("Threadsafety: yes" in libhdf5.settings), and
        // then this switch belongs to the calling thread: set once, other threads still print.
        _ = H5Eset_auto2(chdf5_e_default(), nil, nil)
        return try body()
    }

    static var defaults: hid_t { chdf5_p_default() }
    static var all: hid_t { chdf5_s_all() }

    // libhdf5 reports failure with a negative return value.

    /// Checks a call that returns a new identifier (file, group, dataset, type ...).
    static func handle(_ id: hid_t) throws -> hid_t {
        guard id >= 0 else { throw failure() }
        return id
    }

    /// Checks a call that returns a status.
    static func check(_ status: herr_t) throws {
        guard status >= 0 else { throw failure() }
    }

    /// Checks a call that answers yes or no.
    static func test(_ answer: htri_t) throws -> Bool {
        guard answer >= 0 else { throw failure() }
        return answer > 0
    }

    /// Checks a call that returns a length or a count.
    static func count(_ value: Int) throws -> Int {
        guard value >= 0 else { throw failure() }
        return value
    }

    /// The failure on libhdf5's error stack. The innermost entry is the most specific one; for
    /// a failed system call it ends in "errno = 28, error message = 'No space left on device'",
    /// and that message is all a reader needs.
    private static func failure() -> HDF5Failure {
        var innermost = ""
        withUnsafeMutablePointer(to: &innermost) { result in
            _ = H5Ewalk2(chdf5_e_default(), H5E_WALK_UPWARD, { position, error, context in
                if position == 0, let text = error?.pointee.desc {
                    context!.assumingMemoryBound(to: String.self).pointee = String(cString: text)
                }
                return 0
            }, result)
        }
        if let range = innermost.range(of: "error message = '"),
           let end = innermost[range.upperBound...].firstIndex(of: "'") {
            return HDF5Failure(detail: String(innermost[range.upperBound..<end]))
        }
        return HDF5Failure(detail: innermost.isEmpty ? "libhdf5 gave no reason" : innermost)
    }

    /// Closes a file open for writing, unless its flush fails (e.g. a full disk): such a file stays
    /// open, because its H5Fclose would fail too, and a failed H5Fclose is worse (see `configured`).
    static func closeIfFlushed(_ file: hid_t) {
        if H5Fflush(file, H5F_SCOPE_LOCAL) >= 0 {
            H5Fclose(file)
        }
    }

    /// Creates (truncates) a file for writing.
    static func createFile(_ path: String) throws -> hid_t {
        let access = try fileAccess()
        defer { H5Pclose(access) }
        return try handle(H5Fcreate(path, chdf5_acc_trunc(), defaults, access))
    }

    static func openFileForReading(_ path: String) throws -> hid_t {
        let access = try fileAccess()
        defer { H5Pclose(access) }
        return try handle(H5Fopen(path, chdf5_acc_rdonly(), access))
    }

    // File locking off: a run is written under its own .partial name and renamed when complete,
    // so readers and writers never share a file, and locks fail on some cluster file systems.
    private static func fileAccess() throws -> hid_t {
        let access = try handle(H5Pcreate(chdf5_p_file_access()))
        do {
            try check(H5Pset_file_locking(access, false, true))
        } catch {
            H5Pclose(access)
            throw error
        }
        return access
    }
}

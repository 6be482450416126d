import Foundation

extension Error {
    /// The operating system's words for why a file operation failed ("Permission denied",
    /// "No space left on device"), dug out of a Foundation error, which on Linux otherwise
    /// reads "The operation could not be completed".
    var systemReason: String {
        let error = self as NSError
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? any Error,
            (underlying as NSError).domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32((underlying as NSError).code)))
        }
        let code: Int32? =
            switch CocoaError.Code(rawValue: error.domain == NSCocoaErrorDomain ? error.code : -1) {
            case .fileReadNoPermission, .fileWriteNoPermission: EACCES
            case .fileNoSuchFile, .fileReadNoSuchFile: ENOENT
            case .fileWriteFileExists: EEXIST
            case .fileWriteOutOfSpace: ENOSPC
            case .fileWriteVolumeReadOnly: EROFS
            default: nil
            }
        return code.map { String(cString: strerror($0)) } ?? error.localizedDescription
    }
}

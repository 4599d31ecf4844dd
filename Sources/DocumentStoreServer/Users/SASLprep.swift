import CLibIDN
import Foundation

/// SASLprep (RFC 4013), the string preparation SCRAM (RFC 5802) asks for user names, through
/// libidn's stringprep rather than a hand-copied set of Unicode tables.
///
/// It maps non-ASCII spaces to a space, removes the characters RFC 3454 maps to nothing (soft
/// hyphens, zero-width joiners), applies NFKC, and refuses control characters, private-use
/// code points and malformed bidirectional text, so `"ｂｏｂ"` (fullwidth) and `"bob"` are one
/// user and `"bo\u{7}b"` none:
///
/// ```swift
/// SASLprep.prepare("ｂｏｂ")     // "bob"
/// SASLprep.prepare("bo\u{7}b")  // nil
/// ```
///
/// RethinkDB 2.4 applies the identity here (its ICU-based SASLprep was removed), so for every
/// name a RethinkDB server accepts without SASLprep changing it, the two agree.
enum SASLprep {
    /// How a string is used: RFC 3454 lets a query string contain unassigned code points but
    /// not a stored string, so that a name that is stored stays valid as Unicode grows.
    enum Use {
        case query
        case stored
    }

    /// The prepared string, or nil when SASLprep prohibits it (or libidn cannot read it).
    static func prepare(_ text: String, for use: Use = .stored) -> String? {
        var output: UnsafeMutablePointer<CChar>?
        let flags = use == .stored ? STRINGPREP_NO_UNASSIGNED : Stringprep_profile_flags(rawValue: 0)
        let status = stringprep_profile(text, &output, "SASLprep", flags)
        defer { free(output) }
        guard status == Int32(STRINGPREP_OK.rawValue), let output else {
            return nil
        }
        return String(cString: output)
    }
}

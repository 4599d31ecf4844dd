import Foundation

extension JSONNumber {
    /// C's `%.20g`, how RethinkDB prints a number it could not use (`PR_RECONSTRUCTABLE_DOUBLE`):
    /// integral values in full, others with 20 significant digits (`0.10000000000000000555`).
    package static func reconstructable(_ number: Double) -> String {
        String(format: "%.20g", number)
    }
}

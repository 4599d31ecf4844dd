import Synchronization

/// The user a connection logged in as: written once by the handshake, read by every query.
///
/// The connection's query session is made when the connection is accepted, before anyone has
/// logged in, so the name travels in this box from ``HandshakeHandler`` to ``QuerySession``.
/// No query frame is read before the handshake has set it.
final class AuthenticatedUser: Sendable {
    private let value: Mutex<String>

    /// `admin` until the handshake says otherwise: what sessions made without a handshake
    /// (tests) run as.
    init(_ name: String = UserStore.admin) {
        self.value = Mutex(name)
    }

    var name: String {
        value.withLock { $0 }
    }

    func set(_ name: String) {
        value.withLock { $0 = name }
    }
}

import NIOSSL

/// The PEM files of `docstore serve --tls-cert FILE --tls-key FILE`: the server's certificate
/// (its chain, leaf first) and private key.
///
/// With them the server accepts TLS connections only, as RethinkDB does with `--tls-cert` and
/// `--tls-key` on its driver port: a driver must connect with TLS (the Python driver's
/// `ssl={"ca_certs": "ca.pem"}`), and one that speaks plain TCP is disconnected.
///
/// ```swift
/// var configuration = ServerConfiguration()
/// configuration.tls = TLSFiles(certificatePath: "server.pem", keyPath: "server.key")
/// ```
public struct TLSFiles: Sendable, Equatable {
    public var certificatePath: String
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// Reads both files. TLS 1.2 at least, as RethinkDB 2.4 asks of its clients; BoringSSL's
    /// default cipher suites otherwise.
    ///
    /// - Throws: NIOSSL's error when a file cannot be read or is not PEM, or the key does not
    ///   match the certificate.
    func makeContext() throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }
}

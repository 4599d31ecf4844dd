import DocumentStore
import ReQL
import Logging
import NIOCore
import Synchronization

/// One accepted client connection, from its first query frame to its close.
///
/// The handshake has already been wired into the channel's pipeline (it runs in
/// ``HandshakeHandler`` as soon as bytes arrive); this type only sees the query frames that come
/// out of ``QueryFrameDecoder`` once the client has authenticated. Serving never throws: a
/// connection's failure is logged and ends that connection alone.
struct ServerConnection: Sendable {
    let id: Int
    let channel: NIOAsyncChannel<QueryFrame, ByteBuffer>
    /// Past the outbound high-water mark the loop takes no more frames until answers drain.
    let writability: WritabilitySignal
    let logger: Logger
    /// Set by the handshake; the session runs every query as this user.
    var user = AuthenticatedUser()

    /// Reads frames until the client goes away, the connection is told to stop (task
    /// cancellation at server shutdown) or a frame is too large; then waits for the queries it
    /// started and closes.
    func serve(runner: any QueryRunning, serverInfo: Document, registry: ConnectionRegistry) async {
        let sink = ChannelResponseSink(channel: self.channel.channel)
        let session = QuerySession(runner: runner, sink: sink, serverInfo: serverInfo, user: self.user, logger: self.logger)
        registry.attach(session, to: self.id)
        do {
            try await self.channel.executeThenClose { inbound, _ in
                do {
                    reading: for try await frame in inbound {
                        await self.writability.writable()
                        switch frame {
                        case .query(let token, let payload):
                            await session.receive(token: token, payload: payload)
                        case .oversized(let token, let length):
                            self.logger.notice("query too large, closing", metadata: ["length": "\(length)"])
                            await session.rejectOversized(token: token, length: length)
                            break reading
                        }
                    }
                } catch {
                    // A reset or a read error: the client is gone, but noreply writes it started
                    // must still be allowed to finish before the session is dropped.
                    self.logger.debug("connection read ended", metadata: ["error": "\(error)"])
                }
                await session.finish()
                await sink.flushed()
            }
        } catch {
            self.logger.debug("connection close failed", metadata: ["error": "\(error)"])
        }
        self.logger.info("connection closed")
    }
}

/// The server's open connections: enforces `--max-connections` and lets shutdown reach every
/// connection when its grace period runs out.
///
/// Connections are admitted from the child channel initializer, which runs on whichever event
/// loop the connection landed on, and removed from their close futures, so the table is guarded
/// by a mutex rather than confined to one thread.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        var session: QuerySession?
    }

    private struct State {
        var nextID = 0
        var entries: [Int: Entry] = [:]
        /// Set at shutdown: connections still completing their accept are refused.
        var isClosed = false
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Registers a new connection and returns its id, or nil when the server is full or
    /// shutting down (the caller closes it).
    func admit(_ channel: any Channel) -> Int? {
        self.state.withLock { state in
            guard !state.isClosed, state.entries.count < self.limit else {
                return nil
            }
            let id = state.nextID
            state.nextID += 1
            state.entries[id] = Entry(channel: channel)
            return id
        }
    }

    /// Records the session of an admitted connection, so a forced shutdown can release it.
    func attach(_ session: QuerySession, to id: Int) {
        self.state.withLock { state in
            state.entries[id]?.session = session
        }
    }

    func remove(_ id: Int) {
        _ = self.state.withLock { state in
            state.entries.removeValue(forKey: id)
        }
    }

    var count: Int {
        self.state.withLock { $0.entries.count }
    }

    /// Refuses new connections from now on.
    func close() {
        self.state.withLock { state in
            state.isClosed = true
        }
    }

    /// The end of the shutdown grace period: closes every connection and tells each session to
    /// stop waiting for queries that are still running.
    func forceCloseAll() {
        let entries = self.state.withLock { state in
            state.isClosed = true
            return Array(state.entries.values)
        }
        for entry in entries {
            entry.channel.close(promise: nil)
            if let session = entry.session {
                Task { await session.abandon() }
            }
        }
    }
}

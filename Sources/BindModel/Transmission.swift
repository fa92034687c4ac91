/// Traffic a host sends out of an interface that has a cable (`link`): the network carries it
/// to the host at the other end.
struct Transmission: Hashable, Sendable {
  enum Kind: Hashable, Sendable {
    case unicast, broadcast, multicast
    /// A TCP SYN from a connecting socket.
    case syn
  }

  var packet: Packet
  /// The sending socket, on the sending host.
  var sender: SocketID
  var kind: Kind
  /// The interface it leaves by (`packet.arrival` is this interface until it is carried).
  var interface: String
  /// For a SYN: the connecting socket's address before connect chose one, to restore on a
  /// reset.
  var addressBefore: IPAddress? = nil
}

/// A queued connection from another host, reset because its listener closed.
struct RemoteReset: Hashable, Sendable {
  /// The listener's side of the connection.
  var local: Endpoint
  /// The client's name on its host.
  var remote: Endpoint
}

/// The device whose local route each IPv4 address takes (see `Namespace.ipv4Owners`), in the
/// order the addresses were added.
///
/// A namespace holds a handful of addresses, so a linear search of plain integers is cheaper
/// than hashing: `addressType` asks for every bind, connect and datagram.
struct IPv4Owners: Hashable, Sendable {
  private var addresses: [UInt32] = []
  private var devices: [String] = []

  subscript(address: IPv4Address) -> String? {
    get { addresses.firstIndex(of: address.rawValue).map { devices[$0] } }
    set {
      if let i = addresses.firstIndex(of: address.rawValue) {
        if let newValue {
          devices[i] = newValue
        } else {
          addresses.remove(at: i)
          devices.remove(at: i)
        }
      } else if let newValue {
        addresses.append(address.rawValue)
        devices.append(newValue)
      }
    }
  }
}

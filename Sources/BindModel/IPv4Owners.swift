/// The IPv4 part of the namespace's local routing table (`RT_TABLE_LOCAL`), as `addressType`
/// reads it: the device whose local route each address takes (see `Namespace.ipv4Owners`), in
/// the order the addresses were added; the subnet broadcast routes; and the prefixes of
/// loopback devices, whose every address is local.
///
/// A namespace holds a handful of addresses, so linear searches of plain integers are cheaper
/// than hashing or walking the interfaces: `addressType` asks for every bind, connect and
/// datagram.
struct IPv4Owners: Hashable, Sendable {
  private var addresses: [UInt32] = []
  private var devices: [String] = []
  /// Every subnet broadcast address (prefixes shorter than /31), in interface order.
  private var broadcasts: [UInt32] = []
  private var broadcastDevices: [String] = []
  /// The prefixes of loopback devices: network, mask and device.
  private var loopbackNetworks: [UInt32] = []
  private var loopbackMasks: [UInt32] = []
  private var loopbackDevices: [String] = []

  subscript(address: IPv4Address) -> String? {
    addresses.firstIndex(of: address.rawValue).map { devices[$0] }
  }

  /// Records `device` as the owner of `address` unless a device has it already: the first to
  /// get an address keeps its local route.
  mutating func claim(_ address: IPv4Address, for device: String) {
    guard self[address] == nil else { return }
    addresses.append(address.rawValue)
    devices.append(device)
  }

  /// Takes the broadcast routes and loopback prefixes from the interfaces again (after one
  /// was added or gained addresses). `fib_add_ifaddr` installs a broadcast route for every
  /// subnet broadcast address, lo's 127.255.255.255 too.
  mutating func indexPrefixes(of interfaces: [Interface]) {
    broadcasts = []
    broadcastDevices = []
    loopbackNetworks = []
    loopbackMasks = []
    loopbackDevices = []
    for i in interfaces {
      for (address, length) in i.ipv4 {
        let mask = IPv4Address.mask(prefixLength: length)
        if length < 31 {
          broadcasts.append(address.rawValue | ~mask)
          broadcastDevices.append(i.name)
        }
        if i.isLoopback {
          loopbackNetworks.append(address.rawValue & mask)
          loopbackMasks.append(mask)
          loopbackDevices.append(i.name)
        }
      }
    }
  }

  /// The device of the first subnet broadcast route for `a`, if any.
  func broadcastDevice(of a: IPv4Address) -> String? {
    broadcasts.firstIndex(of: a.rawValue).map { broadcastDevices[$0] }
  }

  /// The first loopback device with a prefix that holds `a`, if any.
  func loopbackDevice(of a: IPv4Address) -> String? {
    for k in loopbackNetworks.indices where a.rawValue & loopbackMasks[k] == loopbackNetworks[k] {
      return loopbackDevices[k]
    }
    return nil
  }
}

import BindModel

extension OperandParser {
  /// The largest `SO_LINGER` time accepted (`INT_MAX` seconds).
  static let maximumLinger: UInt64 = 2_147_483_647

  /// A socket option as written: `SO_REUSEADDR`, `SO_REUSEADDR=0`, `SO_LINGER=0`,
  /// `SO_BINDTODEVICE=eth0`, `IP_MULTICAST_IF=192.0.2.1`, `IPV6_MULTICAST_IF=eth0`.
  ///
  /// `extraNames` are other words allowed in the same place (`uid` on `socket`), offered as
  /// suggestions for an unknown option.
  func socketOption(_ word: Word, extraNames: [String] = []) throws(ScenarioError) -> SocketOption {
    let equals = word.firstOffset(of: 0x3D)  // '='
    let nameWord = equals.map { word.slice(0, $0) } ?? word
    let valueWord = equals.map { word.dropFirst($0 + 1) }
    let name = nameWord.text
    func flag() throws(ScenarioError) -> Bool {
      guard let valueWord else { return true }
      switch valueWord.text {
      case "0": return false
      case "1": return true
      default:
        throw line.error(
          "\(name.quoted) expects 0 or 1, not \(valueWord.text.quoted)",
          at: valueWord.count == 0 ? word : valueWord)
      }
    }
    func value(example: String) throws(ScenarioError) -> Word {
      guard let valueWord else {
        throw line.error("\(name.quoted) needs a value, like '\(name)=\(example)'", at: word)
      }
      return valueWord
    }
    func device(example: String) throws(ScenarioError) -> String {
      let device = try value(example: example)
      return device.count == 0 ? "" : try interfaceName(device)
    }
    switch name {
    case "SO_REUSEADDR": return .reuseAddress(try flag())
    case "SO_REUSEPORT": return .reusePort(try flag())
    case "IPV6_V6ONLY": return .ipv6V6Only(try flag())
    case "IP_FREEBIND": return .freebind(try flag())
    case "IP_TRANSPARENT": return .transparent(try flag())
    case "SO_BROADCAST": return .broadcast(try flag())
    case "IP_BIND_ADDRESS_NO_PORT": return .bindAddressNoPort(try flag())
    case "IP_MULTICAST_ALL": return .multicastAll(try flag())
    case "SO_LINGER":
      let seconds = try value(example: "0")
      guard Self.isNumber(seconds) else {
        throw line.error(
          "\(seconds.text.quoted) is not a number of seconds",
          at: seconds.count == 0 ? word : seconds)
      }
      guard let value = Self.decimal(seconds, maximum: Self.maximumLinger) else {
        throw line.error(
          "linger time \(seconds.text.shortened) is out of range (0-\(Self.maximumLinger))",
          at: seconds)
      }
      return .linger(seconds: Int(value))
    case "SO_BINDTODEVICE": return .bindToDevice(try device(example: "eth0"))
    case "IPV6_MULTICAST_IF": return .ipv6MulticastInterface(try device(example: "eth0"))
    case "IP_MULTICAST_IF":
      let address = try value(example: "192.0.2.1")
      guard let v4 = AddressParser.ipv4(address) else {
        throw line.error(
          "\(address.text.quoted) is not an IPv4 address", at: address.count == 0 ? word : address)
      }
      return .multicastInterface(v4)
    default:
      throw line.error(
        "unknown option \(name.quoted)", at: nameWord,
        note: Suggestion.note(for: name, in: SocketOption.names + extraNames))
    }
  }
}

import BindModel

/// The final binding table in the style of `ss -tuan`: `*` for a dual-stack wildcard, `%dev`
/// for a bound device, plus the scenario's socket name.
enum BindingTableRenderer {
  static func render(_ namespace: Namespace) -> String {
    let sockets = namespace.hashedSockets().sorted {
      ($0.transport == .tcp ? 0 : 1, $0.localPort, $0.id) < (
        $1.transport == .tcp ? 0 : 1, $1.localPort, $1.id
      )
    }
    var rows = [["Netid", "State", "Local Address:Port", "Peer Address:Port", "Socket"]]
    for s in sockets {
      let state: String =
        switch (s.transport, s.state) {
        case (.udp, .connected): "ESTAB"
        case (.udp, _): "UNCONN"
        case (.tcp, .listening): "LISTEN"
        case (.tcp, .synSent): "SYN-SENT"
        case (.tcp, .connected): "ESTAB"
        case (.tcp, .timeWait): "TIME-WAIT"
        case (.tcp, .finWait): "FIN-WAIT-2"
        case (.tcp, .closed): "BOUND"
        }
      let peer: String
      if let p = s.peer {
        peer = p.description
      } else {
        switch s.boundAddress {
        case .v4: peer = "0.0.0.0:*"
        case .v6(let a): peer = a.isAny && !s.v6Only ? "*:*" : "[::]:*"
        }
      }
      rows.append([
        s.transport.rawValue, state, s.localDescription, peer,
        s.isClosed ? "(\(s.name), closed)" : s.name,
      ])
    }
    if rows.count == 1 { return "no socket holds a port\n" }
    let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { i, cell in
        i == row.count - 1 ? cell : cell.padding(to: widths[i])
      }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }
}

extension String {
  func padding(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}

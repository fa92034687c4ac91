/// The fields of a socket that a bind conflict check reads (`inet_bind_conflict`,
/// `udp_lib_lport_inuse`): plain data, read field by field from a record where it lies.
///
/// Conflict checks walk a port's chain and compare the new binding with every owner. Passing an
/// owner's `ModelSocket` record, or reading one of its computed properties, makes Swift copy the
/// whole record (and retain its copy-on-write extras); reading stored fields through a pointer
/// copies only those fields.
struct BindingView {
  var id: SocketID
  var kind: SocketKind
  var uid: UInt32
  var state: ModelSocket.State
  var reuseAddress: Bool
  var reusePort: Bool
  var v6Only: Bool
  var localAddress: IPAddress?
  /// `ModelSocket.boundDeviceKey`: 0 for no device; equal keys still need the names compared.
  var deviceKey: UInt64

  @inline(__always)
  init(_ record: UnsafePointer<ModelSocket>) {
    id = record.pointee.id
    kind = record.pointee.kind
    uid = record.pointee.uid
    state = record.pointee.state
    reuseAddress = record.pointee.reuseAddress
    reusePort = record.pointee.reusePort
    v6Only = record.pointee.v6Only
    localAddress = record.pointee.localAddress
    deviceKey = record.pointee.boundDeviceKey
  }

  @inline(__always)
  init(_ s: borrowing ModelSocket) {
    id = s.id
    kind = s.kind
    uid = s.uid
    state = s.state
    reuseAddress = s.reuseAddress
    reusePort = s.reusePort
    v6Only = s.v6Only
    localAddress = s.localAddress
    deviceKey = s.boundDeviceKey
  }

  @inline(__always) var family: AddressFamily { kind.family }

  @inline(__always) var coverage: Coverage {
    Coverage(family: kind.family, address: localAddress, v6Only: v6Only)
  }
}

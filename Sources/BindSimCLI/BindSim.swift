public enum BindSim {
  public static func main() {}
}

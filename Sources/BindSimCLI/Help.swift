/// The help texts, one per subcommand.
enum Help {
  static let version = "bindsim 0.1.0"

  static let overview = """
    OVERVIEW: predict and verify what Linux does when sockets bind, listen, connect and send

    USAGE: bindsim <subcommand> [options] <scenario>...

    SUBCOMMANDS:
      run       Print the model's prediction for every statement, then the binding table.
      check     Compare every written expectation (=> ...) with the model's prediction.
      verify    Replay scenarios on the real kernel, each in a fresh network namespace.
      bench     Measure the model's speed on generated scenarios.
      fuzz      Differential testing: random scenarios on the model and on the kernel.

    OPTIONS:
      --version   Show the version.
      -h, --help  Show help (also: bindsim help <subcommand>).

    EXIT STATUS:
      0 all agree, 1 a disagreement, 64 usage error, 65 invalid scenario file,
      66 unreadable file, 70 internal error, 73 cannot write (--update),
      77 no private network namespace can be made (verify, fuzz)

    """

  static func text(for command: String?) -> String {
    switch command {
    case "run":
      return """
        OVERVIEW: print the model's prediction for every statement of each scenario

        USAGE: bindsim run [--seed <n>] <file>...

        Each statement prints on one line: line number, statement, predicted outcome, the rule
        that decided it and why. The binding table at the end is in the style of `ss -tuan`
        (`*` is a dual-stack wildcard, `%dev` a bound device). Where the kernel would choose at
        random (an ephemeral port, a SO_REUSEPORT member) the model makes a seeded choice
        inside the set the kernel may pick from.

        OPTIONS:
          --seed <n>  Seed for the choices inside predicted sets (default fixed).
          -h, --help  Show this help.

        Colour is used on a terminal only, never when NO_COLOR is set.

        """
    case "check":
      return """
        OVERVIEW: compare every written expectation with the model's prediction

        USAGE: bindsim check [--format text] <file-or-folder>...

        Folders are searched for *.scenario files. Each disagreement prints as
        FILE:LINE: expected X, model predicts Y, with the rule and its explanation; the last
        line is `N passed, M failed`. An expectation passes when every outcome the model
        thinks possible is allowed by the file.

        EXIT STATUS: 0 all agree, 1 a mismatch, 64 usage, 65 invalid file, 66 unreadable file.

        """
    case "verify":
      return """
        OVERVIEW: replay scenarios on the real kernel and compare kernel, model and file

        USAGE: bindsim verify [--timeout <s>] [--jobs <n>] [--update [--force]] <file-or-folder>...

        Each scenario runs in a child process inside its own fresh network namespace (as root:
        unshare(CLONE_NEWNET); otherwise an unprivileged user namespace where the host allows
        it). Sockets never run in the caller's namespace. Each disagreement prints as
        FILE:LINE: kernel X, model Y, expected Z with the model's rule; the last lines give
        `N passed, M failed` and the kernel release.

        OPTIONS:
          --timeout <s>  Time limit per scenario in seconds (default 10).
          --jobs <n>     Replay children at once (default: four per core); each child
                         replays a batch of scenarios, each in its own fresh namespace.
          --update       Write the kernel's outcomes into the files' expectations, keeping
                         comments and layout. Refused when CI is set, unless --force.
          -h, --help     Show this help.

        EXIT STATUS: 0 all agree, 1 a disagreement, 64 usage, 65 invalid file, 66 unreadable
        file, 70 a replay crashed, 73 cannot write, 77 no private network namespace.

        """
    case "bench":
      return """
        OVERVIEW: measure the model on generated scenarios

        USAGE: bindsim bench [--scale <f>] [--replay <n>]

        Runs 100,000 socket() calls, 100,000 binds over many ports and addresses, port-0
        binds that exhaust the default range (28,232 ports), and 100,000 deliveries with 1,000
        sockets on one port, each at its size and at twice its size (the best of three runs
        of each), and prints time per operation, the doubling ratio (linear growth is about
        2.0) and memory. Only the measured calls are timed: the sockets that the binds bind
        and the receivers of the datagrams are set up first.

        With --replay, also verifies n generated 10-statement scenarios on the kernel, each in a
        fresh network namespace (needs root or user namespaces), and prints scenarios per
        second and the ratio of model time to kernel-replay time on the same scenarios.

        OPTIONS:
          --scale <f>   Multiply every size by f (default 1).
          --replay <n>  Also measure kernel replay on n scenarios.

        """
    case "fuzz":
      return """
        OVERVIEW: differential testing of the model against the kernel (or of the parser)

        USAGE: bindsim fuzz [--seed <s>] [--count <n>] [--out <dir>] [--jobs <j>] [--no-shrink]
               bindsim fuzz --parser [--seed <s>] [--count <n>] [--out <dir>] <path>...

        Generates random valid scenarios from the seed and replays each on the kernel, in a
        fresh network namespace, in lock-step with the model (batches of scenarios per child
        process; never a socket in the caller's namespace). One scenario of every distinct
        class of disagreement is shrunk, re-checked on the kernel at every step, and written
        into <dir> with the kernel's outcomes as expectations. A summary ends the run:
        scenarios per second, and each class by rule with its count and file.

        With --parser, mutates the *.scenario files under the paths (bytes, words, lines, NUL,
        invalid UTF-8) and checks, in this process, that the parser and the model never crash
        or hang and that every rejection is located inside the input. The last line is
        `N passed, M failed`; failing inputs are written into <dir>.

        OPTIONS:
          --seed <s>     The run's seed (default: from the clock; the summary names it).
          --count <n>    Scenarios to generate (default 1000), or mutations (default 10000).
          --out <dir>    Where findings are written (default fuzz-findings).
          --jobs <j>     Replay children at once (default: 4 per core).
          --timeout <s>  Time limit per scenario (default 10), or per parser input (default 1).
          --no-shrink    Write each class's first scenario as generated (a quicker survey).
          --parser       Fuzz the parser instead of comparing with the kernel.

        A progress line is shown on a terminal only.

        EXIT STATUS: 0 no disagreement, 1 a disagreement (or a failing parser input, or a
        replay that did not finish), 64 usage, 66 unreadable file, 73 cannot write,
        77 no private network namespace.

        """
    default:
      return overview
    }
  }
}

import BindModel

/// `bindsim run FILE...`: a transcript of the model's predictions, then the binding table.
struct RunCommand {
  var options: Invocation.RunOptions
  var style: Style

  func execute(output: inout some TextOutputStream, errors: inout some TextOutputStream)
    -> ExitStatus
  {
    var status = ExitStatus.success
    for (index, path) in options.paths.enumerated() {
      if index > 0 { output.write("\n") }
      switch ScenarioFile.load(path) {
      case .failure(let error):
        errors.write(error.message + "\n")
        status = .worst(status, error.status)
      case .success(let file):
        do {
          let result = try Runner.run(file.scenario, seed: options.seed)
          output.write(style.bold(path) + "\n")
          output.write(render(result.steps))
          let network = result.network
          for host in network.hostNames {
            let title = network.hasSeveralHosts ? "binding table of host \(host)" : "binding table"
            output.write("\n" + style.bold(title) + "\n")
            output.write(BindingTableRenderer.render(network.hosts[host]!))
          }
        } catch {
          errors.write(file.rendered(error) + "\n")
          status = .worst(status, .dataError)
        }
      }
    }
    return status
  }

  /// One line per statement: line number, statement, predicted outcome, rule and explanation;
  /// a written expectation that the prediction contradicts is flagged.
  func render(_ steps: [StepReport]) -> String {
    let width = min(44, steps.map(\.text.count).max() ?? 0)
    var text = ""
    for step in steps {
      let line = String(step.line).leftPadded(to: 4)
      let statement = step.text.padding(to: width)
      guard step.isCall else {
        text += "\(style.dim(line))  \(statement)\n"
        continue
      }
      var outcome = step.predicted.outcomes.description
      let padding = String(repeating: " ", count: max(0, 10 - outcome.count))
      let coloured: String
      switch step.predicted.outcomes.single {
      case .failed?: coloured = style.yellow(outcome)
      case .delivered?: coloured = style.cyan(outcome)
      default: coloured = outcome == "ok" ? style.green(outcome) : style.cyan(outcome)
      }
      outcome = coloured + padding
      var flag = ""
      if step.verdict == .fail, let expected = step.expected {
        flag = "  " + style.red("(file expects \(expected))")
      }
      text +=
        "\(style.dim(line))  \(statement)  => \(outcome)\(flag)  "
        + style.dim("[\(step.predicted.rule)]") + " \(step.predicted.explanation)\n"
    }
    return text
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}

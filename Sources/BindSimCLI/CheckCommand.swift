import BindModel

/// `bindsim check PATH...`: compares every written expectation with the model's prediction.
struct CheckCommand {
  var options: Invocation.CheckOptions
  var style: Style

  func execute(output: inout some TextOutputStream, errors: inout some TextOutputStream)
    -> ExitStatus
  {
    var status = ExitStatus.success
    var passed = 0
    var failed = 0
    for path in ScenarioFile.expand(options.paths) {
      switch ScenarioFile.load(path) {
      case .failure(let error):
        errors.write(error.message + "\n")
        status = .worst(status, error.status)
      case .success(let file):
        let steps: [StepReport]
        do {
          steps = try Runner.run(file.scenario).steps
        } catch {
          errors.write(file.rendered(error) + "\n")
          status = .worst(status, .dataError)
          continue
        }
        for step in steps where step.expected != nil {
          if step.verdict == .pass {
            passed += 1
            continue
          }
          failed += 1
          output.write(
            "\(path):\(step.line): "
              + style.red(
                "expected \(step.expected!), model predicts \(step.predicted.outcomes)") + "\n")
          output.write(
            "    \(step.text)\n    \(style.dim("[\(step.predicted.rule)]")) \(step.predicted.explanation)\n"
          )
        }
      }
    }
    output.write("\(passed) passed, \(failed) failed\n")
    if failed > 0 { status = .worst(status, .failure) }
    return status
  }
}

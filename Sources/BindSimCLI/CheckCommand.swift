import BindModel

/// `bindsim check PATH...`: compares every written expectation with the model's prediction.
struct CheckCommand {
  var options: Invocation.CheckOptions
  var style: Style
  var environment: [String: String]

  func execute(output: inout some TextOutputStream, errors: inout some TextOutputStream)
    -> ExitStatus
  {
    if let refusal = ExpectationUpdate.refusal(
      update: options.update, force: options.force, environment: environment)
    {
      errors.write(refusal)
      return .usage
    }
    var files: [FileReport] = []
    var status = ExitStatus.success
    for path in ScenarioFile.expand(options.paths) {
      var report = FileReport(path: path)
      switch ScenarioFile.load(path) {
      case .failure(let error):
        report.problem = FileReport.problem(error)
      case .success(let file):
        do {
          report.steps = try Runner.run(file.scenario).steps
          if options.update {
            status = .worst(
              status,
              ExpectationUpdate.write(
                file, steps: report.steps, outcome: { $0.predicted.outcomes }, errors: &errors))
          }
        } catch {
          report.problem = FileReport.problem(error, in: file)
        }
      }
      files.append(report)
    }
    let report = RunReport(command: "check", files: files)
    options.format.render(report, style: style, output: &output, errors: &errors)
    return .worst(status, report.status)
  }
}

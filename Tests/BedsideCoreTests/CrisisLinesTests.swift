import Foundation
import Testing

@testable import BedsideCore

/// Every region's built-in crisis lines pass the reply guard with the shipped rulebook, and a
/// practice may name its own lines and profile fields.
struct CrisisLinesTests {
    static func shipped(configuration transform: (String) -> String) throws -> RulebookFiles {
        var files = try RulebookFiles.read(configuration: Fixture.repositoryRoot.appendingPathComponent("bedside.yaml").path)
        files.configuration.text = transform(files.configuration.text)
        return files
    }

    static func region(_ region: String) -> (String) -> String {
        { $0.replacingOccurrences(of: "\n  region: UK\n", with: "\n  region: \(region)\n") }
    }

    @Test(arguments: CrisisLines.regions.keys.sorted())
    func theShippedRulebookLoadsInEveryRegion(region: String) throws {
        let files = try Self.shipped(configuration: Self.region(region))
        #expect(files.configuration.text.contains("region: \(region)"))
        #expect(Fixture.diagnostics(files).filter { $0.contains("error") } == [])
    }

    @Test(arguments: CrisisLines.regions.keys.sorted())
    func everyBuiltInLinePassesTheGuardInATemplate(region: String) throws {
        let lines = try #require(CrisisLines.regions[region])
        let shipped = try Self.shipped(configuration: Self.region(region))
        var files = Fixture.files(config: Fixture.config.replacingOccurrences(of: "region: UK", with: "region: \(region)"))
        files.lists = shipped.lists
        files.guardFile = shipped.guardFile
        let rulebook = try Rulebook.load(files)
        for text in [lines.emergency, lines.support, lines.urgent] {
            let sentence = "If you need help now, contact \(text)."
            #expect(Classifier(rulebook: rulebook).guardViolations(sentence, answering: nil).isEmpty, "\(region): \(text)")
        }
    }

    @Test func aPracticeSetsItsOwnCrisisLinesAndFields() throws {
        let config = try Self.shipped {
            $0.replacingOccurrences(
                of: "\n  region: UK\n",
                with: """

                      region: US
                      crisis:
                        urgent: "our after-hours nurse line on 555 0100 2000"
                      custom:
                        emergency_line: "555 0100 3000"
                        second_site: "22 Quay Street"

                    """)
        }
        var sink = DiagnosticSink()
        let configuration = try #require(
            Configuration.parse(config.configuration.text, path: "bedside.yaml", into: &sink), "\(sink.diagnostics)")
        #expect(configuration.practice.crisisLines.urgent == "our after-hours nurse line on 555 0100 2000")
        #expect(configuration.practice.crisisLines.emergency == "911")
        #expect(configuration.practice.fields["emergency_line"] == "555 0100 3000")
        var files = config
        files.responses.append(
            .init(
                path: "responses/out-of-hours.mustache",
                text: Fixture.template(
                    "out-of-hours", auto: true,
                    body:
                        "Thanks for getting in touch. Out of hours call {{practice.emergency_line}} or {{crisis.urgent}}; our second site is at {{practice.second_site}}."
                )))
        #expect(Fixture.diagnostics(files).filter { $0.contains("error") } == [])
        let rulebook = try Rulebook.load(files)
        let text = try #require(rulebook.templates["out-of-hours"]).render(rulebook.templateValues(author: nil))
        #expect(text.contains("555 0100 3000") && text.contains("555 0100 2000") && text.contains("22 Quay Street"))
    }

    @Test(arguments: [
        ("crisis:\n    urgnt: x", "unknown key 'urgnt' in 'practice.crisis'; did you mean 'urgent'?"),
        ("custom:\n    phone: \"1\"", "'practice.custom' cannot redefine 'phone'"),
        ("custom:\n    Bad-Name: x", "'practice.custom' field names are lower case letters, digits and '_'"),
    ])
    func mistakesInOwnLinesAndFieldsAreLocated(yaml: String, message: String) throws {
        let files = try Self.shipped { $0.replacingOccurrences(of: "\n  region: UK\n", with: "\n  region: UK\n  \(yaml)\n") }
        let diagnostics = Fixture.diagnostics(files)
        #expect(diagnostics.contains { $0.contains(message) }, "\(diagnostics)")
    }
}

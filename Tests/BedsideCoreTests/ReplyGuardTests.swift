import BedsideCore
import Testing

struct ReplyGuardTests {
    let classifier: Classifier

    init() throws {
        classifier = Classifier(
            rulebook: try Fixture.rulebook(lists: ["drugs": "ibuprofen\nco-codamol\nsertraline\n", "diagnoses": "diabetes\n"]))
    }

    func checks(_ text: String, answering incoming: String? = nil) -> [String] {
        classifier.guardViolations(text, answering: incoming.map { Message(id: "m", text: $0) }).map(\.check)
    }

    @Test(arguments: [
        "We hope your appointment went well.", "Sorry about your treatment.", "When you visited us last week we were busy.",
        "Your results are ready.", "Your records have been updated.", "We saw you on Tuesday.", "As our patient you matter.",
        "Your dentist will call.", "Your next appointment is soon.", "During your visit we noticed",
    ])
    func refusesPatientRelationship(_ text: String) {
        #expect(checks(text).contains("patient-relationship"), "\(text)")
    }

    @Test(arguments: ["Take 400mg twice.", "Use 5 ml at night", "two 500 mg tablets", "Take it twice a day"])
    func refusesDoses(_ text: String) {
        #expect(checks(text).contains("dose"), "\(text)")
    }

    @Test(arguments: ["Ibuprofen should help.", "Try CO-CODAMOL", "sertraline is common"])
    func refusesDrugNames(_ text: String) {
        #expect(checks(text) == ["drugs"], "\(text)")
    }

    @Test func refusesDiagnosesAndResults() {
        #expect(checks("Managing diabetes is hard.") == ["diagnoses"])
        #expect(checks("The test came back negative.").contains("test-result"))
    }

    @Test func refusesNamingAClinician() {
        #expect(checks("Dr Patel will call you.") == ["clinician-named"])
        #expect(checks("Our doctors will call.").isEmpty)
    }

    @Test func refusesCopyingSixWordsOfTheMessage() {
        let incoming = "the receptionist was rude to my mother on Monday"
        #expect(checks("We're sorry the receptionist was rude to my mother.", answering: incoming) == ["copied-words"])
        // five words in a row is allowed
        #expect(checks("We're sorry the receptionist was rude to you.", answering: incoming).isEmpty)
    }

    @Test func refusesPersonalDataButAllowsThePracticeContacts() {
        #expect(checks("Call us on 020 7946 0000 or email hello@test.example, or ring Samaritans on 116 123.").isEmpty)
        #expect(checks("Call Jane on 07700 900123.") == ["personal-data"])
        #expect(checks("Email jane.doe@gmail.com") == ["personal-data"])
    }

    @Test func allowsASafeReply() {
        #expect(checks("Thank you for your kind words. Please contact us privately on 020 7946 0000.").isEmpty)
    }

    @Test func practiceCanExtendTheLexicon() throws {
        let guardYAML = """
            patterns:
              - id: no-promises
                reason: promises an outcome
                match: ['\\bguarantee']
            copy_words: 4
            """
        let rulebook = try Rulebook.load(Fixture.files(guardYAML: guardYAML))
        let custom = Classifier(rulebook: rulebook)
        #expect(custom.guardViolations("We guarantee it", answering: nil).map(\.check) == ["no-promises"])
        let copied = custom.guardViolations("sorry the wait was long today", answering: Message(id: "m", text: "the wait was long today"))
        #expect(copied.map(\.check) == ["copied-words"])
    }
}

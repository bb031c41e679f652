import BedsideCore
import Foundation
import Testing

/// The shipped rulebook on messages written for these tests around the concepts its risk rules are
/// built from (emergency red flags, C-SSRS levels, threats, reactions in lay words, other
/// languages), and the fail-safe routing: silence and templates are earned, a person decides otherwise.
struct TriageConceptTests {
    static let rulebook: Rulebook? = {
        guard let files = try? RulebookFiles.read(configuration: Fixture.repositoryRoot.path + "/bedside.yaml") else { return nil }
        return try? Rulebook.load(files)
    }()

    struct Case: CustomTestStringConvertible, Sendable {
        let text: String
        let channel: String?
        init(_ text: String, channel: String? = nil) {
            self.text = text
            self.channel = channel
        }
        var testDescription: String { String(text.prefix(60)) }
    }

    func decide(_ item: Case) throws -> Decision {
        let rulebook = try #require(Self.rulebook)
        return Classifier(rulebook: rulebook).decide(Message(id: "t", text: item.text, channel: item.channel))
    }

    @Test(arguments: [
        // cardiac: pain that spreads
        Case("My husband has a crushing weight on his chest that is spreading into his left arm and jaw"),
        // threat of violence for tonight
        Case("My partner says he is going to kill me tonight when he gets back from the pub"),
        // C-SSRS: goodbye letters and a method
        Case("I have left letters for my children in the drawer and the rope is ready in the shed"),
        // a newborn's breathing and colour
        Case("Our newborn is grunting with each breath and going grey around his lips, is that ok?"),
        // hypoglycaemia
        Case("Feeling shaky and sweaty, my meter just says LO"),
        // suicidal, in Welsh and in French
        Case("Dw i eisiau marw heno. Does dim pwynt."),
        Case("Je veux mourir, je n'en peux plus"),
        // stroke (FAST)
        Case("Grandad's face has dropped on one side and his speech is slurred"),
        // overdose
        Case("I've taken the whole box of my sleeping tablets"),
        // catastrophic bleeding; a wound to the bone; a serious scald
        Case("He slipped with the saw and his thigh is pumping blood"),
        Case("Fell on broken glass, the cut on my knee is open to the bone"),
        Case("The pan of boiling oil tipped over her legs and the skin is coming off"),
        // a dental infection reaching the airway
        Case("Since the abscess my whole jaw has swollen up and I'm struggling to swallow my own spit"),
        // a sting, then wheezing (anaphylaxis)
        Case("My daughter got stung by a bee in the garden and she's wheezing now"),
        // C-SSRS: method research, overdose intent, passive wish in the third person, hopelessness
        Case("I spent all night searching for the quickest way to die"),
        Case("Thinking about swallowing every one of my co-codamol tonight"),
        Case("My teenage son keeps saying he doesn't want to live any more"),
        Case("Honestly I'm giving up on life, nobody would notice"),
        Case("i'm a danger to myself at the moment"),
        // someone else with the means; a risk to others; an intruder with a weapon
        Case("My flatmate has locked herself in her room with a blade"),
        Case("I'm scared I'm going to hurt my kids, the urges won't stop"),
        Case("There's a guy at our door with a knife and he's threatening us"),
        // a child not responding after a fall
        Case("The baby rolled off the bed onto the floor and isn't moving"),
        // C-SSRS in the words of perceived burdensomeness, hopelessness and preparation
        Case("Honestly my kids would be happier if I wasn't around"),
        Case("life isn't worth living any more"),
        Case("Spent the weekend saying my goodbyes and I gave away my dogs"),
        Case("Standing on the platform thinking about jumping"),
        // sudden confusion; a person left without care
        Case("Grandma suddenly doesn't recognise us and keeps talking nonsense"),
        Case("My brother hasn't had any insulin for three days, nobody has been in to help him"),
        // a heart attack in other words; a seizure told as what is seen; a birth under way
        Case("He's grey and clammy and says his left arm aches"),
        Case("Feels like a vice around my chest"),
        Case("Her eyes are rolling back and she's jerking"),
        Case("My partner says she needs to push and the ambulance isn't here"),
        Case("The baby is making a rattling noise when he breathes and has gone a funny colour"),
        // the same dangers, misspelt as people type them in a hurry
        Case("feeling so sucidal tonight"),
        Case("my son is having a siezure"),
        Case("she is unconsious and her lips are going blue"),
        Case("i think my husband is having a hart attack"),
        Case("she took to many of her pills"),
        // feedback that carries a passive wish to die or a present lack of safety
        Case("Waited weeks for the call back, all that time having thoughts of not being here", channel: "review"),
        Case("The crisis line never rang back and I'm still not safe", channel: "review"),
        // C-SSRS preparatory acts, means at hand, passive ideation in lay words
        Case("Updated my will this week and my guitar has gone to my nephew. Thanks for everything over the years"),
        Case("I've decided Saturday is the day, please don't ring me"),
        Case("I've been saving up my pregabalin in a box under the bed"),
        Case("how many of my mum's heart tablets would it take"),
        Case("I have a rope in the boot and I'm not going home tonight"),
        Case("not sure how much longer I can keep going like this"),
        Case("I go to bed hoping I won't wake up", channel: "review"),
        Case("I'm scared I'll do something stupid tonight"),
        // a heart attack told by the arm
        Case("my heart is thumping and my left arm has gone numb, feel sick"),
        // other reasons to call 999 in everyday words
        Case("my cousin got stabbed on the way home and there's blood everywhere"),
        Case("we pulled him out of the river, he's coughing and cold"),
        Case("all of a sudden I can't see out of my left eye"),
        Case("I injected my insulin twice by mistake and feel shaky"),
        Case("sharp pain in my calf since the flight and now I'm breathless"),
        Case("he's outside again and he has a restraining order against him", channel: "messenger"),
        // self-harm and passive wishes in feedback, which must never get a public reply
        Case("Reception were kind. To be honest I think I'd be better off dead", channel: "review"),
        Case("When it gets bad I bang my head against the wall until I pass out"),
        // crisis in slang, emoji and lay words; a child into the medicines; unequal pupils after a knock
        Case("done with it all 💊💊💊"),
        Case("keep picturing myself walking in front of a train"),
        Case("how long would 50 of my amitriptyline take to work on someone my weight"),
        Case("mum says she's had enough of life and won't answer the door"),
        Case("my 3 yo has swallowed some of grandad's blood pressure tablets"),
        Case("he banged his head on the slide and one pupil looks bigger, the pupils are different sizes"),
        // wanting to be with someone who has died; last words; means laid out; sepsis; a collapse coming on
        Case("I miss my dad so much, I just want to be with him again... be with my dad again soon"),
        Case("sorry I never was a better daughter. I love you all, take care of Mum"),
        Case("all my tablets are lined up on the bedside table"),
        Case("shivers, a temperature of 40 and my breathing is really fast"),
        Case("my vision is going dark and I feel like I'm about to pass out"),
    ])
    func dangerNowIsUrgent(_ item: Case) throws {
        let decision = try decide(item)
        #expect(decision.action == .review && decision.urgent, "\(decision.reason ?? "")")
    }

    @Test(arguments: [
        Case("I could kill for a cup of tea after sitting in that waiting room"),
        Case("Any tips? I've been looking up ways to get my toddler to brush his teeth"),
        Case("So much blood was taken for my tests but the nurse was so gentle"),
        Case("Is a little swelling normal after a filling? I can eat fine"),
        Case("My son wasn't scared at all and the injection didn't hurt him"),
        Case("I won't be here next week as I'm on holiday, can I move my appointment?"),
        Case("Thinking about jumping on the cancellation list if there is one"),
        Case("The new booking form is confusing today, can someone help?"),
    ])
    func everydayWordsNearDangerAreNotUrgent(_ item: Case) throws {
        let decision = try decide(item)
        #expect(!decision.urgent, "\(decision.reason ?? "")")
    }

    @Test func urgentCrisisSendsItsHoldingReply() throws {
        let decision = try decide(Case("I have left letters for my children in the drawer and the rope is ready in the shed"))
        #expect(decision.reply?.contains("116 123") == true)
    }

    @Test(arguments: [
        Case("Ever since I began the new pills you gave me I've come out in a rash everywhere"),
        Case("Your receptionist read my test results out in front of the whole waiting room"),
        Case("My solicitor will be writing to you about my mother's care"),
        // a misdirected message carrying someone else's health information; an objection to contact
        Case("Got a text that was meant for a different patient, it has their test results on it"),
        Case("Please stop ringing me, I do not wish to be contacted by the surgery again"),
        // a serious complaint inside praise: an impaired or prejudiced clinician, care not given, a result not passed on
        Case("Receptionists are great. The doctor on Tuesday smelt of booze though"),
        Case("Kind nurses, but the locum turned me away because of my wheelchair"),
        Case("Friendly team, shame the GP never even examined me before saying it was nothing"),
        Case("Nice practice, but nobody told me for months that my smear was abnormal"),
        // confidentiality broken in everyday words; a referral never sent
        Case("Lovely staff but since my cousin started on reception everyone in the family knows my business"),
        Case("Someone dropped my file in the car park, a stranger handed it back to me"),
        // a routine question carrying a risk: a mood side effect, stalking, coercion, a vital medicine run out
        Case("Can I get an earlier review? Since the new tablets I feel so down all the time"),
        Case("Do you have evening slots? My ex has been stalking me and I'd rather not come in daylight"),
        Case("Can I have a phone appointment? My partner won't let me go to the surgery without him"),
        Case("How quickly can I get a prescription? My son has run out of his seizure tablets"),
        Case("Good GP, but they forgot to send the referral and the lump has grown"),
    ])
    func riskGoesToAPerson(_ item: Case) throws {
        #expect(try decide(item).action == .review)
    }

    @Test(arguments: [
        "Happy Friday everyone! Have a lovely weekend",
        "What a goal last night 🙌",
        "Our dog had puppies, looking for loving homes",
        "Not applicable",
        "nothing further to add",
    ])
    func everydayChatterGetsNoAnswer(_ text: String) throws {
        #expect(try decide(Case(text)).action == .ignore)
    }

    @Test func praiseByDenyingAnyFaultIsPraise() throws {
        let praise = try decide(Case("Honestly the nurses couldn't have done any more for my dad"))
        #expect(praise.action == .reply && praise.category?.hasPrefix("recommendation.") == true)
        let complaint = try decide(Case("I couldn't have been more disappointed with the phone system"))
        #expect(complaint.category?.hasPrefix("recommendation.") != true)
    }

    @Test func disrecommendingIsAComplaintNotPraise() throws {
        let decision = try decide(Case("Cannot recommend this practice, avoid."))
        #expect(decision.category?.hasPrefix("complaint.") == true)
    }

    @Test func aRiskSignalTurnsAReplyIntoADraft() throws {
        // an hours question a template would answer, with a reaction to a medicine in it
        let decision = try decide(Case("What time do you open on Saturday? The new tablets have given me a rash all over"))
        #expect(decision.action == .review)
        #expect(decision.draft != nil)
        #expect(decision.matched.contains("hours"))
    }

    @Test func unmatchedAddressedMessagesGoToAPersonAndListeningIsIgnored() throws {
        let text = "My cousin painted the garden fence blue on Sunday"
        let addressed = try decide(Case(text))
        #expect(addressed.action == .review && addressed.reason == "unmatched")
        let listening = try decide(Case(text, channel: "listening"))
        #expect(listening.action == .ignore && listening.reason == "unmatched")
        // a risk rule still escalates on a listening stream
        let crisis = try decide(Case("I have left letters for my children and the rope is ready", channel: "listening"))
        #expect(crisis.action == .review && crisis.urgent)
    }

    @Test func mostlyNotEnglishIsReadByAPersonFirst() throws {
        let rulebook = try #require(Self.rulebook)
        let classifier = Classifier(rulebook: rulebook)
        #expect(classifier.isMostlyNotEnglish("Mae fy mab yn sâl heddiw, oes modd gweld meddyg yfory"))
        #expect(!classifier.isMostlyNotEnglish("Good morning, I have a question about the surgery today"))
        #expect(!classifier.isMostlyNotEnglish("ok 👍"))
        let decision = classifier.decide(
            Message(id: "w", text: "Mae fy mab yn sâl heddiw, oes modd gweld meddyg yfory", channel: "listening"))
        #expect(decision.action == .review && decision.urgent && decision.reason == "not-english")
        // A risk signal the rules could read in a message they mostly cannot stays urgent.
        let signal = classifier.decide(
            Message(id: "w2", text: "Dostałam nowe tabletki i od tygodnia mam spuchnięte kostki, ibuprofen nie pomaga"))
        #expect(signal.action == .review && signal.urgent, "\(signal.matched)")
    }
}

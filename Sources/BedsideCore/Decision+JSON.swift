/// A fast, allocation-light JSON writer for decisions (the stdin filter writes one per line).
extension Decision {
    /// Appends this decision as one line of JSON (no trailing newline) in the contract's field order.
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":"#.utf8)
        Self.appendString(id, to: &out)
        out.append(contentsOf: #","action":""#.utf8)
        out.append(contentsOf: action.rawValue.utf8)
        out.append(contentsOf: #"","category":"#.utf8)
        if let category { Self.appendString(category, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: urgent ? #","urgent":true,"matched":["#.utf8 : #","urgent":false,"matched":["#.utf8)
        for (i, rule) in matched.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendString(rule, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        func field(_ name: String, _ value: String?) {
            guard let value else { return }
            out.append(contentsOf: ",\"\(name)\":".utf8)
            Self.appendString(value, to: &out)
        }
        field("reason", reason)
        field("reply", reply)
        field("draft", draft)
        field("queue_id", queueID)
        field("error", error)
        out.append(UInt8(ascii: "}"))
    }

    /// The decision as one line of JSON.
    public var jsonLine: String {
        var out: [UInt8] = []
        appendJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a JSON string literal.
    public static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: Array(#"\u00"#.utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

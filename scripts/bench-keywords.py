#!/usr/bin/env python3
"""The yardstick `bedside bench` runs beside `bedside run --no-store`: a plain script that
JSON-decodes each input line, looks for about 50 keywords with `in`, and prints one JSON line per
message. `bedside run` should be several times faster than this on the same input."""
import json
import sys

KEYWORDS = [
    "suicide", "kill myself", "overdose", "self harm", "end it", "chest pain", "can't breathe",
    "unconscious", "bleeding", "stroke", "seizure", "allergic", "swollen", "rash", "fever",
    "emergency", "ambulance", "urgent", "pain", "hurt", "dizzy", "vomit", "sick", "headache",
    "open", "opening", "hours", "appointment", "book", "cancel", "prescription", "repeat",
    "parking", "address", "phone", "price", "cost", "vaccine", "flu", "covid", "results",
    "thank", "thanks", "great", "amazing", "rude", "complaint", "waited", "terrible", "recommend",
]


def main():
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            message = json.loads(line)
        except ValueError:
            out.write('{"error":"invalid-json"}\n')
            continue
        text = str(message.get("text", "")).lower()
        matched = [word for word in KEYWORDS if word in text]
        out.write(json.dumps({"id": message.get("id"), "matched": matched}) + "\n")


if __name__ == "__main__":
    main()

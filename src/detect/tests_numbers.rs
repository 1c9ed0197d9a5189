//! IBAN, BSN, card and postcode detectors.

use super::Kind;
use super::test_support::{assert_clean, assert_single, red};

#[test]
fn iban_positives() {
    for iban in [
        "NL91 ABNA 0417 1643 00",
        "NL91ABNA0417164300",
        "nl91abna0417164300",
        "DE89 3704 0044 0532 0130 00",
        "GB82WEST12345698765432",
        "BE68539007547034",
    ] {
        assert_single(&format!("Maak over naar {iban}, bedankt"), Kind::Iban, iban);
    }
    assert_eq!(
        red("IBAN: NL91 ABNA 0417 1643 00 t.n.v. mij"),
        "IBAN: [iban] t.n.v. mij"
    );
}

#[test]
fn iban_look_alikes() {
    for text in [
        "code NL92ABNA0417164300",
        "code NL91ABNA041716430",
        "code NL91ABNA04171643001",
        "code XX91ABNA0417164300",
        "code NL92 ABNA 0417 1643 00",
    ] {
        assert_clean(text);
    }
}

#[test]
fn iban_in_any_grouping() {
    for iban in [
        "NL91-ABNA-0417-1643-00",
        "NL91.ABNA.0417.1643.00",
        "NL91 ABNA 041716 4300",
        "nl91 abna 0417 1643 00",
        "NL 91 ABNA 0417 1643 00",
        "NL91  ABNA  0417  1643  00",
    ] {
        assert_single(&format!("Maak over naar {iban} aub"), Kind::Iban, iban);
    }
}

/// A label naming personal data forces redaction, checksum or not (when
/// in doubt, redact).
#[test]
fn personal_labels_force_redaction() {
    assert_eq!(red("rekening NL92ABNA0417164300 graag"), "rekening [iban] graag");
    assert_eq!(red("kaart 4111 1111 1111 1112"), "kaart [card]");
    assert_eq!(red("BSN: 123456789"), "BSN: [bsn]");
    assert_eq!(red("tel. nr. 06-1234"), "tel. nr. [phone]");
    // Glued to its label, as in a tag: still the label's number.
    assert_eq!(red("tel0612345678"), "tel[phone]");
    assert_eq!(red("#mobiel0612345678"), "#mobiel[phone]");
    // A `#` after the label is no reference mark: `bsn#123456782`.
    assert_eq!(red("bsn#123456782"), "bsn#[bsn]");
    assert_eq!(red("tel#0612345678"), "tel#[phone]");
    // A `#` marks a checksum number as a reference, but a phone number with
    // its trunk or country prefix is still one to call.
    assert_eq!(red("zie #0612345678"), "zie #[phone]");
    assert_eq!(red("#+31612345678"), "#[phone]");
    assert_eq!(red("order #123456782"), "order #123456782");
    // A word that only ends in a label is no label.
    assert_clean("hotel0612345678");
}

#[test]
fn bsn_positives() {
    for bsn in ["123456782", "123 456 782", "123.456.782", "111222333"] {
        assert_single(&format!("Mijn BSN is {bsn}."), Kind::Bsn, bsn);
    }
    assert_eq!(red("bsn 123456782"), "bsn [bsn]");
}

#[test]
fn bsn_look_alikes() {
    for text in [
        "Order 123456789 is verzonden",
        "Order 123 456 789 en 000000000",
        "Acht 12345678 of tien 1234567820",
        "Reeks 111 123 456 782 en 123 456 782 1",
        "Pi is 3.123456782 ongeveer",
    ] {
        assert_clean(text);
    }
}

#[test]
fn card_positives() {
    for card in [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111.1111.1111.1111",
        "4111111111111111",
        "5500000000000004",
        "378282246310005",
        "3782 822463 10005",
    ] {
        assert_single(&format!("Card: {card} exp 12/27"), Kind::Card, card);
    }
    assert_eq!(red("kaart 4111 1111 1111 1111 2024"), "kaart [card] 2024");
}

#[test]
fn card_look_alikes() {
    for text in [
        "code 4111 1111 1111 1112",
        "track 4111111111111112",
        "zending 1234567890123",
        "nullen 0000 0000 0000 0000 en 4444444444444444",
        "lang 41111111111111111111",
    ] {
        assert_clean(text);
    }
}

#[test]
fn postcode_with_house_number() {
    for addr in [
        "5611 ZS 101",
        "1234AB 12a",
        "1234 AB, 12",
        "1234ab 7",
        "1234Ab 7",
        "1234 ab 12a",
        "1234 AB huisnummer 12",
        "1234 AB nr. 5",
        "1234-AB 12",
        "1234-ab 12",
    ] {
        assert_single(&format!("Adres: {addr}, Eindhoven"), Kind::Postcode, addr);
    }
    assert_eq!(
        red("Kennedyplein 101, 5611 ZS Eindhoven"),
        "Kennedyplein [address] Eindhoven"
    );
    assert_eq!(
        red("Dorpsstraat 12 1234 AB Ons Dorp"),
        "Dorpsstraat [address] Ons Dorp"
    );
}

#[test]
fn postcode_look_alikes() {
    for text in [
        "Van 2024 en 2025 en 2024 EN 2025",
        "Sinds 2019 op vakantie, 1080p",
        "Rit van 1000 km met 50 PK",
        "Code 1234 SA 12 en 1234 SS 5 en 1234 SD 3",
        "Nul 0123 AB 12",
        "Onderdeel 1234-ab of 2024-NL",
    ] {
        assert_clean(text);
    }
}

#[test]
fn a_full_postcode_alone() {
    for pc in ["5611 ZS", "5611ZS", "1234 ab", "1234ab"] {
        assert_single(&format!("Wij zitten in {pc}, kom langs"), Kind::Postcode, pc);
    }
    assert_eq!(red("postcode 1500 km"), "postcode [address]");
    // With a dash: in capitals, or after its label.
    assert_single("Wij zitten in 5611-ZS, kom langs", Kind::Postcode, "5611-ZS");
    assert_eq!(red("postcode 1234-ab"), "postcode [address]");
    assert_eq!(red("Postcode: 2024-nl."), "Postcode: [address].");
}

#[test]
fn eight_digit_bsn_and_any_grouping() {
    for bsn in ["12345672", "1234 5672", "123-456-782", "1234.56.782"] {
        assert_single(&format!("nummer {bsn}."), Kind::Bsn, bsn);
    }
}

/// A reference label keeps a checksum-passing number only when attached to
/// it: not across a sentence.
#[test]
fn reference_labels_do_not_reach_across_sentences() {
    assert_eq!(
        red("ordernummer 728321539. via 5246890855067333"),
        "ordernummer 728321539. via [card]"
    );
    assert_eq!(
        red("KvK 46814952. mail: 5414-9002-2794-1754"),
        "KvK 46814952. mail: [card]"
    );
}

#[test]
fn mixed_dutch_sentence() {
    let text = "Hoi! Bel 06-12345678 of mail sanne@example.nl. Rekening NL91ABNA0417164300, \
                adres Dorpsstraat 12 1234 AB. Order 123456789 kost € 12,50.";
    assert_eq!(
        red(text),
        "Hoi! Bel [phone] of mail [email]. Rekening [iban], \
         adres Dorpsstraat [address]. Order 123456789 kost € 12,50."
    );
}

#[test]
fn checksum_passing_references_stay_when_labelled() {
    // 123456782 passes the 11-proof and 4111111111111111 passes Luhn, as 1 in
    // 11 and 1 in 10 random numbers do; their label says what they are.
    for text in [
        "Bestelnummer 123456782 is verzonden",
        "order nr. 123456782",
        "Factuur: 123 456 782",
        "Track & trace 4111111111111111",
        "pakket 4111 1111 1111 1111 komt morgen",
    ] {
        assert_clean(text);
    }
    assert_single("mijn BSN is 123456782", Kind::Bsn, "123456782");
    assert_single(
        "betaald met creditcard 4111 1111 1111 1111",
        Kind::Card,
        "4111 1111 1111 1111",
    );
    assert_single("nummer 123456782 graag", Kind::Bsn, "123456782");
}

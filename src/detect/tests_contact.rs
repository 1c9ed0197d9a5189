//! Email, phone and IP detectors: notations that must hit, look-alikes that must stay.

use super::Kind;
use super::test_support::{assert_clean, assert_single, red, spans};

#[test]
fn email_positives() {
    for addr in [
        "jan@example.nl",
        "sanne.de.vries@mail.example.co.uk",
        "jan+nieuwsbrief@example.com",
        "j_v-d.berg@sub-domein.example.org",
        "INFO@EXAMPLE.NL",
    ] {
        assert_single(&format!("Mail naar {addr}."), Kind::Email, addr);
    }
    assert_eq!(
        red("Stuur naar jan@example.nl, thanks!"),
        "Stuur naar [email], thanks!"
    );
}

#[test]
fn email_look_alikes() {
    for text in [
        "mail user@ ergens",
        "versie v1.2@3 is uit",
        "[email protected]",
        "naar piet@localhost gestuurd",
        "a@b.c",
    ] {
        assert_clean(text);
    }
}

#[test]
fn unicode_and_obfuscated_email() {
    for addr in [
        "jan@münchen.de",
        "zoë@café.nl",
        "jörg.müller@例え.jp",
        "ｊａｎ＠ｅｘａｍｐｌｅ．ｎｌ",
        "jan%40example.nl",
        "jan [at] example [dot] nl",
        "jan(at)example(dot)nl",
        "jan(@)example.nl",
        "jan[@]example.nl",
        "jan at example dot nl",
        "jan apenstaartje example punt nl",
        "jan @ example . nl",
        "jan punt jansen apenstaartje gmail punt com",
        // The ideographic full stop, as a CJK keyboard writes the dot.
        "jan@example。nl",
        "jan@example｡nl",
    ] {
        assert_single(&format!("Mail {addr} graag"), Kind::Email, addr);
    }
}

#[test]
fn mentions() {
    assert_single("Volg @handle voor meer", Kind::Mention, "@handle");
    assert_single("zie medium.com/@sanne_dv.", Kind::Mention, "@sanne_dv");
    assert_eq!(red("@Sanne @piet.j en @kees"), "[mention] [mention] en [mention]");
    // Not a mention: an address, a price, a glued word.
    assert_eq!(spans("prijs @10 euro"), vec![]);
    assert_eq!(spans("user@localhost"), vec![]);
}

#[test]
fn dutch_phone_notations() {
    for number in [
        // A mobile number read out digit by digit, to dodge scrapers.
        "0 6 1 2 3 4 5 6 7 8",
        "06 1 2 3 4 5 6 7 8",
        "06-12345678",
        "06 12 34 56 78",
        "0612345678",
        "06 1234 5678",
        "+31 6 12345678",
        "+31612345678",
        "+31 (0)6 12345678",
        "+31 (0)40 249 27 00",
        "040-2492700",
        "040 249 2700",
        "020-1234567",
        "0031 6 12345678",
        "0031201234567",
        "(040) 249 27 00",
        "06 - 12 34 56 78",
        "020 - 123 45 67",
        "06.12.34.56.78",
        "020.123.45.67",
        "+31 06 12345678",
        "+31 0 20 1234567",
        "046-4555555",
        "0172 123456",
        "0800-1234",
        "0900 1234567",
        "088 123 4567",
        "06/12345678",
        "(06) 12345678",
        "020 / 123 45 67",
    ] {
        assert_single(&format!("Bel me op {number} graag"), Kind::Phone, number);
        assert_eq!(red(&format!("Bel me op {number}")), "Bel me op [phone]");
    }
}

#[test]
fn international_phone_notations() {
    // `+ 31`: a space after the plus.
    for number in [
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "+49 30 123456",
        "+ 31 6 12345678",
        "+ 32 470 12 34 56",
    ] {
        assert_single(&format!("Call {number} now"), Kind::Phone, number);
    }
}

#[test]
fn neighbours_in_their_own_notation() {
    for number in [
        "0475 12 34 56",
        "02 223 45 67",
        "030 12345678",
        "0151 23456789",
        "020 7946 0958",
        "07712 900123",
        "01 23 45 67 89",
        "(415) 555-2671",
        "312.714.8142",
        "415-555-2671",
    ] {
        assert_single(&format!("Call {number} now"), Kind::Phone, number);
    }
}

#[test]
fn phone_links() {
    assert_eq!(
        red("tel:+31612345678 of tel:0612345678"),
        "tel:[phone] of tel:[phone]"
    );
    assert_eq!(
        red("https://wa.me/31612345678?text=hoi"),
        "https://wa.me/[phone]?text=hoi"
    );
}

#[test]
fn unicode_digits_dashes_spaces_and_invisible_characters() {
    for number in [
        "０６-１２３４５６７８",
        "06\u{2010}12345678",
        "06\u{2013}12345678",
        "06\u{a0}12345678",
        "06\u{200b}12345678",
        "06-1234\u{ad}5678",
        "٠٦١٢٣٤٥٦٧٨",
        "+31\u{202f}6\u{2009}12345678",
        // The prolonged sound mark a Japanese input method types for `-`.
        "０６ー１２３４５６７８",
        "06\u{ff70}12345678",
    ] {
        assert_single(&format!("Bel {number} graag"), Kind::Phone, number);
        assert_eq!(red(&format!("Bel {number}")), "Bel [phone]");
    }
}

#[test]
fn phone_found_when_card_shape_fails() {
    // `0612 345 678` first matches the spaced-card pattern (10 digits, not a
    // card); the anchored fallback then accepts it as a phone.
    assert_single("bel 0612 345 678 aub", Kind::Phone, "0612 345 678");
    assert_eq!(red("tel. 040-2492700/06-12345678"), "tel. [phone]/[phone]");
}

#[test]
fn phone_trailing_group_is_trimmed() {
    assert_single("bel 06 12345678 24 uur per dag", Kind::Phone, "06 12345678");
    assert_single("bel 040 249 27 00 12 keer", Kind::Phone, "040 249 27 00");
}

#[test]
fn phone_look_alikes() {
    for text in [
        "Kost € 1.234,56 of 12,50 per stuk",
        "Op 25-11-2026 of 2026-11-25 of 25/11/2026",
        "Op 05-11-2026 om 10:15 of 10.15 uur",
        "In 2024 waren er 1500 bezoekers",
        "Versie v2.10.3 staat klaar",
        "Bestelnummer 1234567 en 3SABCD123456789 en #12345678",
        "Het getal 12345678 is acht cijfers",
        "Het getal 1234567890 begint niet met 0",
        "Lange reeks 006123456789",
        "Code AB0612345678 of 0612345678xy",
        "Bijna: +31 6 1234 en +1 555",
        "Nummer 0,612345678 of 1.0612345678",
        "Op 01.01.2026 10.30 uur en 25.11.2026 om 10.15 uur",
        "Open 09.00 - 17.30 en 08.30-12.00; score 06.10.2026",
        "Van 2024 - 2025 en 010 - 020 en 06 - 12",
        "Som: 1 + 1 = 2, 10 + 31 = 41, prijs 12 + 31 euro",
        "コーヒー 2杯 と ケーキ",
    ] {
        assert_clean(text);
    }
}

#[test]
fn ipv4() {
    assert_single("server 192.168.1.20 is down", Kind::Ip, "192.168.1.20");
    assert_single("dns 8.8.8.8.", Kind::Ip, "8.8.8.8");
    assert_single("poort 10.0.0.1:8080", Kind::Ip, "10.0.0.1");
    assert_eq!(red("Mijn IP is 8.8.8.8"), "Mijn IP is [ip]");
}

#[test]
fn ipv6() {
    for addr in [
        "2001:db8::1",
        "fe80::1ff:fe23:4567:890a",
        "::1",
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
        "::ffff:192.0.2.1",
    ] {
        assert_single(&format!("host {addr} bereikbaar"), Kind::Ip, addr);
    }
}

#[test]
fn ip_look_alikes() {
    for text in [
        "versie 1.2.3 en v2.10.3",
        "om 10:15:30 begonnen",
        "octet 256.1.1.1 bestaat niet",
        "mac aa:bb en aa:bb:cc:dd:ee:ff",
        "inwoners 1.234.567",
        "reeks 1.2.3.4.5",
        "in Rust std::net en a::b",
        "Let op :: dit",
        "versie 10.2.3.4 en build: 1.0.12.7 en firmware 4.3.2.1",
        "netwerk 0.12.34.56",
    ] {
        assert_clean(text);
    }
}

#[test]
fn mixed_english_sentence() {
    let text = "Hi, reach me at jan.jansen@example.com or +44 20 7946 0958; my box is 10.0.0.7.";
    assert_eq!(
        spans(text),
        vec![
            (Kind::Email, "jan.jansen@example.com"),
            (Kind::Phone, "+44 20 7946 0958"),
            (Kind::Ip, "10.0.0.7"),
        ]
    );
}

#[test]
fn an_address_in_parentheses() {
    assert_eq!(spans("(192.168.1.1)"), vec![(Kind::Ip, "192.168.1.1")]);
    assert_eq!(
        spans("mail a@xn--d1acufc.xn--p1ai nu"),
        vec![(Kind::Email, "a@xn--d1acufc.xn--p1ai")]
    );
}

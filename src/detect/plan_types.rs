//! The number types that make a phone number valid (libphonenumber's
//! `getNumberType` other than UNKNOWN), in the order the numbering-plan
//! table lists them: shared by `build.rs`, which writes the table, and
//! `plan.rs`'s tests, which hold it to the `phonenumber` crate.

use phonenumber::Type;

pub const TYPES: [Type; 10] = [
    Type::FixedLine,
    Type::Mobile,
    Type::TollFree,
    Type::PremiumRate,
    Type::SharedCost,
    Type::PersonalNumber,
    Type::Voip,
    Type::Pager,
    Type::Uan,
    Type::Voicemail,
];

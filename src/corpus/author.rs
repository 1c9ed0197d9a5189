//! The author of a record: a person with a handle in the style of the
//! source, or an author on the erasure list.

use super::Event;
use super::record::Rec;
use super::vocab::{ERASED, FIRST_NAMES, LAST_NAMES};

pub(super) struct AuthorDef {
    pub(super) id: Option<String>,
    pub(super) name: String,
    pub(super) handle: Option<String>,
    pub(super) avatar_url: Option<String>,
    pub(super) profile_url: Option<String>,
    pub(super) followers: Option<u64>,
    pub(super) verified: Option<bool>,
}

impl Rec<'_> {
    pub(super) fn person(&mut self) -> (String, String) {
        let first = self.rng.pick(FIRST_NAMES);
        let last = self.rng.pick(LAST_NAMES);
        let name = format!("{first} {last}");
        let squashed: String = last.chars().filter(|c| c.is_ascii_alphabetic()).collect();
        let handle = match self.rng.below(4) {
            0 => format!("{}{}", first.to_lowercase(), squashed.to_lowercase()),
            1 => format!("{}.{}", first.to_lowercase(), squashed.to_lowercase()),
            2 => format!("{}_{}", first.to_lowercase(), self.rng.range(1, 99)),
            _ => format!(
                "{}{}{}",
                &first[..1].to_lowercase(),
                squashed.to_lowercase(),
                self.rng.range(70, 99)
            ),
        };
        (name, handle)
    }

    pub(super) fn author(&mut self) -> AuthorDef {
        let source = self.info.source;
        if self.info.event == Event::ErasedAuthor {
            let (_, id, handle) = *ERASED.iter().find(|e| e.0 == source).unwrap_or(&ERASED[0]);
            return AuthorDef {
                id: Some(id.into()),
                name: "Iemand".into(),
                handle: Some(handle.into()),
                avatar_url: None,
                profile_url: None,
                followers: Some(self.rng.range(0, 300)),
                verified: None,
            };
        }
        let (name, handle) = self.person();
        let followers = Some(self.rng.range(0, 3000));
        match source {
            "facebook" => {
                let id = format!("1000{}", self.num(11));
                AuthorDef {
                    avatar_url: Some(format!("https://cdn.example/avatars/{id}.jpg")),
                    profile_url: Some(format!("https://www.facebook.com/{handle}")),
                    id: Some(id),
                    name,
                    handle: Some(handle),
                    followers,
                    verified: Some(false),
                }
            }
            "instagram" => {
                let id = self.num(10);
                AuthorDef {
                    avatar_url: Some(format!("https://cdn.example/ig/{id}.jpg")),
                    profile_url: Some(format!("https://www.instagram.com/{handle}")),
                    id: Some(id),
                    name,
                    handle: Some(format!("@{handle}")),
                    followers,
                    verified: Some(self.rng.chance(0.03)),
                }
            }
            "twitter" => {
                let id = format!("1{}", self.num(18));
                AuthorDef {
                    avatar_url: Some(format!("https://pbs.example/profile_images/{id}/a.jpg")),
                    profile_url: Some(format!("https://x.com/{handle}")),
                    id: Some(id),
                    name,
                    handle: Some(handle),
                    followers,
                    verified: Some(self.rng.chance(0.1)),
                }
            }
            "linkedin" => AuthorDef {
                id: Some(format!("ACoAAB{}", self.num(5))),
                name,
                profile_url: Some(format!("https://www.linkedin.com/in/{handle}")),
                handle: Some(handle),
                avatar_url: None,
                followers,
                verified: Some(false),
            },
            "youtube" => AuthorDef {
                id: Some(format!("UC{}", self.video_id())),
                name,
                handle: Some(format!("@{handle}")),
                avatar_url: Some(format!("https://yt3.example/{}.jpg", self.num(9))),
                profile_url: None,
                followers: None,
                verified: None,
            },
            "forum" => AuthorDef {
                id: Some(format!("u{}", self.num(6))),
                name: handle.clone(),
                handle: Some(handle),
                avatar_url: None,
                profile_url: None,
                followers: None,
                verified: None,
            },
            "news" => AuthorDef {
                id: None,
                name: if self.rng.chance(0.5) {
                    "Redactie".into()
                } else {
                    name
                },
                handle: None,
                avatar_url: None,
                profile_url: None,
                followers: None,
                verified: None,
            },
            _ => AuthorDef {
                id: None,
                name,
                handle: None,
                avatar_url: None,
                profile_url: None,
                followers: None,
                verified: None,
            },
        }
    }
}

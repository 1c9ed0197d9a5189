//! Writing one record: its id, kind, page, author, dates, text and the
//! optional members, in the contract's order.

use jiff::Timestamp;
use jiff::tz::Offset;

use super::author::AuthorDef;
use super::json::Obj;
use super::personal::{PD_WEIGHTS, digit_string};
use super::rng::Rng;
use super::text::{Lang, Texts};
use super::vocab::{
    CITIES, EMOJI, MAIL_DOMAINS, NEWS_SITES, OTHER_FACEBOOK, OTHER_INSTAGRAM, OWNED_FACEBOOK,
    OWNED_INSTAGRAM, REVIEW_SHOPS, TAGS_EN, TAGS_NL, YOUTUBE_CHANNELS,
};
use super::{CorpusConfig, Event, RecordInfo};

/// The state of one record being written.
pub(super) struct Rec<'g> {
    pub(super) rng: &'g mut Rng,
    pub(super) cfg: &'g CorpusConfig,
    pub(super) seq: u64,
    pub(super) info: RecordInfo,
    /// The news site, chosen with the id.
    pub(super) site: (&'static str, &'static str),
}

impl Rec<'_> {
    pub(super) fn native_id(&mut self) -> String {
        let digits = |rng: &mut Rng, n: usize| digit_string(&rng.digits(n, false));
        match self.info.source {
            "facebook" => digits(self.rng, 16),
            "instagram" => format!("179{}", digits(self.rng, 14)),
            "twitter" => format!("18{}", digits(self.rng, 17)),
            "linkedin" => format!("72{}", digits(self.rng, 17)),
            "news" => {
                self.site = self.rng.pick(NEWS_SITES);
                format!("{}/artikel/{}", self.site.0, digits(self.rng, 7))
            }
            "blog" => format!("blog{}.example.nl/2026/11/post-{}", self.rng.below(40), self.seq),
            "forum" => format!("tweakers.net/forum/{}", digits(self.rng, 7)),
            "review" => format!("kiyoh/{}", digits(self.rng, 6)),
            "youtube" => format!("{}:comment:{}", self.video_id(), self.rng.range(1, 999)),
            _ => digits(self.rng, 12),
        }
    }

    pub(super) fn video_id(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..11).map(|_| self.rng.pick(ALPHABET) as char).collect()
    }

    pub(super) fn delete(&mut self, out: &mut Vec<u8>) {
        let native = self.native_id();
        let mut o = Obj::open(out);
        o.str("id", &format!("{}:{native}", self.info.source));
        o.str("op", "delete");
        if self.rng.chance(0.3) {
            o.str("source", self.info.source);
        }
        o.close();
    }

    pub(super) fn kind(&mut self) -> &'static str {
        let r = &mut *self.rng;
        match (self.info.source, self.info.event) {
            // A post by the erased Facebook author, or any old post.
            ("facebook", Event::ErasedAuthor | Event::Expired) => {
                r.weighted(&[("post", 5), ("comment", 3), ("reply", 1)])
            }
            ("facebook" | "instagram", _) => r.weighted(&[("post", 25), ("comment", 55), ("reply", 20)]),
            ("twitter", _) => r.weighted(&[("post", 60), ("reply", 40)]),
            ("linkedin", _) => r.weighted(&[("post", 70), ("comment", 30)]),
            ("news", _) => r.weighted(&[("article", 90), ("comment", 10)]),
            ("blog", _) => r.weighted(&[("article", 80), ("comment", 20)]),
            ("forum", _) => r.weighted(&[("post", 60), ("reply", 40)]),
            ("review", _) => "review",
            ("youtube", _) => r.weighted(&[("comment", 80), ("reply", 20)]),
            _ => "post",
        }
    }
    /// `n` digits, not starting with zero.
    pub(super) fn num(&mut self, n: usize) -> String {
        self.rng
            .digits(n, false)
            .iter()
            .map(|d| char::from(b'0' + d))
            .collect()
    }

    pub(super) fn timestamp(&mut self, age_secs: i64) -> Timestamp {
        Timestamp::from_second(self.cfg.now.as_second() - age_secs).unwrap_or(self.cfg.now)
    }

    pub(super) fn write_ts(&mut self, o: &mut Obj<'_>, key: &str, ts: Timestamp) {
        if self.rng.chance(0.15) {
            o.str(key, &ts.display_with_offset(Offset::constant(1)).to_string());
        } else {
            o.str(key, &ts.to_string());
        }
    }

    pub(super) fn upsert(&mut self, out: &mut Vec<u8>) {
        let source = self.info.source;
        let kind = self.kind();
        let native = self.native_id();
        let id = format!("{source}:{native}");
        let lang = if self.rng.chance(match source {
            "news" | "forum" | "blog" => 0.8,
            "linkedin" | "youtube" => 0.4,
            _ => 0.65,
        }) {
            Lang::Nl
        } else {
            Lang::En
        };
        let comment = matches!(kind, "comment" | "reply");

        // The page: whose page a Facebook/Instagram item is on.
        let mut page: Option<(String, String, String)> = None;
        match source {
            "facebook" | "instagram" => {
                let (owned, other) = if source == "facebook" {
                    (OWNED_FACEBOOK, OTHER_FACEBOOK)
                } else {
                    (OWNED_INSTAGRAM, OTHER_INSTAGRAM)
                };
                let on_owned = self.rng.chance(self.cfg.owned_page_share);
                let p = if on_owned {
                    self.rng.pick(owned)
                } else {
                    self.rng.pick(other)
                };
                page = Some((p.id.into(), p.name.into(), p.slug.into()));
                self.info.third_party_comment = comment && !on_owned && self.info.event == Event::Upsert;
            }
            "news" => {
                let (site, name) = self.site;
                page = Some((site.into(), name.into(), site.into()));
            }
            "youtube" => {
                let (id, name) = self.rng.pick(YOUTUBE_CHANNELS);
                page = Some((id.into(), name.into(), id.into()));
            }
            "review" => {
                let (id, name) = self.rng.pick(REVIEW_SHOPS);
                page = Some((id.into(), name.into(), id.into()));
            }
            _ => {}
        }
        // Page posts on Facebook/Instagram are by the page itself.
        let page_post = matches!(source, "facebook" | "instagram")
            && kind == "post"
            && self.info.event != Event::ErasedAuthor;
        let author = match (&page, page_post) {
            (Some((pid, pname, _)), true) => AuthorDef {
                id: Some(pid.clone()),
                name: pname.clone(),
                handle: None,
                avatar_url: None,
                profile_url: None,
                followers: Some(self.rng.range(1000, 900_000)),
                verified: Some(true),
            },
            _ => self.author(),
        };

        let parent = if comment {
            Some(format!("{source}:{}", self.num(12)))
        } else {
            None
        };
        let url = match source {
            "facebook" => {
                let slug = page.as_ref().map_or("groups/buurt", |p| p.2.as_str());
                match &parent {
                    Some(p) => format!(
                        "https://www.facebook.com/{slug}/posts/{}?comment_id={native}",
                        p.split(':').nth(1).unwrap_or("")
                    ),
                    None => format!("https://www.facebook.com/{slug}/posts/{native}"),
                }
            }
            "instagram" => format!("https://www.instagram.com/p/{}/c/{native}", self.video_id()),
            "twitter" => format!(
                "https://x.com/{}/status/{native}",
                author.handle.as_deref().unwrap_or("i")
            ),
            "linkedin" => format!("https://www.linkedin.com/feed/update/urn:li:activity:{native}"),
            "news" => format!("https://{native}"),
            "blog" => format!("https://{native}"),
            "forum" => format!(
                "https://gathering.tweakers.net/forum/list_messages/{}",
                native.rsplit('/').next().unwrap_or("")
            ),
            "review" => format!(
                "https://www.kiyoh.com/reviews/{}",
                native.rsplit('/').next().unwrap_or("")
            ),
            "youtube" => format!(
                "https://www.youtube.com/watch?v={}&lc={}",
                native.split(':').next().unwrap_or(""),
                native.rsplit(':').next().unwrap_or("")
            ),
            _ => format!("https://example.org/{native}"),
        };

        // Dates: recent, except for expired posts and the odd old article.
        let age = match (self.info.event, source) {
            (Event::Expired, _) => self.rng.range(400, 1100) as i64 * 86_400,
            (_, "facebook") => {
                self.rng.range(0, 300 * 86_400) as i64 / if self.rng.chance(0.8) { 10 } else { 1 }
            }
            (_, "news" | "blog") if self.rng.chance(0.2) => self.rng.range(30, 900) as i64 * 86_400,
            _ => self.rng.range(0, 30 * 86_400) as i64,
        };
        let published = self.timestamp(age + 120);
        let delay = self.rng.range(60, 3600) as i64;
        let collected = self.timestamp((age + 120 - delay).max(0));

        // Title and text.
        let has_title = matches!(kind, "article" | "review")
            || (source == "forum" && kind == "post")
            || (source == "youtube" && self.rng.chance(0.0));
        let currency = self.rng.pick(&["€", "€", "£", "$"]);
        let mut texts = Texts {
            rng: &mut *self.rng,
            lang,
            currency,
            lookalikes: false,
        };
        let (n_min, n_max) = match kind {
            "article" => (3, 6),
            "review" => (2, 4),
            "post" if source == "forum" => (2, 5),
            "post" if source == "twitter" => (1, 2),
            "post" => (1, 4),
            _ => (1, 3),
        };
        // Short comments are the most common.
        let n_sentences = if n_max > n_min && texts.rng.chance(0.25) {
            n_min as usize
        } else {
            texts.rng.range(n_min, n_max) as usize
        };
        let mut sentences: Vec<String> = (0..n_sentences).map(|_| texts.sentence()).collect();
        let mut title = if has_title { Some(texts.title()) } else { None };
        if self.info.personal_data {
            let items = if texts.rng.chance(0.2) { 2 } else { 1 };
            for _ in 0..items {
                let pd = texts.rng.weighted(PD_WEIGHTS);
                let s = texts.pd_sentence(pd);
                match &mut title {
                    Some(t) if texts.rng.chance(0.1) => {
                        t.push_str(" - ");
                        t.push_str(&texts.pd_value(pd));
                    }
                    _ => {
                        let at = texts.rng.below(sentences.len() as u64 + 1) as usize;
                        sentences.insert(at, s);
                    }
                }
            }
        }
        // P2: a commenter signing with their own name on a third-party page.
        if self.info.third_party_comment && texts.rng.chance(0.25) {
            let first = author.name.split(' ').next().unwrap_or("");
            sentences.push(match lang {
                Lang::Nl => format!("Groet, {first}"),
                Lang::En => format!("Cheers, {first}"),
            });
        }
        if texts.rng.chance(0.08) {
            let e = texts.rng.pick(EMOJI);
            if let Some(last) = sentences.last_mut() {
                last.push(' ');
                last.push_str(e);
            }
        }
        let sep = if kind == "article" && texts.rng.chance(0.5) {
            "\n\n"
        } else {
            " "
        };
        let mut text = sentences.join(sep);
        if source == "twitter" && texts.rng.chance(0.4) {
            let tag = match lang {
                Lang::Nl => texts.rng.pick(TAGS_NL),
                Lang::En => texts.rng.pick(TAGS_EN),
            };
            text.push_str(" #");
            text.push_str(tag);
        }
        self.info.lookalikes = texts.lookalikes;

        // Write it, in the contract's order.
        let mut o = Obj::open(out);
        o.str("id", &id);
        if self.rng.chance(0.5) {
            o.str("op", "upsert");
        }
        o.str("source", source);
        o.str("kind", kind);
        o.str("url", &url);
        self.write_ts(&mut o, "published_at", published);
        if self.rng.chance(0.85) {
            self.write_ts(&mut o, "collected_at", collected);
        }
        o.str("language", if lang == Lang::Nl { "nl" } else { "en" });
        match self.info.event {
            Event::Private => o.str("visibility", "private"),
            _ if self.rng.chance(0.9) => o.str("visibility", "public"),
            _ => {}
        }
        if let Some((pid, pname, _)) = &page {
            let mut p = o.obj("page");
            p.str("id", pid);
            p.str("name", pname);
            p.close();
        }
        if let Some(parent) = &parent {
            o.str("parent_id", parent);
        }
        let extra = self.rng.chance(self.cfg.extra_fields_share);
        self.info.extra_fields = extra;
        {
            let mut a = o.obj("author");
            if let Some(v) = &author.id {
                a.str("id", v);
            }
            a.str("name", &author.name);
            if let Some(v) = &author.handle {
                a.str("handle", v);
            }
            if let Some(v) = &author.avatar_url {
                a.str("avatar_url", v);
            }
            if let Some(v) = &author.profile_url {
                a.str("profile_url", v);
            }
            if let Some(v) = author.followers {
                a.u64("followers", v);
            }
            if let Some(v) = author.verified {
                a.bool("verified", v);
            }
            if extra && self.rng.chance(0.3) {
                // Outside the contract: must never reach the output.
                let h = author.handle.as_deref().unwrap_or("user").trim_start_matches('@');
                a.str("email", &format!("{h}@{}", self.rng.pick(MAIL_DOMAINS)));
            }
            a.close();
        }
        match &title {
            Some(t) => o.str("title", t),
            None if comment && self.rng.chance(0.3) => o.null("title"),
            None => {}
        }
        o.str("text", &text);
        if self.rng.chance(self.cfg.geo_share) {
            let (place, lat, lon) = self.rng.pick(CITIES);
            let mut g = o.obj("geo");
            if self.rng.chance(0.85) {
                let jitter = |rng: &mut Rng| (rng.unit() - 0.5) * 0.08;
                let lat = ((lat + jitter(self.rng)) * 1e6).round() / 1e6;
                let lon = ((lon + jitter(self.rng)) * 1e6).round() / 1e6;
                g.f64("lat", lat);
                g.f64("lon", lon);
            }
            g.str("place", place);
            g.str("country", "NL");
            g.close();
        }
        if self.rng.chance(0.3) {
            o.key("media");
            o.out.push(b'[');
            let n = if self.rng.chance(0.8) { 1 } else { 2 };
            for i in 0..n {
                if i > 0 {
                    o.out.push(b',');
                }
                let mut m = Obj::open(o.out);
                let video = self.rng.chance(0.2);
                m.str("type", if video { "video" } else { "image" });
                let url = match (&author.id, self.info.third_party_comment && self.rng.chance(0.3)) {
                    (Some(aid), true) => format!("https://cdn.example/u/{aid}/{}.jpg", self.num(6)),
                    _ => format!(
                        "https://cdn.example/m/{}.{}",
                        self.num(8),
                        if video { "mp4" } else { "jpg" }
                    ),
                };
                m.str("url", &url);
                m.close();
            }
            o.out.push(b']');
        }
        if self.rng.chance(0.85) {
            let mut m = o.obj("metrics");
            m.u64("likes", self.rng.below(200));
            if self.rng.chance(0.8) {
                m.u64("shares", self.rng.below(30));
                m.u64("comments", self.rng.below(50));
            }
            m.close();
        }
        if self.rng.chance(0.35) {
            let n = self.rng.range(1, 3);
            let mut tags: Vec<String> = (0..n)
                .map(|_| {
                    match lang {
                        Lang::Nl => self.rng.pick(TAGS_NL),
                        Lang::En => self.rng.pick(TAGS_EN),
                    }
                    .to_owned()
                })
                .collect();
            if self.info.third_party_comment
                && self.rng.chance(0.2)
                && let Some(h) = &author.handle
            {
                tags.push(h.trim_start_matches('@').to_owned());
            }
            tags.sort();
            tags.dedup();
            o.strs("tags", &tags);
        }
        if extra {
            match self.rng.below(3) {
                0 => {
                    let html = format!(
                        "<div class=\"post\" data-id=\"{native}\"><p>{}</p><span class=\"meta\">{}</span></div>",
                        text.replace('\n', "<br>"),
                        author.name
                    );
                    o.str("raw_html", &html);
                }
                1 => {
                    let mut d = o.obj("device");
                    d.str("os", if self.rng.chance(0.5) { "iOS" } else { "Android" });
                    d.str(
                        "app_version",
                        &format!(
                            "{}.{}.{}",
                            self.rng.range(1, 30),
                            self.rng.below(20),
                            self.rng.below(10)
                        ),
                    );
                    d.str("ip", &format!("203.0.113.{}", self.rng.range(1, 254)));
                    d.close();
                }
                _ => {
                    let mut c = o.obj("crawler");
                    c.str("node", &format!("crawl-{:02}", self.rng.range(1, 12)));
                    c.u64("run", self.rng.range(10_000, 99_999));
                    c.f64("lang_confidence", (self.rng.range(500, 999) as f64) / 1000.0);
                    c.close();
                }
            }
        }
        o.close();
    }
}

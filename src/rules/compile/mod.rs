//! `compile()`: raw rule files in, an immutable [`RuleSet`] out, or every
//! problem found, each with file, line, rule and key.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use regex::RegexSet;
use toml::Spanned;

use crate::detect::{Cues, Detectors, Kind, KindSet, NameLists, Words};
use crate::model::field::{FieldId, FieldSet, FieldType};

mod action;
mod cond;

use super::compiled::{Action, BUILTIN_RULES, Cond, Matchers, MaxAge, Rule, RuleSet, Scalar};
use super::duration::parse_span;
use super::error::{Problem, Reporter, RulesError};
use super::lists::List;
use super::raw::{OneOrMany, RawAction, RawCond, RawFile, RawRule};

/// A rule file's name (for messages) and text.
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Reads a file a rule file refers to (a list, a dictionary), by the path
/// written in the rule file.
pub type ReadFile<'r> = dyn FnMut(&Path) -> io::Result<String> + 'r;

const DEFAULT_PRECISION: f64 = 0.1;

/// Compiles a rule set from its files (in the order given).
pub fn compile(files: &[SourceFile], read: &mut ReadFile<'_>) -> Result<RuleSet, RulesError> {
    let mut problems = Vec::new();
    let mut hasher = blake3::Hasher::new();
    let mut parsed = Vec::new();
    for file in files {
        hash_file(&mut hasher, &file.path, &file.text);
        let mut rep = Reporter::new(&file.path, &file.text);
        match toml::from_str::<RawFile>(&file.text) {
            Ok(raw) => parsed.push((file, raw)),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                rep.at(span, "", e.message().trim().to_owned());
            }
        }
        problems.append(&mut rep.problems);
    }

    let mut c = Compiler::default();
    // Sections first (lists must be known before rules refer to them), then rules.
    for (file, raw) in &mut parsed {
        let mut rep = Reporter::new(&file.path, &file.text);
        c.sections(raw, &mut rep, read, &mut hasher);
        problems.append(&mut rep.problems);
    }
    for (file, raw) in &parsed {
        let mut rep = Reporter::new(&file.path, &file.text);
        for rule in &raw.rules {
            c.rule(rule, &mut rep);
        }
        problems.append(&mut rep.problems);
    }
    // A file that did not parse may hold the allow-list: say nothing then.
    if c.allow_from.is_none() && parsed.len() == files.len() {
        problems.push(Problem {
            file: files
                .first()
                .map(|f| f.path.clone())
                .unwrap_or_else(|| PathBuf::from("rules")),
            line: None,
            rule: None,
            key: Some("allow".into()),
            message: "no [allow] section: the rule set must list the fields that may pass (P3)".into(),
        });
    }

    let mut matchers = Matchers::default();
    for (field, patterns) in std::mem::take(&mut c.patterns) {
        match RegexSet::new(&patterns) {
            Ok(set) => matchers.sets.push((field, set)),
            Err(e) => problems.push(Problem {
                file: PathBuf::from("rules"),
                line: None,
                rule: None,
                key: Some(format!("matches on {field}")),
                message: format!("the patterns together are too large: {e}"),
            }),
        }
    }
    let detectors = match Detectors::new(&Kind::ALL, &c.terms, &c.cues, &c.names) {
        Ok(d) => Some(d),
        Err(e) => {
            problems.push(Problem {
                file: PathBuf::from("rules"),
                line: None,
                rule: None,
                key: Some("dictionary".into()),
                message: e.to_string(),
            });
            None
        }
    };
    // A placeholder the detectors would find again could never settle: every
    // record it is written into would go to the dead-letter path.
    if let Some(d) = &detectors {
        let mut hits = Vec::new();
        for kind in Kind::ALL {
            let text = &c.placeholders[kind as usize];
            if d.find(text, KindSet::all(), &[], &mut hits).is_err() || !hits.is_empty() {
                problems.push(Problem {
                    file: c.placeholders_from.clone().unwrap_or_else(|| PathBuf::from("rules")),
                    line: None,
                    rule: None,
                    key: Some(format!("placeholders.{kind}")),
                    message: format!("the placeholder {text:?} would itself be detected; choose one without digits, `@` or names"),
                });
            }
        }
    }
    match detectors {
        Some(detectors) if problems.is_empty() => Ok(RuleSet {
            rules: c.rules,
            allow: c.allow,
            inert: Kind::ALL
                .into_iter()
                .filter(|k| detectors.inert_placeholder(&c.placeholders[*k as usize]))
                .collect(),
            placeholders: c.placeholders,
            retention: c.retention,
            lists: c.lists,
            matchers,
            detectors,
            needs_key: c.needs_key,
            hash: hasher.finalize().to_hex().to_string(),
        }),
        _ => Err(RulesError::Invalid(problems)),
    }
}

/// A context word: ASCII letters and digits (and `'`, as in `'t`), with an
/// optional `*` at the end for "every word starting so".
fn cue_word(word: &str) -> Result<(), String> {
    let w = word.strip_suffix('*').unwrap_or(word);
    if w.is_empty() || !w.chars().all(|c| c.is_ascii_alphanumeric() || c == '\'') {
        return Err(format!(
            "`{word}`: a context word is ASCII letters and digits, with an optional `*` at the end"
        ));
    }
    Ok(())
}

fn hash_file(hasher: &mut blake3::Hasher, path: &Path, text: &str) {
    // Length-prefixed so that no two different sets hash alike.
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    hasher.update(&(name.len() as u64).to_le_bytes());
    hasher.update(name.as_bytes());
    hasher.update(&(text.len() as u64).to_le_bytes());
    hasher.update(text.as_bytes());
}

struct Compiler {
    rules: Vec<Rule>,
    allow: FieldSet,
    allow_from: Option<PathBuf>,
    placeholders: [String; Kind::ALL.len()],
    placeholders_from: Option<PathBuf>,
    retention: HashMap<String, jiff::Span>,
    retention_from: Option<PathBuf>,
    lists: Vec<(String, List)>,
    lists_from: Option<PathBuf>,
    terms: Vec<String>,
    dictionary_from: Option<PathBuf>,
    cues: Cues,
    context_from: Option<PathBuf>,
    names: NameLists,
    names_from: Option<PathBuf>,
    /// `matches` patterns per field, in the order of their indices.
    patterns: Vec<(FieldId, Vec<String>)>,
    needs_key: Option<String>,
}

impl Default for Compiler {
    fn default() -> Self {
        Compiler {
            rules: Vec::new(),
            allow: FieldSet::default(),
            allow_from: None,
            placeholders: Kind::ALL.map(|k| k.default_placeholder().to_owned()),
            placeholders_from: None,
            retention: HashMap::new(),
            retention_from: None,
            lists: Vec::new(),
            lists_from: None,
            terms: Vec::new(),
            dictionary_from: None,
            cues: Cues::default(),
            context_from: None,
            names: NameLists::default(),
            names_from: None,
            patterns: Vec::new(),
            needs_key: None,
        }
    }
}

/// Records which file a singleton section came from; a second one is a problem.
fn claim(
    slot: &mut Option<PathBuf>,
    rep: &mut Reporter<'_>,
    span: std::ops::Range<usize>,
    key: &str,
) -> bool {
    if let Some(first) = slot {
        let msg = format!("[{key}] is already defined in {}", first.display());
        rep.at(span, key, msg);
        return false;
    }
    *slot = Some(rep.file().to_path_buf());
    true
}

fn field(rep: &mut Reporter<'_>, path: &Spanned<String>, key: &str) -> Option<FieldId> {
    let found = FieldId::from_path(path.get_ref());
    if found.is_none() {
        rep.at(
            path.span(),
            key,
            format!(
                "unknown field `{}` (the record fields are listed in the README)",
                path.get_ref()
            ),
        );
    }
    found
}

impl Compiler {
    fn sections(
        &mut self,
        raw: &mut RawFile,
        rep: &mut Reporter<'_>,
        read: &mut ReadFile<'_>,
        hasher: &mut blake3::Hasher,
    ) {
        if let Some(allow) = &raw.allow
            && claim(&mut self.allow_from, rep, allow.span(), "allow")
        {
            self.allow(allow, rep);
        }
        if let Some(ph) = &raw.placeholders
            && claim(&mut self.placeholders_from, rep, ph.span(), "placeholders")
        {
            for (kind, text) in ph.get_ref() {
                match Kind::from_name(kind.get_ref()) {
                    Some(k) => self.placeholders[k as usize] = text.clone(),
                    None => rep.at(kind.span(), "placeholders", unknown_detector(kind.get_ref())),
                }
            }
        }
        if let Some(ret) = &raw.retention
            && claim(&mut self.retention_from, rep, ret.span(), "retention")
        {
            for (source, age) in ret.get_ref() {
                match parse_span(age.get_ref()) {
                    Ok(span) => {
                        self.retention.insert(source.clone(), span);
                    }
                    Err(msg) => rep.at(age.span(), &format!("retention.{source}"), msg),
                }
            }
        }
        if let Some(lists) = &raw.lists
            && claim(&mut self.lists_from, rep, lists.span(), "lists")
        {
            for (name, path) in lists.get_ref() {
                let key = format!("lists.{name}");
                let Some(text) = read_ref(read, rep, path, &key) else {
                    continue;
                };
                hash_file(hasher, Path::new(path.get_ref()), &text);
                match List::parse(&text) {
                    Ok(list) => self.lists.push((name.clone(), list)),
                    Err(bad) => {
                        for b in bad.iter().take(20) {
                            rep.at(
                                path.span(),
                                &key,
                                format!("{}:{}: expected `source:id`", path.get_ref(), b.line),
                            );
                        }
                    }
                }
            }
        }
        if let Some(dict) = &raw.dictionary
            && claim(&mut self.dictionary_from, rep, dict.span(), "dictionary")
        {
            let dict = dict.get_ref();
            self.terms.extend(dict.terms.iter().map(|t| t.trim().to_owned()));
            for path in &dict.files {
                let Some(text) = read_ref(read, rep, path, "dictionary.files") else {
                    continue;
                };
                hash_file(hasher, Path::new(path.get_ref()), &text);
                self.terms.extend(
                    text.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .map(str::to_owned),
                );
            }
            self.terms.retain(|t| !t.is_empty());
        }
        if let Some(ctx) = &raw.context
            && claim(&mut self.context_from, rep, ctx.span(), "context")
        {
            self.context(ctx.get_ref(), rep);
        }
        if let Some(names) = &raw.names
            && claim(&mut self.names_from, rep, names.span(), "names")
        {
            self.names(names.get_ref(), rep, read, hasher);
        }
    }

    fn names(
        &mut self,
        raw: &super::raw::RawNames,
        rep: &mut Reporter<'_>,
        read: &mut ReadFile<'_>,
        hasher: &mut blake3::Hasher,
    ) {
        // Reads every list file of `key`: its lines, without blanks and comments.
        let mut lines = |files: &[Spanned<String>], key: &str, rep: &mut Reporter<'_>| -> Vec<String> {
            let mut out = Vec::new();
            for path in files {
                let key = format!("names.{key}");
                let Some(text) = read_ref(read, rep, path, &key) else {
                    continue;
                };
                hash_file(hasher, Path::new(path.get_ref()), &text);
                out.extend(
                    text.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .map(str::to_owned),
                );
            }
            out
        };
        self.names.first_names = lines(&raw.first_names, "first_names", rep);
        self.names.surnames = lines(&raw.surnames, "surnames", rep);
        self.names.not_names = lines(&raw.not_names, "not_names", rep);
        for line in lines(&raw.exceptions, "exceptions", rep) {
            let (word, when) = line.split_once('\t').unwrap_or((line.as_str(), "alone"));
            match when.trim() {
                "alone" => self.names.alone.push(word.trim().to_owned()),
                "always" => self.names.always.push(word.trim().to_owned()),
                other => {
                    let at = raw.exceptions.first().map(|p| p.span()).unwrap_or(0..0);
                    rep.at(
                        at,
                        "names.exceptions",
                        format!(
                            "`{}`: expected `alone` or `always` after the tab, not `{other}`",
                            word.trim()
                        ),
                    );
                }
            }
        }
        for (key, list) in [("greetings", &raw.greetings), ("titles", &raw.titles)] {
            for w in list {
                if let Err(msg) = cue_word(w.get_ref()) {
                    rep.at(w.span(), &format!("names.{key}"), msg);
                }
            }
        }
        self.names.greetings = Words::new(raw.greetings.iter().map(|w| w.get_ref().as_str()));
        self.names.titles = Words::new(raw.titles.iter().map(|w| w.get_ref().as_str()));
        if !raw.first_names.is_empty() && self.names.first_names.is_empty() {
            let at = raw.first_names.first().map(|p| p.span()).unwrap_or(0..0);
            rep.at(
                at,
                "names.first_names",
                "the first-name lists hold no names".to_owned(),
            );
        }
    }

    fn context(&mut self, ctx: &super::raw::RawContext, rep: &mut Reporter<'_>) {
        fn words(list: &[Spanned<String>], key: &str, rep: &mut Reporter<'_>) -> Words {
            for w in list {
                if let Err(msg) = cue_word(w.get_ref()) {
                    rep.at(w.span(), &format!("context.{key}"), msg);
                }
            }
            Words::new(list.iter().map(|w| w.get_ref().as_str()))
        }
        self.cues.reference = words(&ctx.reference, "reference", rep);
        self.cues.joiners = words(&ctx.joiners, "joiners", rep);
        self.cues.conjunctions = words(&ctx.conjunctions, "conjunctions", rep);
        self.cues.mail_domains = words(&ctx.mail_domains, "mail_domains", rep);
        self.cues.version = words(&ctx.version, "version", rep);
        self.cues.email_at = words(&ctx.email_at, "email_at", rep);
        self.cues.email_dot = words(&ctx.email_dot, "email_dot", rep);
        self.cues.not_postcode = words(&ctx.not_postcode, "not_postcode", rep);
        self.cues.house_number = words(&ctx.house_number, "house_number", rep);
        self.cues.particles = words(&ctx.particles, "particles", rep);
        for (kind, list) in &ctx.personal {
            let key = format!("personal.{}", kind.get_ref());
            let w = words(list, &key, rep);
            match Kind::from_name(kind.get_ref()) {
                Some(k) if !matches!(k, Kind::Name | Kind::Mention) => self.cues.personal.push((k, w)),
                _ => rep.at(
                    kind.span(),
                    "context.personal",
                    format!(
                        "`{}` is not a kind of number a label can name (phone, iban, bsn, card, postcode, email, ip)",
                        kind.get_ref()
                    ),
                ),
            }
        }
    }

    fn allow(&mut self, allow: &Spanned<super::raw::RawAllow>, rep: &mut Reporter<'_>) {
        for path in &allow.get_ref().fields {
            let Some(f) = field(rep, path, "allow.fields") else {
                continue;
            };
            self.allow.insert(f);
            // A listed child keeps its object; a listed object keeps all of it.
            if let Some(parent) = f.parent() {
                self.allow.insert(parent);
            }
            for child in f.children() {
                self.allow.insert(child);
            }
        }
        if !self.allow.contains(FieldId::Id) {
            rep.at(
                allow.span(),
                "allow.fields",
                "`id` must be allowed: it is the output key",
            );
        }
    }

    fn rule(&mut self, raw: &RawRule, rep: &mut Reporter<'_>) {
        let name = raw.name.get_ref().trim();
        rep.in_rule(Some(name));
        if name.is_empty() {
            rep.at(raw.name.span(), "name", "a rule needs a name");
        } else if BUILTIN_RULES.contains(&name) {
            rep.at(raw.name.span(), "name", "this name is taken by a built-in step");
        } else if self.rules.iter().any(|r| r.name == name) {
            rep.at(raw.name.span(), "name", "two rules have this name");
        }
        if raw.reason.get_ref().trim().is_empty() {
            rep.at(
                raw.reason.span(),
                "reason",
                "a rule needs a one-line reason citing its obligation",
            );
        }
        let before = rep.problems.len();
        let when = raw.when.as_ref().and_then(|w| self.cond(w, "when", rep));
        let mut actions = Vec::new();
        if raw.actions.get_ref().is_empty() {
            rep.at(raw.actions.span(), "actions", "a rule needs at least one action");
        }
        for (i, a) in raw.actions.get_ref().iter().enumerate() {
            if let Some(action) = self.action(a, &format!("actions[{i}]"), rep) {
                if matches!(action, Action::Pseudonymise(_)) && self.needs_key.is_none() {
                    self.needs_key = Some(name.to_owned());
                }
                actions.push(action);
            }
        }
        // Values this rule sets in a `terms_from` field are not the author's.
        let written: Vec<(FieldId, String)> = actions
            .iter()
            .filter_map(|a| match a {
                Action::Set(f, Scalar::Str(v)) => Some((*f, v.clone())),
                _ => None,
            })
            .collect();
        for action in &mut actions {
            if let Action::Redact {
                terms_from,
                not_terms,
                ..
            } = action
            {
                not_terms.extend(
                    written
                        .iter()
                        .filter(|(f, _)| terms_from.contains(f))
                        .map(|(_, v)| v.clone()),
                );
            }
        }
        if rep.problems.len() == before {
            self.rules.push(Rule {
                name: name.to_owned(),
                reason: raw.reason.get_ref().trim().to_owned(),
                when,
                actions,
            });
        }
        rep.in_rule(None);
    }
}

/// `id` is the output key and `op` the record's meaning: rules change
/// neither (a tombstone action is how a record is removed).
fn check_writable(f: FieldId, rep: &mut Reporter<'_>, span: std::ops::Range<usize>, key: &str) -> Option<()> {
    if matches!(f, FieldId::Id | FieldId::Op) {
        rep.at(
            span,
            key,
            format!("`{f}` cannot be changed by a rule (use `tombstone` to remove a record)"),
        );
        return None;
    }
    Some(())
}

fn read_ref(
    read: &mut ReadFile<'_>,
    rep: &mut Reporter<'_>,
    path: &Spanned<String>,
    key: &str,
) -> Option<String> {
    match read(Path::new(path.get_ref())) {
        Ok(text) => Some(text),
        Err(e) => {
            rep.at(path.span(), key, format!("cannot read `{}`: {e}", path.get_ref()));
            None
        }
    }
}

fn unknown_detector(name: &str) -> String {
    let known: Vec<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    format!("unknown detector `{name}` (known: {})", known.join(", "))
}

/// A TOML value (or list of values) as scalars of the field's type.
fn scalars(f: FieldId, v: &toml::Value) -> Result<Vec<Scalar>, String> {
    // `tags` compares item by item, as text.
    let ty = if f == FieldId::Tags {
        FieldType::Str
    } else {
        f.ty()
    };
    let one = |v: &toml::Value| -> Result<Scalar, String> {
        match (ty, v) {
            (FieldType::Str, toml::Value::String(s)) => Ok(Scalar::Str(s.clone())),
            (FieldType::U64, toml::Value::Integer(i)) if *i >= 0 => Ok(Scalar::U64(*i as u64)),
            (FieldType::F64, toml::Value::Integer(i)) => Ok(Scalar::F64(*i as f64)),
            (FieldType::F64, toml::Value::Float(x)) => Ok(Scalar::F64(*x)),
            (FieldType::Bool, toml::Value::Boolean(b)) => Ok(Scalar::Bool(*b)),
            (FieldType::Compound, _) => Err(format!("`{f}` is an object or list; test a field inside it")),
            (ty, _) => Err(format!("`{f}` holds {}, not {}", type_name(ty), v.type_str())),
        }
    };
    match v {
        toml::Value::Array(items) => items.iter().map(one).collect(),
        v => one(v).map(|s| vec![s]),
    }
}

fn type_name(t: FieldType) -> &'static str {
    match t {
        FieldType::Str => "text",
        FieldType::U64 => "a whole number",
        FieldType::F64 => "a number",
        FieldType::Bool => "true or false",
        FieldType::Compound => "an object or list",
    }
}

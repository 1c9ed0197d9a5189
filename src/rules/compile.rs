//! `compile()`: raw rule files in, an immutable [`RuleSet`] out, or every
//! problem found, each with file, line, rule and key.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use regex::RegexSet;
use toml::Spanned;

use crate::detect::{Detectors, Kind, KindSet};
use crate::model::field::{FieldId, FieldSet, FieldType};

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
    let detectors = match Detectors::new(&Kind::ALL, &c.terms) {
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
    match detectors {
        Some(detectors) if problems.is_empty() => Ok(RuleSet {
            rules: c.rules,
            allow: c.allow,
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

    fn cond(&mut self, raw: &Spanned<RawCond>, key: &str, rep: &mut Reporter<'_>) -> Option<Cond> {
        let span = raw.span();
        let c = raw.get_ref();
        let mut parts = Vec::new();
        let mut ok = true;
        for (shortcut, values, f) in [
            ("source", &c.source, FieldId::Source),
            ("kind", &c.kind, FieldId::Kind),
            ("visibility", &c.visibility, FieldId::Visibility),
        ] {
            if let Some(v) = values {
                let vals = v
                    .get_ref()
                    .clone()
                    .into_vec()
                    .into_iter()
                    .map(Scalar::Str)
                    .collect();
                parts.push(Cond::Equals(f, vals));
                let _ = shortcut;
            }
        }
        let has_predicate = c.equals.is_some()
            || c.exists.is_some()
            || c.matches.is_some()
            || c.in_list.is_some()
            || c.older_than.is_some();
        match (&c.field, has_predicate) {
            (Some(path), true) => {
                let fkey = format!("{key}.field");
                match field(rep, path, &fkey) {
                    Some(f) => ok &= self.predicates(f, c, key, rep, &mut parts),
                    None => ok = false,
                }
            }
            (Some(path), false) => {
                rep.at(
                    path.span(),
                    &format!("{key}.field"),
                    "`field` needs a test: equals, exists, matches, in_list or older_than",
                );
                ok = false;
            }
            (None, true) => {
                rep.at(
                    span.clone(),
                    key,
                    "equals/exists/matches/in_list/older_than need a `field`",
                );
                ok = false;
            }
            (None, false) => {}
        }
        for (list, is_all) in [(&c.all, true), (&c.any, false)] {
            if let Some(list) = list {
                let sub_key = format!("{key}.{}", if is_all { "all" } else { "any" });
                let subs: Vec<_> = list.iter().filter_map(|s| self.cond(s, &sub_key, rep)).collect();
                ok &= subs.len() == list.len();
                parts.push(if is_all { Cond::All(subs) } else { Cond::Any(subs) });
            }
        }
        if let Some(not) = &c.not {
            match self.cond(not, &format!("{key}.not"), rep) {
                Some(inner) => parts.push(Cond::Not(Box::new(inner))),
                None => ok = false,
            }
        }
        if ok && parts.is_empty() {
            rep.at(
                span,
                key,
                "an empty condition; leave `when` out to apply a rule to every record",
            );
            return None;
        }
        if !ok {
            return None;
        }
        Some(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Cond::All(parts)
        })
    }

    /// The predicates on `field` in one condition table.
    fn predicates(
        &mut self,
        f: FieldId,
        c: &RawCond,
        key: &str,
        rep: &mut Reporter<'_>,
        parts: &mut Vec<Cond>,
    ) -> bool {
        let mut ok = true;
        if let Some(v) = &c.equals {
            match scalars(f, v.get_ref()) {
                Ok(vals) => parts.push(Cond::Equals(f, vals)),
                Err(msg) => {
                    rep.at(v.span(), &format!("{key}.equals"), msg);
                    ok = false;
                }
            }
        }
        if let Some(e) = &c.exists {
            parts.push(Cond::Exists(f, *e.get_ref()));
        }
        if let Some(re) = &c.matches {
            let k = format!("{key}.matches");
            if f.ty() != FieldType::Str {
                rep.at(re.span(), &k, format!("`{f}` is not a text field"));
                ok = false;
            } else if let Err(e) = regex::Regex::new(re.get_ref()) {
                rep.at(re.span(), &k, format!("bad regex: {e}"));
                ok = false;
            } else {
                let set = match self.patterns.iter().position(|(pf, _)| *pf == f) {
                    Some(i) => i,
                    None => {
                        self.patterns.push((f, Vec::new()));
                        self.patterns.len() - 1
                    }
                };
                let pats = &mut self.patterns[set].1;
                pats.push(re.get_ref().clone());
                parts.push(Cond::Matches {
                    field: f,
                    set,
                    pattern: pats.len() - 1,
                });
            }
        }
        if let Some(name) = &c.in_list {
            let k = format!("{key}.in_list");
            match self.lists.iter().position(|(n, _)| n == name.get_ref()) {
                Some(_) if f.ty() != FieldType::Str => {
                    rep.at(name.span(), &k, format!("`{f}` is not a text field"));
                    ok = false;
                }
                Some(id) => parts.push(Cond::InList(f, id)),
                None => {
                    rep.at(
                        name.span(),
                        &k,
                        format!("no list `{}` in [lists]", name.get_ref()),
                    );
                    ok = false;
                }
            }
        }
        if let Some(age) = &c.older_than {
            let k = format!("{key}.older_than");
            if f.ty() != FieldType::Str {
                rep.at(age.span(), &k, format!("`{f}` is not a timestamp field"));
                ok = false;
            } else if age.get_ref() == "retention" {
                parts.push(Cond::OlderThan(f, MaxAge::Retention));
            } else {
                match parse_span(age.get_ref()) {
                    Ok(span) => parts.push(Cond::OlderThan(f, MaxAge::Fixed(span))),
                    Err(msg) => {
                        rep.at(age.span(), &k, msg);
                        ok = false;
                    }
                }
            }
        }
        ok
    }

    fn action(&mut self, raw: &Spanned<RawAction>, key: &str, rep: &mut Reporter<'_>) -> Option<Action> {
        let a = raw.get_ref();
        let verbs = [
            a.set.is_some(),
            a.clear.is_some(),
            a.remove.is_some(),
            a.pseudonymise.is_some(),
            a.redact.is_some(),
            a.coarsen.is_some(),
            a.tombstone.is_some(),
        ];
        if verbs.iter().filter(|v| **v).count() != 1 {
            rep.at(
                raw.span(),
                key,
                "an action has exactly one of: set, clear, remove, pseudonymise, redact, coarsen, tombstone",
            );
            return None;
        }
        let misplaced = [
            ("value", a.value.as_ref().map(|v| v.span()), a.set.is_some()),
            (
                "detectors",
                a.detectors.as_ref().map(|v| v.span()),
                a.redact.is_some(),
            ),
            (
                "terms_from",
                a.terms_from.as_ref().map(|v| v.span()),
                a.redact.is_some(),
            ),
            (
                "precision",
                a.precision.as_ref().map(|v| v.span()),
                a.coarsen.is_some(),
            ),
        ];
        let mut ok = true;
        for (opt, span, allowed) in misplaced {
            if let (Some(span), false) = (span, allowed) {
                rep.at(
                    span,
                    &format!("{key}.{opt}"),
                    format!("`{opt}` does not go with this action"),
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }

        if let Some(target) = &a.set {
            let f = field(rep, target, &format!("{key}.set"))?;
            check_writable(f, rep, target.span(), &format!("{key}.set"))?;
            let Some(value) = &a.value else {
                rep.at(raw.span(), &format!("{key}.value"), "`set` needs a `value`");
                return None;
            };
            return match scalars(f, value.get_ref()) {
                Ok(mut v) if v.len() == 1 => Some(Action::Set(f, v.remove(0))),
                Ok(_) => {
                    rep.at(
                        value.span(),
                        &format!("{key}.value"),
                        "`set` takes one value, not a list",
                    );
                    None
                }
                Err(msg) => {
                    rep.at(value.span(), &format!("{key}.value"), msg);
                    None
                }
            };
        }
        if let Some(t) = &a.tombstone {
            if !t.get_ref() {
                rep.at(
                    t.span(),
                    &format!("{key}.tombstone"),
                    "write `tombstone = true` or leave the action out",
                );
                return None;
            }
            return Some(Action::Tombstone);
        }
        let (verb, list, accepts): (&str, &Spanned<OneOrMany>, fn(FieldId) -> bool) =
            if let Some(l) = &a.clear {
                ("clear", l, |_| true)
            } else if let Some(l) = &a.remove {
                ("remove", l, |_| true)
            } else if let Some(l) = &a.pseudonymise {
                ("pseudonymise", l, |f| f.ty() == FieldType::Str)
            } else if let Some(l) = &a.redact {
                ("redact", l, |f| f.ty() == FieldType::Str || f == FieldId::Tags)
            } else if let Some(l) = &a.coarsen {
                ("coarsen", l, |f| f.ty() == FieldType::F64 || f == FieldId::Geo)
            } else {
                return None;
            };
        let vkey = format!("{key}.{verb}");
        let fields = self.fields(list, &vkey, accepts, verb, rep)?;
        match verb {
            "clear" => Some(Action::Clear(fields)),
            "remove" => Some(Action::Remove(fields)),
            "pseudonymise" => Some(Action::Pseudonymise(fields)),
            "redact" => {
                let mut kinds = KindSet::default();
                match &a.detectors {
                    Some(names) => {
                        for n in names.get_ref() {
                            match Kind::from_name(n) {
                                Some(k) => kinds.insert(k),
                                None => {
                                    rep.at(names.span(), &format!("{key}.detectors"), unknown_detector(n));
                                    return None;
                                }
                            }
                        }
                    }
                    None => kinds = KindSet::all(),
                }
                let mut terms_from = Vec::new();
                if let Some(tf) = &a.terms_from {
                    let tkey = format!("{key}.terms_from");
                    for p in tf.get_ref() {
                        match FieldId::from_path(p) {
                            Some(f) if f.ty() == FieldType::Str => terms_from.push(f),
                            _ => {
                                rep.at(
                                    tf.span(),
                                    &tkey,
                                    format!("`{p}` is not a text field of the record"),
                                );
                                return None;
                            }
                        }
                    }
                    kinds.insert(Kind::Name);
                }
                Some(Action::Redact {
                    fields,
                    kinds,
                    terms_from,
                    not_terms: Vec::new(),
                })
            }
            "coarsen" => {
                let precision = a
                    .precision
                    .as_ref()
                    .map(|p| *p.get_ref())
                    .unwrap_or(DEFAULT_PRECISION);
                if !(precision > 0.0 && precision <= 10.0) {
                    let span = a.precision.as_ref().map(|p| p.span()).unwrap_or(raw.span());
                    rep.at(
                        span,
                        &format!("{key}.precision"),
                        "precision is in degrees, above 0 and at most 10",
                    );
                    return None;
                }
                let fields = fields
                    .into_iter()
                    .flat_map(|f| {
                        if f == FieldId::Geo {
                            vec![FieldId::GeoLat, FieldId::GeoLon]
                        } else {
                            vec![f]
                        }
                    })
                    .collect();
                Some(Action::Coarsen { fields, precision })
            }
            _ => None,
        }
    }

    /// The fields an action names, each checked to be known, writable and
    /// of a type the verb accepts.
    fn fields(
        &self,
        list: &Spanned<OneOrMany>,
        key: &str,
        accepts: fn(FieldId) -> bool,
        verb: &str,
        rep: &mut Reporter<'_>,
    ) -> Option<Vec<FieldId>> {
        let mut out = Vec::new();
        for path in list.get_ref().clone().into_vec() {
            let Some(f) = FieldId::from_path(&path) else {
                rep.at(
                    list.span(),
                    key,
                    format!("unknown field `{path}` (the record fields are listed in the README)"),
                );
                return None;
            };
            check_writable(f, rep, list.span(), key)?;
            if !accepts(f) {
                rep.at(list.span(), key, format!("cannot {verb} `{f}`"));
                return None;
            }
            out.push(f);
        }
        if out.is_empty() {
            rep.at(list.span(), key, "no fields given");
            return None;
        }
        Some(out)
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
    let one = |v: &toml::Value| -> Result<Scalar, String> {
        match (f.ty(), v) {
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

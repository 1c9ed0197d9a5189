//! Compiling the `actions` tables of rules.

use super::*;

impl Compiler {
    pub(super) fn action(
        &mut self,
        raw: &Spanned<RawAction>,
        key: &str,
        rep: &mut Reporter<'_>,
    ) -> Option<Action> {
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
                ("redact", l, FieldId::holds_text)
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
                    None => kinds = KindSet::content(),
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

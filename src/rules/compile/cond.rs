//! Compiling the `when` condition tables of rules.

use super::*;

impl Compiler {
    pub(super) fn cond(&mut self, raw: &Spanned<RawCond>, key: &str, rep: &mut Reporter<'_>) -> Option<Cond> {
        let span = raw.span();
        let c = raw.get_ref();
        let mut parts = Vec::new();
        let mut ok = true;
        // `source = [...]` is short for `field = "source", equals = [...]`.
        for (values, f) in [
            (&c.source, FieldId::Source),
            (&c.kind, FieldId::Kind),
            (&c.visibility, FieldId::Visibility),
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
            if !f.holds_text() {
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
                Some(_) if !f.holds_text() => {
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
}

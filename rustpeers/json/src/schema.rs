//! The typed structures every variant decodes into (workloads/README.md, "json"), generic
//! over the string type: `String` for the owned variants, `CowStr` for `serde-borrow`, which
//! borrows every string without escapes from the input and owns only the unescaped ones.
//! The checksum is written once, over either.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// What a string field may be.
pub trait Text: AsRef<str> + Eq + Hash {}
impl Text for String {}
impl Text for CowStr<'_> {}

/// A string borrowed from the input where it has no escapes, owned where it had to be
/// unescaped (serde's own `Cow<str>` always owns unless the field says `#[serde(borrow)]`,
/// which does not reach into `Vec`s and map keys).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CowStr<'a>(pub Cow<'a, str>);

impl AsRef<str> for CowStr<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for CowStr<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for CowStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

#[derive(Serialize, Deserialize)]
pub struct Social<S: Text> {
    pub posts: Vec<Post<S>>,
}

#[derive(Serialize, Deserialize)]
pub struct Post<S: Text> {
    pub id: u64,
    pub user: User<S>,
    pub text: S,
    pub created_at: S,
    pub score: i64,
    pub sensitive: bool,
    pub reply_to: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<S>,
    pub tags: Vec<S>,
}

#[derive(Serialize, Deserialize)]
pub struct User<S: Text> {
    pub id: u64,
    pub name: S,
    pub screen_name: S,
    pub verified: bool,
    pub followers: i64,
    pub bio: Option<S>,
}

#[derive(Serialize, Deserialize)]
pub struct Catalog<S: Text> {
    pub products: HashMap<S, Product<S>>,
    pub categories: Vec<Category<S>>,
}

#[derive(Serialize, Deserialize)]
pub struct Product<S: Text> {
    pub name: S,
    pub price: f64,
    pub stock: i64,
    pub available: bool,
    pub tags: Vec<S>,
    pub variants: Vec<Variant<S>>,
    pub attributes: HashMap<S, S>,
}

#[derive(Serialize, Deserialize)]
pub struct Variant<S: Text> {
    pub sku: S,
    pub size: S,
    pub weight: f64,
}

#[derive(Serialize, Deserialize)]
pub struct Category<S: Text> {
    pub id: u64,
    pub name: S,
    pub product_ids: Vec<u64>,
}

#[derive(Serialize, Deserialize)]
pub struct Geo<S: Text> {
    #[serde(rename = "type")]
    pub kind: S,
    pub features: Vec<Feature<S>>,
}

#[derive(Serialize, Deserialize)]
pub struct Feature<S: Text> {
    #[serde(rename = "type")]
    pub kind: S,
    pub properties: Properties<S>,
    pub geometry: Geometry<S>,
}

#[derive(Serialize, Deserialize)]
pub struct Properties<S: Text> {
    pub name: S,
    pub id: u64,
}

#[derive(Serialize, Deserialize)]
pub struct Geometry<S: Text> {
    #[serde(rename = "type")]
    pub kind: S,
    pub coordinates: Vec<Vec<Vec<Vec<f64>>>>,
}

/// The checksum's accumulator (workloads/README.md, "json", checksum).
struct Sum {
    objects: u64,
    elements: u64,
    ints: u64,
    trues: u64,
    nulls: u64,
    strings: u64,
    floats: f64,
}

impl Sum {
    fn new() -> Sum {
        Sum {
            objects: 0,
            elements: 0,
            ints: 0,
            trues: 0,
            nulls: 0,
            strings: 0xcbf2_9ce4_8422_2325,
            floats: 0.0,
        }
    }

    fn str(&mut self, s: &impl AsRef<str>) {
        let mut h = self.strings;
        for &c in s.as_ref().as_bytes() {
            h ^= u64::from(c);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        h ^= 0xff;
        self.strings = h.wrapping_mul(0x100_0000_01b3);
    }

    fn int(&mut self, v: u64) {
        self.ints = self.ints.wrapping_add(v);
    }

    fn boolean(&mut self, v: bool) {
        self.trues += u64::from(v);
    }

    fn finish(&self) -> String {
        format!(
            "{} {} {} {} {} {:016x} {}",
            self.objects,
            self.elements,
            self.ints,
            self.trues,
            self.nulls,
            self.strings,
            fmt_g17(self.floats)
        )
    }
}

/// C's `%.17g` (as Go's strconv 'g' with precision 17 prints it): 17 significant digits,
/// trailing zeros removed, exponent form when the exponent is < -4 or >= 17.
pub fn fmt_g17(x: f64) -> String {
    if !x.is_finite() {
        return "nan".to_owned();
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    let e_form = format!("{x:.16e}"); // d.dddddddddddddddde<exp>
    let (mant, exp) = e_form.split_once('e').unwrap_or((&e_form, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mant) = match mant.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mant),
    };
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    if !(-4..17).contains(&exp) {
        let mut m = digits[..1].to_owned();
        let frac = digits[1..].trim_end_matches('0');
        if !frac.is_empty() {
            m.push('.');
            m.push_str(frac);
        }
        let es = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{es}{:02}", exp.abs());
    }
    let s = if exp >= 0 {
        let point = exp as usize + 1;
        format!("{}.{}", &digits[..point], &digits[point..])
    } else {
        format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
    };
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{sign}{s}")
}

/// Keys of a map in ascending byte order.
fn sorted<S: Text, V>(m: &HashMap<S, V>) -> Vec<(&S, &V)> {
    let mut v: Vec<_> = m.iter().collect();
    v.sort_unstable_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
    v
}

/// A decoded document's checksum.
pub trait Checksum {
    fn checksum(&self) -> String;
}

impl<S: Text> Checksum for Social<S> {
    fn checksum(&self) -> String {
        let mut s = Sum::new();
        s.objects += 1;
        for p in &self.posts {
            s.elements += 1;
            s.objects += 2; // post, user
            s.int(p.id);
            let u = &p.user;
            s.int(u.id);
            s.str(&u.name);
            s.str(&u.screen_name);
            s.boolean(u.verified);
            s.int(u.followers as u64);
            match &u.bio {
                Some(b) => s.str(b),
                None => s.nulls += 1,
            }
            s.str(&p.text);
            s.str(&p.created_at);
            s.int(p.score as u64);
            s.boolean(p.sensitive);
            match p.reply_to {
                Some(r) => s.int(r),
                None => s.nulls += 1,
            }
            match &p.lang {
                Some(l) => s.str(l),
                None => s.nulls += 1,
            }
            for t in &p.tags {
                s.elements += 1;
                s.str(t);
            }
        }
        s.finish()
    }
}

impl<S: Text> Checksum for Catalog<S> {
    fn checksum(&self) -> String {
        let mut s = Sum::new();
        s.objects += 2; // the document and its products map
        for (k, p) in sorted(&self.products) {
            s.elements += 1;
            s.str(k);
            s.objects += 1;
            s.str(&p.name);
            s.floats += p.price;
            s.int(p.stock as u64);
            s.boolean(p.available);
            for t in &p.tags {
                s.elements += 1;
                s.str(t);
            }
            for v in &p.variants {
                s.elements += 1;
                s.objects += 1;
                s.str(&v.sku);
                s.str(&v.size);
                s.floats += v.weight;
            }
            s.objects += 1;
            for (ak, av) in sorted(&p.attributes) {
                s.elements += 1;
                s.str(ak);
                s.str(av);
            }
        }
        for c in &self.categories {
            s.elements += 1;
            s.objects += 1;
            s.int(c.id);
            s.str(&c.name);
            for &id in &c.product_ids {
                s.elements += 1;
                s.int(id);
            }
        }
        s.finish()
    }
}

impl<S: Text> Checksum for Geo<S> {
    fn checksum(&self) -> String {
        let mut s = Sum::new();
        s.objects += 1;
        s.str(&self.kind);
        for f in &self.features {
            s.elements += 1;
            s.objects += 3; // feature, properties, geometry
            s.str(&f.kind);
            s.str(&f.properties.name);
            s.int(f.properties.id);
            s.str(&f.geometry.kind);
            for poly in &f.geometry.coordinates {
                s.elements += 1;
                for ring in poly {
                    s.elements += 1;
                    for pt in ring {
                        s.elements += 1;
                        for &c in pt {
                            s.elements += 1;
                            s.floats += c;
                        }
                    }
                }
            }
        }
        s.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::fmt_g17;

    #[test]
    fn g17_matches_c() {
        // Expected strings are C's printf("%.17g").
        for (x, want) in [
            (0.1, "0.10000000000000001"),
            (2975138.374, "2975138.3739999998"),
            (-393_803.174_928_900_7, "-393803.17492890073"),
            (1.0, "1"),
            (1e17, "1e+17"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (-2.5, "-2.5"),
            (123456789012345680.0, "1.2345678901234568e+17"),
        ] {
            assert_eq!(fmt_g17(x), want, "{x:e}");
        }
    }
}

//! Query parameters and form fields from `serde::Serialize` values: scalars become one
//! `key=value` pair, `None` and empty lists none, lists one pair per item (`?a=1&a=2`, the
//! OpenAPI default of form style with explode), structs one pair per field.

use std::fmt::{self, Display};

use serde::ser::{self, Impossible, Serialize};

/// The pairs, unencoded: the URL or form encoder escapes them.
pub(crate) type Pairs = Vec<(String, String)>;

/// Appends `value` under `key`. `Err` says why it is not a query value.
pub(crate) fn named<T: Serialize + ?Sized>(
    key: &str,
    value: &T,
    out: &mut Pairs,
) -> Result<(), String> {
    value
        .serialize(Value {
            key,
            out,
            in_list: false,
        })
        .map_err(|error| error.0)
}

/// Appends one pair per field of a struct (or entry of a map); each field follows the
/// rules of [`named`].
pub(crate) fn flatten<T: Serialize + ?Sized>(value: &T, out: &mut Pairs) -> Result<(), String> {
    value.serialize(Fields { out }).map_err(|error| error.0)
}

#[derive(Debug)]
pub(crate) struct QueryError(String);

impl Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

impl ser::Error for QueryError {
    fn custom<T: Display>(message: T) -> Self {
        QueryError(message.to_string())
    }
}

fn not_scalar(what: &str) -> QueryError {
    QueryError(format!(
        "{what} has no single value: expected a string, number, bool, unit enum variant, or an optional or list of those"
    ))
}

/// Serializes one parameter's value.
struct Value<'a> {
    key: &'a str,
    out: &'a mut Pairs,
    /// Lists do not nest: `[[1, 2]]` has no query form.
    in_list: bool,
}

impl Value<'_> {
    fn push(self, value: String) -> Result<(), QueryError> {
        self.out.push((self.key.to_owned(), value));
        Ok(())
    }
}

macro_rules! scalar {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, value: $ty) -> Result<(), QueryError> {
            self.push(value.to_string())
        })*
    };
}

impl<'a> ser::Serializer for Value<'a> {
    type Ok = ();
    type Error = QueryError;
    type SerializeSeq = List<'a>;
    type SerializeTuple = List<'a>;
    type SerializeTupleStruct = List<'a>;
    type SerializeTupleVariant = Impossible<(), QueryError>;
    type SerializeMap = Impossible<(), QueryError>;
    type SerializeStruct = Impossible<(), QueryError>;
    type SerializeStructVariant = Impossible<(), QueryError>;

    scalar!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str
    );

    fn serialize_bytes(self, _: &[u8]) -> Result<(), QueryError> {
        Err(not_scalar("a byte array"))
    }

    fn serialize_none(self) -> Result<(), QueryError> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), QueryError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), QueryError> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), QueryError> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), QueryError> {
        self.push(variant.to_owned())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: &T,
    ) -> Result<(), QueryError> {
        Err(not_scalar(&format!(
            "the enum variant `{variant}` with data"
        )))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<List<'a>, QueryError> {
        if self.in_list {
            return Err(not_scalar("a list of lists"));
        }
        Ok(List {
            key: self.key,
            out: self.out,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<List<'a>, QueryError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<List<'a>, QueryError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, QueryError> {
        Err(not_scalar(&format!(
            "the enum variant `{variant}` with data"
        )))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, QueryError> {
        Err(not_scalar("a map"))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, QueryError> {
        Err(not_scalar(&format!(
            "the struct `{name}` (for its fields as query parameters, use `#[query(flatten)]`)"
        )))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, QueryError> {
        Err(not_scalar(&format!(
            "the enum variant `{variant}` with data"
        )))
    }
}

pub(crate) struct List<'a> {
    key: &'a str,
    out: &'a mut Pairs,
}

impl List<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        value.serialize(Value {
            key: self.key,
            out: self.out,
            in_list: true,
        })
    }
}

impl ser::SerializeSeq for List<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.item(value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

impl ser::SerializeTuple for List<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.item(value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for List<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.item(value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

/// Serializes a struct or map into one parameter per field.
struct Fields<'a> {
    out: &'a mut Pairs,
}

fn not_fields(what: &str) -> QueryError {
    QueryError(format!(
        "{what} has no fields to flatten: expected a struct or a map"
    ))
}

macro_rules! not_fields {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, _: $ty) -> Result<(), QueryError> {
            Err(not_fields("a scalar"))
        })*
    };
}

impl<'a> ser::Serializer for Fields<'a> {
    type Ok = ();
    type Error = QueryError;
    type SerializeSeq = Impossible<(), QueryError>;
    type SerializeTuple = Impossible<(), QueryError>;
    type SerializeTupleStruct = Impossible<(), QueryError>;
    type SerializeTupleVariant = Impossible<(), QueryError>;
    type SerializeMap = FieldMap<'a>;
    type SerializeStruct = FieldMap<'a>;
    type SerializeStructVariant = Impossible<(), QueryError>;

    not_fields!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str, serialize_bytes: &[u8]
    );

    fn serialize_none(self) -> Result<(), QueryError> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), QueryError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), QueryError> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), QueryError> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), QueryError> {
        Err(not_fields("an enum variant"))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), QueryError> {
        Err(not_fields("an enum variant"))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, QueryError> {
        Err(not_fields("a list"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, QueryError> {
        Err(not_fields("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, QueryError> {
        Err(not_fields("a tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, QueryError> {
        Err(not_fields("an enum variant"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<FieldMap<'a>, QueryError> {
        Ok(FieldMap {
            out: self.out,
            key: None,
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<FieldMap<'a>, QueryError> {
        Ok(FieldMap {
            out: self.out,
            key: None,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, QueryError> {
        Err(not_fields("an enum variant"))
    }
}

pub(crate) struct FieldMap<'a> {
    out: &'a mut Pairs,
    key: Option<String>,
}

impl FieldMap<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), QueryError> {
        value
            .serialize(Value {
                key,
                out: self.out,
                in_list: false,
            })
            .map_err(|QueryError(message)| QueryError(format!("field `{key}`: {message}")))
    }
}

impl ser::SerializeStruct for FieldMap<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

impl ser::SerializeMap for FieldMap<'_> {
    type Ok = ();
    type Error = QueryError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), QueryError> {
        let mut pairs = Pairs::new();
        key.serialize(Value {
            key: "",
            out: &mut pairs,
            in_list: true,
        })?;
        match pairs.pop() {
            Some((_, key)) if pairs.is_empty() => {
                self.key = Some(key);
                Ok(())
            }
            _ => Err(QueryError("a map key must be a string or number".into())),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        let key = self.key.take().unwrap_or_default();
        self.field(&key, value)
    }
    fn end(self) -> Result<(), QueryError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn one<T: Serialize + ?Sized>(value: &T) -> Result<Vec<(String, String)>, String> {
        let mut pairs = Pairs::new();
        named("k", value, &mut pairs).map(|()| pairs)
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[derive(Serialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    enum Status {
        Active,
        Archived,
    }

    #[test]
    fn scalars_options_and_lists() {
        assert_eq!(one("a b").unwrap(), pairs(&[("k", "a b")]));
        assert_eq!(one(&7u8).unwrap(), pairs(&[("k", "7")]));
        assert_eq!(one(&-1.5f64).unwrap(), pairs(&[("k", "-1.5")]));
        assert_eq!(one(&true).unwrap(), pairs(&[("k", "true")]));
        assert_eq!(one(&Status::Active).unwrap(), pairs(&[("k", "ACTIVE")]));
        assert_eq!(one(&None::<u8>).unwrap(), pairs(&[]));
        assert_eq!(one(&Some(3)).unwrap(), pairs(&[("k", "3")]));
        assert_eq!(
            one(&vec![Status::Active, Status::Archived]).unwrap(),
            pairs(&[("k", "ACTIVE"), ("k", "ARCHIVED")])
        );
        assert_eq!(one(&Vec::<u8>::new()).unwrap(), pairs(&[]));
        assert_eq!(one(&Some(vec!["x"])).unwrap(), pairs(&[("k", "x")]));
        assert_eq!(one(&[1, 2][..]).unwrap(), pairs(&[("k", "1"), ("k", "2")]));
        assert_eq!(one(&vec![Some(1), None]).unwrap(), pairs(&[("k", "1")]));
    }

    #[test]
    fn non_scalars_are_errors() {
        #[derive(Serialize)]
        struct Filter {
            a: u8,
        }
        assert!(one(&Filter { a: 1 }).unwrap_err().contains("flatten"));
        assert!(one(&vec![vec![1]]).unwrap_err().contains("list of lists"));
        let map: std::collections::BTreeMap<u8, u8> = [(1, 2)].into();
        assert!(one(&map).unwrap_err().contains("a map"));
    }

    #[test]
    fn flatten_structs_and_maps() {
        #[derive(Serialize)]
        struct Filter {
            #[serde(rename = "agent_id")]
            agents: Vec<u32>,
            status: Option<Status>,
            limit: u8,
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<u8>,
        }
        let mut out = Pairs::new();
        flatten(
            &Filter {
                agents: vec![1, 2],
                status: None,
                limit: 10,
                skipped: None,
            },
            &mut out,
        )
        .unwrap();
        assert_eq!(
            out,
            pairs(&[("agent_id", "1"), ("agent_id", "2"), ("limit", "10")])
        );
        let map: std::collections::BTreeMap<&str, u8> = [("a", 1)].into();
        let mut out = Pairs::new();
        flatten(&map, &mut out).unwrap();
        assert_eq!(out, pairs(&[("a", "1")]));
        assert!(
            flatten(&1, &mut Pairs::new())
                .unwrap_err()
                .contains("no fields")
        );
        #[derive(Serialize)]
        struct Nested {
            inner: Filter2,
        }
        #[derive(Serialize)]
        struct Filter2 {
            a: u8,
        }
        let error = flatten(
            &Nested {
                inner: Filter2 { a: 1 },
            },
            &mut Pairs::new(),
        )
        .unwrap_err();
        assert!(error.contains("field `inner`"), "{error}");
    }
}

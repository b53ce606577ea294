//! Walks every mutation in the schema (found by introspection, so a new mutation is covered the
//! day it is added) and proves it is refused without a token and with a reader token.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::collections::HashMap;

use gazette_tests::{TestDatabase, TestServer};
use serde_json::{Map, Value, json};

const INTROSPECTION: &str = r"
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
{
  __schema {
    mutationType { fields { name type { ...Ref } args { name type { ...Ref } } } }
    types { name kind enumValues { name } inputFields { name type { ...Ref } } }
  }
}";

/// The GraphQL type expression of a type reference (`[String!]!`).
fn type_expression(reference: &Value) -> String {
    match reference["kind"].as_str().unwrap() {
        "NON_NULL" => format!("{}!", type_expression(&reference["ofType"])),
        "LIST" => format!("[{}]", type_expression(&reference["ofType"])),
        _ => reference["name"].as_str().unwrap().to_owned(),
    }
}

/// The named type at the bottom of a reference.
fn base(reference: &Value) -> &Value {
    if reference["ofType"].is_null() {
        reference
    } else {
        base(&reference["ofType"])
    }
}

/// A value of the referenced type that passes GraphQL validation; required input fields only.
fn sample(reference: &Value, types: &HashMap<String, Value>) -> Value {
    match reference["kind"].as_str().unwrap() {
        "NON_NULL" => sample(&reference["ofType"], types),
        "LIST" => json!([]),
        "ENUM" => {
            let name = reference["name"].as_str().unwrap();
            types[name]["enumValues"][0]["name"].clone()
        }
        "INPUT_OBJECT" => {
            let name = reference["name"].as_str().unwrap();
            let mut object = Map::new();
            for field in types[name]["inputFields"].as_array().unwrap() {
                if field["type"]["kind"] == "NON_NULL" {
                    object.insert(
                        field["name"].as_str().unwrap().to_owned(),
                        sample(&field["type"], types),
                    );
                }
            }
            Value::Object(object)
        }
        _ => match reference["name"].as_str().unwrap() {
            "Int" => json!(1),
            "Float" => json!(1.0),
            "Boolean" => json!(true),
            "Date" => json!("2021-01-15"),
            "PartialDate" | "PartialDateTime" => json!("2021"),
            "DateTime" => json!("2021-01-15T00:00:00Z"),
            "ID" => json!("UGVyc29uOjAxOTNjNmUwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA"),
            _ => json!("x"),
        },
    }
}

#[tokio::test]
async fn every_mutation_is_refused_without_a_token_and_with_a_reader_token() {
    let test_db = TestDatabase::sqlite().await;
    let server = TestServer::start(test_db.db.clone()).await;
    let schema = server.data(INTROSPECTION, json!({}), None).await;
    let types: HashMap<String, Value> = schema["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone()))
        .collect();
    let mutations = schema["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        mutations.len() >= 20,
        "only {} mutations found: is the schema complete?",
        mutations.len()
    );
    for mutation in &mutations {
        let name = mutation["name"].as_str().unwrap();
        let mut definitions = Vec::new();
        let mut arguments = Vec::new();
        let mut variables = Map::new();
        for argument in mutation["args"].as_array().unwrap() {
            if argument["type"]["kind"] != "NON_NULL" {
                continue;
            }
            let argument_name = argument["name"].as_str().unwrap();
            definitions.push(format!(
                "${argument_name}: {}",
                type_expression(&argument["type"])
            ));
            arguments.push(format!("{argument_name}: ${argument_name}"));
            variables.insert(argument_name.to_owned(), sample(&argument["type"], &types));
        }
        let selection = match base(&mutation["type"])["kind"].as_str().unwrap() {
            "OBJECT" | "INTERFACE" | "UNION" => " { __typename }",
            _ => "",
        };
        let definitions = if definitions.is_empty() {
            String::new()
        } else {
            format!("({})", definitions.join(", "))
        };
        let arguments = if arguments.is_empty() {
            String::new()
        } else {
            format!("({})", arguments.join(", "))
        };
        let query = format!("mutation Walk{definitions} {{ {name}{arguments}{selection} }}");
        for (token, expected) in [
            (None, "UNAUTHENTICATED"),
            (Some(server.reader.as_str()), "FORBIDDEN"),
        ] {
            let response = server
                .graphql(&query, Value::Object(variables.clone()), token)
                .await;
            let body = response.json();
            assert_eq!(response.status, 200, "{name}: {body}");
            assert_eq!(
                body["errors"][0]["extensions"]["code"], expected,
                "{name} with {token:?}: {body}"
            );
            assert!(
                body["data"].is_null() || body["data"][name].is_null(),
                "{name} answered data: {body}"
            );
        }
    }
    // Nothing was written by any of the refused calls.
    let log = server
        .db
        .audit_log(
            &gazette_storage::AuditFilter::default(),
            &gazette_storage::PageRequest::first(100),
        )
        .await
        .unwrap();
    assert!(
        log.edges
            .iter()
            .all(|e| e.node.operation.ends_with("token")),
        "refused mutations wrote: {:?}",
        log.edges
            .iter()
            .map(|e| &e.node.operation)
            .collect::<Vec<_>>()
    );
    server.stop();
    test_db.finish().await;
}

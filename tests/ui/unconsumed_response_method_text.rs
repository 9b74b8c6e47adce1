//@ lints: unconsumed_response
// unconsumed_response: a method made from text (`Method::from_str(m)`, `Method::from_bytes(..)`,
// `Method::try_from(..)`) is the method the text names: a literal, or a private function's
// text parameter when every caller in the crate passes a method's name there. A HEAD request
// made so has no body to read; one whose callers pass GET and HEAD, or text that is not a
// method's name, is still a finding.

use std::str::FromStr;

use reqwest::blocking::Client;
use reqwest::{Method, StatusCode};

pub fn exists(client: &Client, url: &str) -> Result<bool, String> {
    probe(client, url, "HEAD")
}

pub fn still_there(client: &Client, url: &str) -> Result<bool, String> {
    probe(client, url, "HEAD")
}

fn probe(client: &Client, url: &str, method: &str) -> Result<bool, String> {
    let response = client
        .request(Method::from_str(method).unwrap(), url)
        .send()
        .map_err(|e| e.to_string())?;
    Ok(response.status() == StatusCode::OK)
}

pub fn check(client: &Client, url: &str) -> Result<bool, String> {
    ask(client, url, "GET")
}

pub fn check_quietly(client: &Client, url: &str) -> Result<bool, String> {
    ask(client, url, "HEAD")
}

fn ask(client: &Client, url: &str, method: &str) -> Result<bool, String> {
    let response = client //~ unconsumed_response
        .request(Method::from_bytes(method.as_bytes()).unwrap(), url)
        .send()
        .map_err(|e| e.to_string())?;
    Ok(response.status().is_success())
}

pub fn literal(client: &Client, url: &str) -> Result<bool, String> {
    let method = Method::try_from("HEAD").map_err(|e| e.to_string())?;
    let response = client.request(method, url).send().map_err(|e| e.to_string())?;
    Ok(response.status().is_success())
}

pub fn not_a_method(client: &Client, url: &str) -> Result<bool, String> {
    named(client, url, "fetch")
}

fn named(client: &Client, url: &str, verb: &str) -> Result<bool, String> {
    let response = client //~ unconsumed_response
        .request(Method::from_str(verb).unwrap_or(Method::GET), url)
        .send()
        .map_err(|e| e.to_string())?;
    Ok(response.status().is_success())
}

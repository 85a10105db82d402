//! The functional core of processOrders (serverless.yml#processOrders), export handler of src/handlers/process-orders.ts:61: the logic, as pure functions.
//!
//! No I/O here (no AWS SDK, no HTTP, no clock, no randomness): inputs in, decisions out. `main.rs` is the shell
//! that reads what a function needs, calls it, and performs the writes it returns. Fill in each `todo!()` with
//! the logic of the Node code named above it; the tests below are ignored until then.

// The skeleton's types are not all used until the todo!()s are filled in.
#![allow(dead_code)]

use serde_json::Value;

/// Why a core function refused its input; the shell turns it into a response or a failed record.
#[derive(Debug)]
pub enum CoreError {
    /// The input breaks a rule of the domain.
    Invalid(String),
    /// Something the input refers to does not exist.
    NotFound(String),
}

impl std::fmt::Display for CoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Invalid(why) => write!(f, "invalid input: {why}"),
            Self::NotFound(what) => write!(f, "not found: {what}"),
        }
    }
}

impl std::error::Error for CoreError {}

/// Input of [`on_sqs`]: what the shell read for it.
#[derive(Debug, Clone)]
pub struct OnSqsInput {
    pub message_id: String,
    pub body: String,
}

/// Output of [`on_sqs`]: what the shell must write (add fields).
#[derive(Debug, Clone, Default)]
pub struct OnSqsOutput {
    pub result: Value,
}

/// Pure logic for one sqs record: no I/O here.
/// The shell reads what this needs, passes it in, and performs the writes the output asks for.
pub fn on_sqs(input: OnSqsInput) -> Result<OnSqsOutput, CoreError> {
    // Port the Node code of the export handler at src/handlers/process-orders.ts:61
    let _ = input;
    todo!()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[ignore = "fill in on_sqs first"]
    fn on_sqs_gives_what_the_node_code_gives() {
        let input = OnSqsInput {
            message_id: String::from("sample"),
            body: String::from("sample"),
        };
        let result = on_sqs(input);
        assert!(result.is_ok(), "compare with the Node code's answer");
    }
}

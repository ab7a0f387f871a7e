//! An export change as an edit of the `exported-services` entry (see `entry_edit`).
use crate::model::entry_edit::EntryChange;
use crate::model::exports::entry::{ExportChange, ENTRY_NAME, KIND};
use crate::model::exports::errors::{is_validation, locate, ExportProblem};
use serde_json::Value;

impl EntryChange for ExportChange {
    type Problem = ExportProblem;

    fn kind(&self) -> &'static str {
        KIND
    }

    fn entry_name(&self) -> String {
        ENTRY_NAME.to_string()
    }

    /// An export change always leaves an entry (Consul accepts one with no services).
    fn apply(&self, base: Option<&Value>) -> Option<Value> {
        Some(self.applied_to(base))
    }

    fn describe(&self) -> String {
        ExportChange::describe(self)
    }

    fn subject(&self) -> String {
        "the exported services".into()
    }

    fn entry_label(&self) -> String {
        "the exported-services entry".into()
    }

    fn problems(&self) -> Vec<ExportProblem> {
        self.check()
            .into_iter()
            .map(|m| ExportProblem::about(self.service(), m))
            .collect()
    }

    fn unchanged(&self) -> Option<String> {
        let (service, peer) = (self.service().label(), self.peer());
        Some(match self {
            ExportChange::Add { .. } => format!("{service} is already exported to {peer}."),
            ExportChange::Remove { .. } => format!("{service} is not exported to {peer}."),
        })
    }

    fn place(&self, message: &str, sent: &Value) -> Option<ExportProblem> {
        is_validation(message).then(|| locate(message, sent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entry_edit::{Proposal, Stage};
    use serde_json::json;

    fn entry(index: u64, services: Value) -> Value {
        json!({"Kind": KIND, "Name": ENTRY_NAME, "Services": services, "ModifyIndex": index})
    }

    #[test]
    fn reapplying_an_export_keeps_what_someone_else_exported_meanwhile() {
        let seen = entry(5, json!([{"Name": "web", "Consumers": [{"Peer": "dc2"}]}]));
        let Some(proposal) = Stage::review(ExportChange::add("api", "dc2"), Some(seen))
            .proposal()
            .cloned()
        else {
            panic!("reviewing")
        };
        assert_eq!(proposal.cas(), 5);
        // Meanwhile someone exports db.
        let latest = entry(
            6,
            json!([{"Name": "web", "Consumers": [{"Peer": "dc2"}]},
                   {"Name": "db", "Consumers": [{"Peer": "dc2"}]}]),
        );
        let Some(again) = Stage::lost_race(proposal, Some(latest))
            .reapply(&[])
            .proposal()
            .cloned()
        else {
            panic!("reviewing")
        };
        assert_eq!(again.cas(), 6);
        let names: Vec<_> = again.after().unwrap()["Services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, ["web", "db", "api"]);
    }

    #[test]
    fn consul_messages_are_placed_by_service_and_others_are_not() {
        let change = ExportChange::add("api", "dc2");
        let sent = Proposal::new(change.clone(), None)
            .after()
            .cloned()
            .unwrap();
        let placed = change.place("Services[0].Consumers[0]: some problem", &sent);
        assert!(placed.is_some_and(|p| p.service.is_some()));
        assert_eq!(change.place("Permission denied", &sent), None);
    }
}

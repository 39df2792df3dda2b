//! versus: a server-rendered comparison of Django and Flask with a shared, explainable recommender.

mod assets;
mod bounded;
pub mod cli;
pub mod content;
pub mod paths;
pub mod recommender;
mod routes;
pub mod site;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod watch;

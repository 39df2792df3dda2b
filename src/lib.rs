//! versus: a server-rendered comparison of Django and Flask with a shared, explainable recommender.

pub mod assets;
pub mod cli;
pub mod content;
pub mod recommender;
pub mod routes;
pub mod site;
pub mod startup;
pub mod telemetry;
pub mod watch;

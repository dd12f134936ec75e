//! One typed async function per API endpoint.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use shared::api::{ApiError, ChecklistResponse};

/// A failed API call, already phrased for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    pub code: String,
    pub message: String,
}

impl ClientError {
    fn network(err: impl std::fmt::Display) -> Self {
        ClientError {
            code: "network".to_owned(),
            message: err.to_string(),
        }
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
    if response.ok() {
        return response.json::<T>().await.map_err(ClientError::network);
    }
    let status = response.status();
    match response.json::<ApiError>().await {
        Ok(body) => Err(ClientError {
            code: body.error,
            message: body.message,
        }),
        Err(_) => Err(ClientError {
            code: "http".to_owned(),
            message: format!("HTTP {status}"),
        }),
    }
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ClientError> {
    let response = Request::get(path)
        .send()
        .await
        .map_err(ClientError::network)?;
    decode(response).await
}

/// `GET /api/checklist`.
pub async fn fetch_checklist() -> Result<ChecklistResponse, ClientError> {
    get("/api/checklist").await
}

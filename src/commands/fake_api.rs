//! `inv fake-api` (hidden): the fake Scaleway API as a process of its own, for trying inv
//! by hand and for measuring it from outside.

use std::net::{Ipv4Addr, SocketAddr};

use crate::cli::FakeApiArgs;
use crate::exit::{Failure, Status};
use crate::fakeapi::{self, Faults, SyntheticSpec, World};

pub async fn run(args: FakeApiArgs) -> Result<Status, Failure> {
    let (world, credential) = match (&args.world, args.synthetic) {
        (Some(path), _) => {
            let world: World = read_json(path)?;
            let credential =
                world.credentials.first().cloned().ok_or_else(|| {
                    Failure::usage(format!("{} has no credentials", path.display()))
                })?;
            (world, credential)
        }
        (None, Some(objects)) => fakeapi::synthetic_world(&SyntheticSpec { objects, seed: 1 }),
        (None, None) => fakeapi::demo_world(),
    };
    let faults: Faults = match &args.faults {
        Some(path) => read_json(path)?,
        None => Faults::none(),
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let api = fakeapi::start_on(world, faults, addr)
        .await
        .map_err(|e| Failure::usage(format!("cannot listen on {addr}: {e}")))?;
    println!(
        "SCW_API_URL={} SCW_ACCESS_KEY={} SCW_SECRET_KEY={} SCW_DEFAULT_ORGANIZATION_ID={}",
        api.url(),
        credential.access_key,
        credential.secret_key,
        credential.organization_id
    );
    let _ = tokio::signal::ctrl_c().await;
    eprintln!(
        "{}",
        serde_json::to_string(&api.stats()).unwrap_or_default()
    );
    api.shutdown();
    Ok(Status::Ok)
}

fn read_json<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("{} is not valid: {e}", path.display())))
}

//! Instance flexible IPs (`GET /instance/v1/zones/{zone}/ips`).

use serde::Deserialize;
use serde_json::value::RawValue;

use super::decode::{parse, required_id, text, DecodeError, Link, Record, Ref};
use super::{json_text, Context, Kind, LinkSpec, Locality, Paging};

pub static KIND: Kind = Kind {
    name: "flexible_ips",
    table: "flexible_ips",
    locality: Locality::Zonal,
    path: "/instance/v1/zones/{zone}/ips",
    list_key: "ips",
    paging: Paging::PerPage,
    organization_param: "organization",
    rows_filter: None,
    links: &[LinkSpec {
        table: "flexible_ip_identifies_instance",
        parent_column: "flexible_ip_id",
        only: Some(("seen_from", "flexible_ip")),
    }],
    permission_set: "InstancesReadOnly",
    decode,
};

#[derive(Deserialize)]
struct Ip {
    id: Option<String>,
    address: Option<String>,
    reverse: Option<String>,
    tags: Option<Vec<String>>,
    #[serde(rename = "type")]
    kind: Option<String>,
    state: Option<String>,
    prefix: Option<String>,
    ipam_id: Option<String>,
    zone: Option<String>,
    server: Option<Ref>,
    project: Option<String>,
}

fn decode(raw: &RawValue, context: &Context) -> Result<Record, DecodeError> {
    let ip: Ip = parse(raw)?;
    let id = required_id("id", ip.id)?;
    let server_id = Ref::id_of(&ip.server);
    let links = server_id
        .iter()
        .map(|server_id| {
            Link::new(
                "flexible_ip_identifies_instance",
                vec![
                    ("flexible_ip_id", id.clone().into()),
                    ("instance_id", server_id.clone().into()),
                    ("seen_from", "flexible_ip".to_string().into()),
                ],
            )
        })
        .collect();
    Ok(Record {
        columns: vec![
            ("id", id.clone().into()),
            ("address", text(&ip.address)),
            ("reverse", text(&ip.reverse)),
            ("tags", json_text(&ip.tags)),
            ("type", text(&ip.kind)),
            ("state", text(&ip.state)),
            ("prefix", text(&ip.prefix)),
            ("ipam_id", text(&ip.ipam_id)),
            ("zone", context.zone.clone().or(ip.zone).into()),
            ("server_id", text(&server_id)),
            ("project_id", text(&ip.project)),
        ],
        id,
        raw: raw.get().to_string(),
        links,
    })
}

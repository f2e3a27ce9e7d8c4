//! Instance servers (`GET /instance/v1/zones/{zone}/servers`), with the volumes they
//! mount and the public IPs that identify them.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::decode::{flag, parse, required_id, text, ts, DecodeError, Link, Record};
use super::{json_text, Context, Kind, LinkSpec, Locality, Paging};

pub static KIND: Kind = Kind {
    name: "instances",
    table: "instances",
    locality: Locality::Zonal,
    path: "/instance/v1/zones/{zone}/servers",
    list_key: "servers",
    paging: Paging::PerPage,
    organization_param: "organization",
    rows_filter: None,
    links: &[
        LinkSpec {
            table: "instance_mounts_volume",
            parent_column: "instance_id",
            only: None,
        },
        LinkSpec {
            table: "flexible_ip_identifies_instance",
            parent_column: "instance_id",
            only: Some(("seen_from", "instance")),
        },
    ],
    permission_set: "InstancesReadOnly",
    decode,
};

#[derive(Deserialize)]
struct Server {
    id: Option<String>,
    name: Option<String>,
    project: Option<String>,
    tags: Option<Vec<String>>,
    commercial_type: Option<String>,
    creation_date: Option<String>,
    dynamic_ip_required: Option<bool>,
    routed_ip_enabled: Option<bool>,
    enable_ipv6: Option<bool>,
    hostname: Option<String>,
    private_ip: Option<String>,
    mac_address: Option<String>,
    modification_date: Option<String>,
    state: Option<String>,
    location: Option<Location>,
    ipv6: Option<Ipv6>,
    boot_type: Option<String>,
    state_detail: Option<String>,
    arch: Option<String>,
    private_nics: Option<Box<RawValue>>,
    zone: Option<String>,
    end_of_service: Option<bool>,
    volumes: Option<BTreeMap<String, MountedVolume>>,
    public_ip: Option<PublicIp>,
    public_ips: Option<Vec<PublicIp>>,
}

#[derive(Deserialize)]
struct Location {
    cluster_id: Option<String>,
    hypervisor_id: Option<String>,
    node_id: Option<String>,
    platform_id: Option<String>,
}

#[derive(Deserialize)]
struct Ipv6 {
    address: Option<String>,
    gateway: Option<String>,
    netmask: Option<String>,
}

#[derive(Deserialize)]
struct MountedVolume {
    id: Option<String>,
    boot: Option<bool>,
    volume_type: Option<String>,
}

#[derive(Deserialize)]
struct PublicIp {
    id: Option<String>,
    address: Option<String>,
}

fn decode(raw: &RawValue, context: &Context) -> Result<Record, DecodeError> {
    let s: Server = parse(raw)?;
    let id = required_id("id", s.id)?;
    let mut links = Vec::new();
    for (position, volume) in s.volumes.iter().flatten() {
        let Some(volume_id) = volume.id.clone().filter(|v| !v.is_empty()) else {
            continue;
        };
        links.push(Link::new(
            "instance_mounts_volume",
            vec![
                ("instance_id", id.clone().into()),
                ("volume_id", volume_id.into()),
                ("position", position.clone().into()),
                ("boot", flag(volume.boot)),
                ("volume_type", text(&volume.volume_type)),
            ],
        ));
    }
    // `public_ip` is the deprecated first element of `public_ips`; older servers send
    // only `public_ip`, so both are read and the pair is stored once.
    let mut ip_ids: Vec<String> = Vec::new();
    let mut addresses: Vec<&str> = Vec::new();
    for ip in s.public_ips.iter().flatten().chain(s.public_ip.iter()) {
        if let Some(ip_id) = ip.id.clone().filter(|v| !v.is_empty()) {
            if !ip_ids.contains(&ip_id) {
                ip_ids.push(ip_id);
            }
        }
        if let Some(address) = ip.address.as_deref().filter(|v| !v.is_empty()) {
            if !addresses.contains(&address) {
                addresses.push(address);
            }
        }
    }
    let public_ips = (s.public_ips.is_some() || s.public_ip.is_some()).then_some(addresses);
    for ip_id in ip_ids {
        links.push(Link::new(
            "flexible_ip_identifies_instance",
            vec![
                ("flexible_ip_id", ip_id.into()),
                ("instance_id", id.clone().into()),
                ("seen_from", "instance".to_string().into()),
            ],
        ));
    }
    let location = s.location.as_ref();
    let ipv6 = s.ipv6.as_ref();
    Ok(Record {
        columns: vec![
            ("id", id.clone().into()),
            ("name", text(&s.name)),
            ("tags", json_text(&s.tags)),
            ("commercial_type", text(&s.commercial_type)),
            ("creation_date", ts("creation_date", &s.creation_date)?),
            ("dynamic_ip_required", flag(s.dynamic_ip_required)),
            ("routed_ip_enabled", flag(s.routed_ip_enabled)),
            ("enable_ipv6", flag(s.enable_ipv6)),
            ("hostname", text(&s.hostname)),
            ("private_ip", text(&s.private_ip)),
            ("mac_address", text(&s.mac_address)),
            (
                "modification_date",
                ts("modification_date", &s.modification_date)?,
            ),
            ("state", text(&s.state)),
            (
                "location_cluster_id",
                text(&location.and_then(|l| l.cluster_id.clone())),
            ),
            (
                "location_hypervisor_id",
                text(&location.and_then(|l| l.hypervisor_id.clone())),
            ),
            (
                "location_node_id",
                text(&location.and_then(|l| l.node_id.clone())),
            ),
            (
                "location_platform_id",
                text(&location.and_then(|l| l.platform_id.clone())),
            ),
            ("ipv6_address", text(&ipv6.and_then(|v| v.address.clone()))),
            ("ipv6_gateway", text(&ipv6.and_then(|v| v.gateway.clone()))),
            ("ipv6_netmask", text(&ipv6.and_then(|v| v.netmask.clone()))),
            ("boot_type", text(&s.boot_type)),
            ("state_detail", text(&s.state_detail)),
            ("arch", text(&s.arch)),
            (
                "private_nics",
                text(&s.private_nics.map(|v| v.get().to_string())),
            ),
            ("zone", context.zone.clone().or(s.zone).into()),
            ("end_of_service", flag(s.end_of_service)),
            ("project_id", text(&s.project)),
            ("public_ips", json_text(&public_ips)),
        ],
        id,
        raw: raw.get().to_string(),
        links,
    })
}

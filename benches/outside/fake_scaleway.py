#!/usr/bin/env python3
"""An independent fake of the Scaleway API, for measuring `inv sync` from the outside.

Written from the offline reference (../shared/scaleway-api.md, sections 1-5) and the
shapes of the recorded responses (../shared/fixtures/scaleway-recorded/); it shares no
code with inv or with inv's own fake (src/fakeapi). Python 3.11, standard library only.

It serves a synthetic organization of exactly --objects objects (projects, IAM users,
applications, groups and API keys, Instance servers, flexible IPs, local volumes and
snapshots, Block Storage volumes and snapshots), spread over the ten zones, with
consistent references, deterministic for a given --seed. Every request sleeps
--latency-ms; a gateway-like limiter answers requests above --rate per second with the
gateway's 429 (empty body, `X-Envoy-Ratelimited: true`, no Retry-After).

Stdout: line 1 is the base URL, line 2 a JSON object with the credentials to use and what
the organization holds. `GET /__stats` (no auth, not counted, not rate limited, no
latency) answers the counters as JSON; `GET /__stats?reset=1` also resets them and the
limiter. SIGTERM/SIGINT print the counters as one JSON line on stdout and exit.

Run `python3 fake_scaleway.py --help` for the options.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import math
import os
import random
import signal
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

# --------------------------------------------------------------------------------------
# Localities (reference 3.1, 3.2)
# --------------------------------------------------------------------------------------

# Every zone the Go SDK knows, which is also what inv asks for by default.
ZONES = [
    "fr-par-1", "fr-par-2", "fr-par-3",
    "nl-ams-1", "nl-ams-2", "nl-ams-3",
    "pl-waw-1", "pl-waw-2", "pl-waw-3",
    "it-mil-1",
]
# How zonal objects are spread: a real organization is lopsided (Paris first).
ZONE_WEIGHTS_SKEWED = {
    "fr-par-1": 0.30, "fr-par-2": 0.15, "fr-par-3": 0.05,
    "nl-ams-1": 0.15, "nl-ams-2": 0.07, "nl-ams-3": 0.05,
    "pl-waw-1": 0.10, "pl-waw-2": 0.06, "pl-waw-3": 0.04,
    "it-mil-1": 0.03,
}

# Share of the organization's objects per kind (sums to 1).
KIND_WEIGHTS = [
    ("projects", 0.010),
    ("users", 0.030),
    ("applications", 0.010),
    ("groups", 0.005),
    ("api_keys", 0.035),
    ("servers", 0.180),
    ("ips", 0.160),
    ("instance_volumes", 0.060),
    ("block_volumes", 0.280),
    ("instance_snapshots", 0.040),
    ("block_snapshots", 0.190),
]
GLOBAL_KINDS = ["projects", "users", "applications", "groups", "api_keys"]
ZONAL_KINDS = ["servers", "ips", "instance_volumes", "block_volumes",
               "instance_snapshots", "block_snapshots"]

# The inventory table each kind lands in (inv's schema), for checking the database.
TABLE_OF = {
    "projects": "projects", "users": "users", "applications": "applications",
    "groups": "groups", "api_keys": "api_keys", "servers": "instances",
    "ips": "flexible_ips", "instance_volumes": "volumes", "block_volumes": "volumes",
    "instance_snapshots": "volume_snapshots", "block_snapshots": "volume_snapshots",
}

PAGE_SIZE_INV = 100          # what a well-behaved client sends (reference 2.1)
MAX_PAGE_SIZE = 100
NOW = dt.datetime(2026, 8, 20, 9, 0, 0, tzinfo=dt.timezone.utc).timestamp()
EPOCH_START = dt.datetime(2019, 6, 1, tzinfo=dt.timezone.utc).timestamp()
# Scaleway's public image catalogue lives in an organization of its own.
IMAGES_ORG = "51b0d7c4-2d61-4b3e-9a85-1f7c3e9d2a60"

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def split_exactly(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` into parts proportional to `weights`."""
    wsum = sum(weights)
    raw = [total * w / wsum for w in weights]
    parts = [math.floor(x) for x in raw]
    rest = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (raw[i] - parts[i]), reverse=True)
    for i in order[:rest]:
        parts[i] += 1
    return parts


def ts_z(t: float) -> str:
    """Account/IAM/Block timestamps: microseconds and `Z`."""
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ts_z_millis(t: float) -> str:
    """IAM `expires_at` as recorded: milliseconds and `Z`."""
    d = dt.datetime.fromtimestamp(t, dt.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def ts_offset(t: float) -> str:
    """Instance timestamps: microseconds and `+00:00`."""
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def region_of(zone: str) -> str:
    return "-".join(zone.split("-")[:2])


FIRST = ["marie", "lucas", "chloe", "hugo", "lea", "nathan", "emma", "louis", "ines",
         "jules", "sarah", "adam", "manon", "paul", "camille", "arthur", "julia", "tom",
         "anna", "noah", "eva", "leo", "zoe", "victor", "alice", "gabriel", "clara",
         "ethan", "lina", "raphael", "agnieszka", "piotr", "sanne", "daan", "giulia",
         "marco"]
LAST = ["dupont", "martin", "bernard", "dubois", "thomas", "robert", "richard", "petit",
        "durand", "leroy", "moreau", "simon", "laurent", "lefebvre", "michel", "garcia",
        "david", "bertrand", "roux", "vincent", "fournier", "morel", "girard", "andre",
        "kowalski", "nowak", "dejong", "visser", "rossi", "russo", "ferrari", "bianchi"]
LOCALES = ["fr_FR", "en_US", "en_US", "en_GB", "de_DE", "nl_NL", "pl_PL", "it_IT"]
ROLES = ["web", "api", "db", "cache", "worker", "ci", "vpn", "bastion", "k8s-node",
         "search", "mq", "proxy", "build", "batch", "ml", "mail", "log", "monitor"]
ENVS = ["prod", "staging", "dev", "qa", "sandbox", "perf", "demo"]
TEAMS = ["platform", "data", "payments", "growth", "mobile", "security", "sre", "infra",
         "analytics", "backoffice", "support", "research", "frontend", "identity"]
TAG_POOL = ["prod", "staging", "dev", "terraform", "managed-by=ansible", "backup",
            "team=platform", "team=data", "pci", "gdpr", "cost-center=42", "ephemeral",
            "daily", "weekly", "critical", "k8s", "legacy"]
APP_PURPOSES = [
    ("ci-deployer", "deploys from the CI pipeline"),
    ("terraform", "infrastructure as code runs"),
    ("backup-agent", "nightly backups to object storage"),
    ("monitoring", "read-only metrics collector"),
    ("inventory-reader", "read-only inventory job"),
    ("billing-export", "exports consumption to the data warehouse"),
    ("dns-updater", "keeps reverse DNS in sync"),
    ("k8s-autoscaler", "cluster autoscaler credentials"),
]
SERVER_TYPES_SBS = ["PRO2-XXS", "PRO2-XS", "PRO2-S", "PRO2-M", "POP2-2C-8G", "POP2-4C-16G",
                    "POP2-HC-8C-16G", "BASIC3-X2C-4G", "PLAY2-NANO", "PLAY2-MICRO",
                    "GP1-XS", "ENT1-S"]
SERVER_TYPES_LOCAL = ["DEV1-S", "DEV1-M", "DEV1-L", "GP1-XS", "GP1-S", "GP1-M"]
IMAGE_NAMES = ["Ubuntu 24.04 Noble Numbat", "Ubuntu 22.04 Jammy Jellyfish",
               "Debian 12 (Bookworm)", "Rocky Linux 9", "Docker", "Fedora 40",
               "AlmaLinux 9"]
SBS_TYPES = [("sbs_5k", 5000), ("sbs_5k", 5000), ("sbs_15k", 15000)]
SIZES_GB = [10, 20, 20, 25, 40, 50, 80, 100, 150, 200, 250, 500, 1000]


class Gen:
    """Deterministic generator state."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self._used_ak: set[str] = set()
        self._ipv4 = 0
        self._ipv6 = 0

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def access_key(self) -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        while True:
            ak = "SCW" + "".join(self.rng.choice(alphabet) for _ in range(17))
            if ak not in self._used_ak:
                self._used_ak.add(ak)
                return ak

    def when(self, lo: float = EPOCH_START, hi: float = NOW - 86400) -> float:
        return self.rng.uniform(lo, max(lo, hi))

    def after(self, t: float, max_days: float = 400) -> float:
        return min(NOW - 60, t + self.rng.uniform(0, max_days * 86400))

    def tags(self, p_empty: float = 0.55, most: int = 3) -> list[str]:
        if self.rng.random() < p_empty:
            return []
        return self.rng.sample(TAG_POOL, self.rng.randint(1, most))

    def mac(self, prefix: str = "de:00:00") -> str:
        return prefix + ":" + ":".join(f"{self.rng.randrange(256):02x}" for _ in range(3))

    def ipv4(self) -> str:
        self._ipv4 += 1
        n = self._ipv4
        blocks = ["51.15", "51.158", "163.172", "212.47", "62.210", "195.154", "51.159"]
        b = blocks[n % len(blocks)]
        k = n // len(blocks)
        return f"{b}.{(k // 250) % 256}.{k % 250 + 2}"

    def ipv6_prefix(self) -> str:
        self._ipv6 += 1
        n = self._ipv6
        return f"2001:bc8:{0x600 + (n >> 16) % 0x900:x}:{n & 0xffff:x}::/64"


# --------------------------------------------------------------------------------------
# The organization
# --------------------------------------------------------------------------------------


class Org:
    """The generated organization: serialized objects per listing, plus indexes."""

    def __init__(self, objects: int, seed: int, spread: str):
        if objects < 11:
            raise SystemExit("--objects must be at least 11 (one per kind)")
        g = Gen(seed)
        self.g = g
        rng = g.rng
        counts = dict(zip([k for k, _ in KIND_WEIGHTS],
                          split_exactly(objects, [w for _, w in KIND_WEIGHTS])))
        for k in counts:  # at least one of each kind
            while counts[k] < 1:
                biggest = max(counts, key=counts.get)
                counts[biggest] -= 1
                counts[k] += 1
        self.kind_counts = counts
        zweights = ([ZONE_WEIGHTS_SKEWED[z] for z in ZONES] if spread == "skewed"
                    else [1.0] * len(ZONES))
        self.zone_counts = {k: dict(zip(ZONES, split_exactly(counts[k], zweights)))
                            for k in ZONAL_KINDS}

        self.org_id = g.uuid()
        self.secret_key = g.uuid()
        # lists[(kind, zone_or_None)] = list of serialized objects in default order
        self.lists: dict[tuple[str, str | None], list[bytes]] = {}
        # single objects: (kind, zone_or_None, id) -> serialized bare object
        self.single: dict[tuple[str, str | None, str], bytes] = {}
        self.links: collections.Counter = collections.Counter()
        self._global(counts)
        for zone in ZONES:
            self._zone(zone)
        self.total = sum(len(v) for v in self.lists.values())
        assert self.total == objects, (self.total, objects)

    # -- projects and IAM --------------------------------------------------------------

    def pick_project(self) -> str:
        return self.g.rng.choices(self.project_ids, cum_weights=self._project_cum)[0]

    def _global(self, counts: dict[str, int]) -> None:
        g, rng = self.g, self.g.rng
        org_created = g.when(EPOCH_START, EPOCH_START + 200 * 86400)
        self.org_created = org_created
        tag = self.org_id.split("-")[0]
        self.organization = {
            "id": self.org_id, "name": f"Acme Robotics {tag}", "alias": f"acme-{tag}",
            "login_password_enabled": True, "login_magic_code_enabled": True,
            "login_oauth2_enabled": True, "login_saml_enabled": False,
        }

        # Projects: the first is `default` and, as in older organizations, has the
        # organization's ID (reference 4.1). Ownership is Zipf-like: a few big projects.
        projects = []
        for i in range(counts["projects"]):
            if i == 0:
                pid, name, created, desc = self.org_id, "default", org_created, ""
            else:
                pid = g.uuid()
                name = f"{rng.choice(TEAMS)}-{rng.choice(ENVS)}-{i:04d}"
                created = g.when(org_created)
                desc = rng.choice(["", "", f"{name.split('-')[0]} workloads",
                                   "pre-production workloads", "managed by terraform"])
            updated = g.after(created, 200)
            projects.append((created, {
                "id": pid, "name": name, "organization_id": self.org_id,
                "created_at": ts_z(created), "updated_at": ts_z(updated),
                "description": desc,
                "qualification": (None if rng.random() < 0.3 else
                                  {"architecture_type": "unknown_architecture_type"}),
            }))
        self.project_ids = [p["id"] for _, p in projects]
        weights = [1.0 / (i + 1) for i in range(len(self.project_ids))]
        self._project_cum = list(_cumsum(weights))
        self._store_global("projects", projects)

        # Users: the first is the owner.
        users = []
        for i in range(counts["users"]):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first}.{last}{i}@example.org"
            owner = i == 0
            created = org_created if owner else g.when(org_created)
            updated = g.after(created, 300)
            mfa = owner or rng.random() < 0.6
            pending = (not owner) and rng.random() < 0.05
            last_login = None if (pending or rng.random() < 0.15) else ts_z(g.after(updated, 30))
            users.append((created, {
                "id": g.uuid(), "email": email,
                "username": email if rng.random() < 0.7 else f"{first}.{last}{i}",
                "first_name": first.capitalize() if rng.random() < 0.8 else "",
                "last_name": last.upper() if rng.random() < 0.8 else "",
                "phone_number": "" if rng.random() < 0.8 else f"+3361234{i % 10000:04d}",
                "locale": rng.choice(LOCALES),
                "created_at": ts_z(created), "updated_at": ts_z(updated),
                "organization_id": self.org_id, "deletable": not owner,
                "last_login_at": last_login, "type": "owner" if owner else "member",
                "two_factor_enabled": mfa,
                "status": "invitation_pending" if pending else "activated",
                "mfa": mfa, "account_root_user_id": g.uuid() if owner else "",
                "tags": g.tags(0.85, 2), "locked": (not owner) and rng.random() < 0.01,
            }))
        self.user_ids = [u["id"] for _, u in users]

        # Applications.
        apps = []
        for i in range(counts["applications"]):
            purpose, desc = APP_PURPOSES[i % len(APP_PURPOSES)] if i else APP_PURPOSES[4]
            created = g.when(org_created)
            apps.append((created, {
                "id": g.uuid(), "name": f"{purpose}-{i:04d}",
                "description": desc if rng.random() < 0.7 else "",
                "created_at": ts_z(created), "updated_at": ts_z(g.after(created, 60)),
                "organization_id": self.org_id, "editable": True, "deletable": True,
                "managed": False, "nb_api_keys": 0, "tags": g.tags(0.7, 2),
            }))
        self.app_ids = [a["id"] for _, a in apps]

        # API keys: the first is the key inv is given, borne by the inventory application
        # (discovery goes key -> application -> organization, reference 4.2).
        keys = []
        app_by_id = {a["id"]: a for _, a in apps}
        for i in range(counts["api_keys"]):
            ak = g.access_key()
            created = g.when(org_created)
            key = {
                "access_key": ak, "secret_key": None,
                "description": rng.choice(["", "laptop", "ci", "terraform", "backup job",
                                           "inventory job", "monitoring", "temporary"]),
                "created_at": ts_z(created), "updated_at": ts_z(g.after(created, 30)),
                "expires_at": (ts_z_millis(created + 365 * 86400)
                               if rng.random() < 0.3 else None),
                "default_project_id": self.pick_project(),
                "editable": True, "deletable": True, "managed": False,
                "creation_ip": f"{rng.randint(80, 212)}.{rng.randint(0, 255)}."
                               f"{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            }
            if i == 0:
                key["description"] = "inventory job"
                key["application_id"] = self.app_ids[0]
                key["expires_at"] = None
                self.access_key = ak
            elif rng.random() < 0.55:
                key["user_id"] = rng.choice(self.user_ids)
            else:
                key["application_id"] = rng.choice(self.app_ids)
            if "application_id" in key:
                app_by_id[key["application_id"]]["nb_api_keys"] += 1
                self.links["application_has_api_key"] += 1
            else:
                self.links["user_has_api_key"] += 1
            keys.append((created, key))

        # Groups, with embedded members.
        groups = []
        for i in range(counts["groups"]):
            created = g.when(org_created)
            members = rng.sample(self.user_ids, min(len(self.user_ids), rng.randint(0, 15)))
            app_members = rng.sample(self.app_ids, min(len(self.app_ids), rng.randint(0, 3)))
            self.links["user_member_of_group"] += len(members)
            self.links["application_member_of_group"] += len(app_members)
            team = rng.choice(TEAMS)
            groups.append((created, {
                "id": g.uuid(), "created_at": ts_z(created),
                "updated_at": ts_z(g.after(created, 120)),
                "organization_id": self.org_id, "name": f"{team}-{i:04d}",
                "description": rng.choice(["", f"{team} team", "on-call engineers",
                                           "read-only auditors"]),
                "user_ids": members, "application_ids": app_members,
                "tags": g.tags(0.8, 2), "editable": True, "deletable": True, "managed": False,
            }))

        self._store_global("users", users)
        self._store_global("applications", apps)
        self._store_global("groups", groups)
        self._store_global("api_keys", keys, id_key="access_key")

    def _store_global(self, kind, dated, id_key="id"):
        dated.sort(key=lambda p: p[0])  # default order: created_at_asc
        out = []
        for _, obj in dated:
            body = compact(obj)
            out.append(body)
            self.single[(kind, None, obj[id_key])] = body
        self.lists[(kind, None)] = out

    # -- one zone ----------------------------------------------------------------------

    def _zone(self, zone: str) -> None:
        g, rng = self.g, self.g.rng
        n = {k: self.zone_counts[k][zone] for k in ZONAL_KINDS}
        images = []
        for name in IMAGE_NAMES:
            created = g.when(NOW - 400 * 86400)
            sbs = rng.random() < 0.7
            images.append({
                "id": g.uuid(), "name": name, "organization": IMAGES_ORG,
                "project": IMAGES_ORG,
                "root_volume": ({"volume_type": "sbs_snapshot", "id": g.uuid(), "size": 0,
                                 "name": ""} if sbs else
                                {"id": g.uuid(), "name": name, "volume_type": "l_ssd",
                                 "size": 10000000000}),
                "extra_volumes": {}, "public": True, "arch": "x86_64",
                "creation_date": ts_offset(created), "modification_date": ts_offset(created),
                "default_bootscript": None, "from_server": "", "state": "available",
                "tags": [], "zone": zone,
            })
        security_groups = [{"id": g.uuid(), "name": "Default security group"}] + [
            {"id": g.uuid(), "name": f"{r}-sg"} for r in ROLES[:6]]
        private_networks = [g.uuid() for _ in range(4)]

        # Servers first (plain records; serialized once everything points at them).
        servers = []
        for i in range(n["servers"]):
            created = g.when(self.org_created)
            role, env = rng.choice(ROLES), rng.choice(ENVS)
            name = f"{role}-{env}-{zone.replace('-', '')}-{i:05d}"
            servers.append({"id": g.uuid(), "name": name, "project": self.pick_project(),
                            "created": created, "volumes": [], "ips": [], "local": False})

        # Block volumes: the first ones are the servers' root volumes; the others are
        # data volumes, attached or not.
        bvols = []
        for i in range(n["block_volumes"]):
            created = g.when(self.org_created)
            server = servers[i] if i < len(servers) else (
                rng.choice(servers) if servers and rng.random() < 0.35 else None)
            sbs_type, iops = rng.choice(SBS_TYPES)
            vol = {"id": g.uuid(), "type": sbs_type, "iops": iops, "server": server,
                   "root": i < len(servers), "created": created,
                   "size": rng.choice(SIZES_GB) * 1_000_000_000,
                   "project": server["project"] if server else self.pick_project()}
            if server:
                vol["created"] = server["created"] + (0.5 if vol["root"] else
                                                      rng.uniform(60, 90 * 86400))
                vol["created"] = min(vol["created"], NOW - 120)
                server["volumes"].append(("sbs", vol))
            bvols.append(vol)

        # Local volumes: roots of servers left without a block root, then extra disks.
        ivols = []
        rootless = servers[len(bvols):]
        for i in range(n["instance_volumes"]):
            created = g.when(self.org_created)
            if i < len(rootless):
                server, root = rootless[i], True
            elif servers and rng.random() < 0.5:
                server, root = rng.choice(servers), False
            else:
                server, root = None, False
            vol = {"id": g.uuid(), "server": server, "root": root,
                   "created": min(server["created"] + 0.4, NOW - 120) if server else created,
                   "size": rng.choice([10, 20, 20, 40, 50, 80, 150, 300]) * 1_000_000_000,
                   "project": server["project"] if server else self.pick_project(),
                   "vtype": "l_ssd" if rng.random() < 0.95 else "scratch"}
            if server:
                server["local"] = True
                server["volumes"].append(("local", vol))
            ivols.append(vol)
        for s in servers:  # the root volume is position "0"
            s["volumes"].sort(key=lambda kv: not kv[1]["root"])
            self.links["instance_mounts_volume"] += len(s["volumes"])

        # Flexible IPs: most IPv4 and some IPv6 prefixes attached, one per family at most.
        ips = []
        n_v6 = round(n["ips"] * 0.2)
        families = ["inet6"] * n_v6 + ["inet"] * (n["ips"] - n_v6)
        rng.shuffle(families)
        free = {"inet": rng.sample(servers, len(servers)),
                "inet6": rng.sample(servers, len(servers))}
        for fam in families:
            server = free[fam].pop() if free[fam] and rng.random() < 0.75 else None
            ip = {"id": g.uuid(), "family": fam, "server": server,
                  "project": server["project"] if server else self.pick_project(),
                  "created": (server["created"] - rng.uniform(1, 3600)) if server
                  else g.when(self.org_created)}
            if fam == "inet":
                ip["address"], ip["prefix"] = g.ipv4(), None
            else:
                prefix = g.ipv6_prefix()
                ip["address"], ip["prefix"] = None, prefix
            ip["ipam_id"] = ip["id"] if rng.random() < 0.5 else g.uuid()
            ip["reverse"] = (f"{server['name']}.example.org"
                             if server and fam == "inet" and rng.random() < 0.3 else None)
            ip["tags"] = g.tags(0.8, 2)
            if server:
                server["ips"].append(ip)
                self.links["flexible_ip_identifies_instance"] += 1
            ips.append(ip)

        # Snapshots point at volumes of their zone (or at nothing once it is gone).
        isnaps = []
        for i in range(n["instance_snapshots"]):
            base = rng.choice(ivols) if ivols and rng.random() < 0.9 else None
            created = g.after(base["created"], 300) if base else g.when(self.org_created)
            isnaps.append({"id": g.uuid(), "base": base, "created": created,
                           "project": base["project"] if base else self.pick_project(),
                           "size": base["size"] if base else 20_000_000_000})
        bsnaps = []
        for i in range(n["block_snapshots"]):
            parent = rng.choice(bvols) if bvols and rng.random() < 0.85 else None
            created = g.after(parent["created"], 300) if parent else g.when(self.org_created)
            bsnaps.append({"id": g.uuid(), "parent": parent, "created": created,
                           "project": parent["project"] if parent else self.pick_project(),
                           "size": parent["size"] if parent else 20_000_000_000})
            if parent:
                self.links["volume_has_snapshot"] += 1
        self.links["volume_has_snapshot"] += sum(1 for s in isnaps if s["base"])

        # ---- serialize, Instance lists newest first (creation_date_desc) ----
        inst = lambda obj: json.dumps(obj).encode()  # Instance style: ", " separators
        out = []
        for s in servers:
            out.append((s["created"], s["id"], self._server_json(s, zone, images,
                                                                 security_groups,
                                                                 private_networks)))
        self._store_zonal("servers", zone, out, inst, reverse=True, wrap="server")

        out = []
        for ip in ips:
            s = ip["server"]
            obj = {"id": ip["id"], "address": ip["address"], "prefix": ip["prefix"],
                   "reverse": ip["reverse"],
                   "server": {"id": s["id"], "name": s["name"]} if s else None,
                   "organization": self.org_id, "project": ip["project"], "zone": zone,
                   "type": "routed_ipv4" if ip["family"] == "inet" else "routed_ipv6",
                   "state": "attached" if s else "detached", "tags": ip["tags"],
                   "ipam_id": ip["ipam_id"]}
            out.append((ip["created"], ip["id"], obj))
        self._store_zonal("ips", zone, out, inst, reverse=True, wrap="ip")
        for ip in ips:  # `GET .../ips/{ip}` takes the ID or the address (reference 4.4)
            if ip["address"]:
                self.single[("ips", zone, ip["address"])] = self.single[("ips", zone, ip["id"])]

        out = []
        for v in ivols:
            out.append((v["created"], v["id"], self._local_volume(v, zone)))
        self._store_zonal("instance_volumes", zone, out, inst, reverse=True, wrap="volume")

        out = []
        for snap in isnaps:
            b = snap["base"]
            created = snap["created"]
            obj = {"id": snap["id"],
                   "name": f"{b['server']['name'] if b and b['server'] else 'vol'}-"
                           f"{dt.datetime.fromtimestamp(created, dt.timezone.utc):%Y-%m-%d}"
                           f"-{snap['id'][:4]}",
                   "volume_type": b["vtype"] if b and b["vtype"] != "scratch" else "l_ssd",
                   "creation_date": ts_offset(created),
                   "modification_date": ts_offset(created + rng.uniform(20, 300)),
                   "organization": self.org_id, "project": snap["project"],
                   "size": snap["size"],
                   "state": "available" if rng.random() < 0.97 else "error",
                   "base_volume": {"id": b["id"], "name": self._local_name(b)} if b else None,
                   "tags": g.tags(0.6, 2), "zone": zone, "error_details": None}
            out.append((created, snap["id"], obj))
        self._store_zonal("instance_snapshots", zone, out, inst, reverse=True, wrap="snapshot")

        # ---- Block: created_at_asc, compact, bare singles ----
        snap_ids = [s["id"] for s in bsnaps]
        out = []
        for v in bvols:
            s = v["server"]
            if v["root"]:
                image = rng.choice(images)
                parent = image["root_volume"]["id"]
            else:
                parent = rng.choice(snap_ids) if snap_ids and rng.random() < 0.1 else None
            obj = {"id": v["id"], "name": self._block_name(v),
                   "type": v["type"], "size": v["size"], "project_id": v["project"],
                   "created_at": ts_z(v["created"]),
                   "updated_at": ts_z(g.after(v["created"], 60)),
                   "references": ([{"id": g.uuid(), "product_resource_type": "instance_server",
                                    "product_resource_id": s["id"],
                                    "created_at": ts_z(v["created"] + 0.6),
                                    "type": "exclusive", "status": "attached"}] if s else []),
                   "parent_snapshot_id": parent,
                   "status": "in_use" if s else "available", "tags": g.tags(0.7, 2),
                   "specs": {"perf_iops": v["iops"], "class": "sbs"},
                   "last_detached_at": (None if s or rng.random() < 0.5 else
                                        ts_z(g.after(v["created"], 100))),
                   "zone": zone}
            out.append((v["created"], v["id"], obj))
        self._store_zonal("block_volumes", zone, out, compact, reverse=False, wrap=None)

        out = []
        for snap in bsnaps:
            p = snap["parent"]
            created = snap["created"]
            obj = {"id": snap["id"],
                   "name": f"{self._block_name(p) if p else 'orphan'}-snap-"
                           f"{dt.datetime.fromtimestamp(created, dt.timezone.utc):%Y%m%d}",
                   "parent_volume": ({"id": p["id"], "name": self._block_name(p),
                                      "type": p["type"],
                                      "status": "in_use" if p["server"] else "available"}
                                     if p else None),
                   "size": snap["size"], "project_id": snap["project"],
                   "created_at": ts_z(created),
                   "updated_at": ts_z(created + rng.uniform(5, 600)),
                   "references": [], "status": "available" if rng.random() < 0.98 else "error",
                   "tags": g.tags(0.6, 2), "class": "sbs", "zone": zone}
            out.append((created, snap["id"], obj))
        self._store_zonal("block_snapshots", zone, out, compact, reverse=False, wrap=None)

    @staticmethod
    def _block_name(v) -> str:
        s = v["server"]
        if s and v["root"]:
            return f"{s['name']}-root"
        if s:
            return f"{s['name']}-data-{v['id'][:4]}"
        return f"vol-{v['id'][:8]}"

    @staticmethod
    def _local_name(v) -> str:
        s = v["server"]
        return f"{s['name']}-{'root' if v['root'] else 'disk'}" if s else f"local-{v['id'][:8]}"

    def _local_volume(self, v, zone) -> dict:
        s = v["server"]
        g = self.g
        return {"id": v["id"], "name": self._local_name(v), "volume_type": v["vtype"],
                "export_uri": None, "organization": self.org_id, "project": v["project"],
                "server": {"id": s["id"], "name": s["name"]} if s else None,
                "size": v["size"], "state": "available",
                "creation_date": ts_offset(v["created"]),
                "modification_date": ts_offset(g.after(v["created"], 30)),
                "tags": [], "zone": zone}

    def _server_json(self, s, zone, images, security_groups, private_networks) -> dict:
        g, rng = self.g, self.g.rng
        created = s["created"]
        state = rng.choices(["running", "stopped", "stopped in place"], [0.78, 0.18, 0.04])[0]
        local = s["local"]
        image = dict(rng.choice(images))
        volumes = {}
        for pos, (kind, v) in enumerate(s["volumes"]):
            if kind == "sbs":
                entry = {"boot": False, "volume_type": "sbs_volume", "id": v["id"]}
                if rng.random() < 0.5:
                    entry["state"] = "available"
                entry["zone"] = zone
            else:
                entry = {"boot": False, **self._local_volume(v, zone)}
            volumes[str(pos)] = entry
        public_ips = []
        for ip in s["ips"]:
            if ip["family"] == "inet":
                public_ips.append({"id": ip["id"], "address": ip["address"], "dynamic": False,
                                   "gateway": "62.210.0.1", "netmask": "32", "family": "inet",
                                   "provisioning_mode": "dhcp", "tags": [],
                                   "state": "attached", "ipam_id": ip["ipam_id"]})
            else:
                base = ip["prefix"].split("/")[0]
                public_ips.append({"id": ip["id"], "address": base + "1", "dynamic": False,
                                   "gateway": "fe80::a4f5:8eff:fe6b:ee1c", "netmask": "64",
                                   "family": "inet6", "provisioning_mode": "slaac",
                                   "tags": [], "state": "attached", "ipam_id": ip["ipam_id"]})
        running = state == "running"
        actions = (["poweroff", "terminate", "reboot", "stop_in_place", "backup"] if running
                   else ["poweron", "backup"])
        nics = []
        if rng.random() < 0.2:
            nic_created = g.after(created, 10)
            nics.append({"creation_date": ts_offset(nic_created), "id": g.uuid(),
                         "ipam_ip_ids": [g.uuid(), g.uuid()], "mac_address": g.mac("02:00:00"),
                         "modification_date": ts_offset(nic_created + 50),
                         "private_network_id": rng.choice(private_networks),
                         "server_id": s["id"], "state": "available", "tags": [],
                         "zone": zone})
        sg = security_groups[0] if rng.random() < 0.6 else rng.choice(security_groups)
        commercial = rng.choice(SERVER_TYPES_LOCAL if local else SERVER_TYPES_SBS)
        return {
            "id": s["id"], "name": s["name"], "arch": "x86_64",
            "commercial_type": commercial, "boot_type": "local",
            "organization": self.org_id, "project": s["project"], "hostname": s["name"],
            "image": image, "volumes": volumes, "tags": g.tags(0.5, 3), "state": state,
            "protected": rng.random() < 0.05,
            "state_detail": "booted" if running else "",
            "public_ip": public_ips[0] if public_ips else None, "public_ips": public_ips,
            "mac_address": g.mac(), "routed_ip_enabled": True, "ipv6": None,
            "extra_networks": [], "dynamic_ip_required": False, "enable_ipv6": False,
            "private_ip": None, "creation_date": ts_offset(created),
            "modification_date": ts_offset(g.after(created, 200)), "bootscript": None,
            "security_group": sg,
            "location": ({"zone_id": zone, "platform_id": str(rng.randint(10, 40)),
                          "cluster_id": str(rng.randint(1, 120)),
                          "hypervisor_id": str(rng.randint(100, 999)),
                          "node_id": str(rng.randint(1, 40))} if running else None),
            "maintenances": [], "allowed_actions": actions, "placement_group": None,
            "private_nics": nics, "zone": zone, "filesystems": [], "end_of_service": False,
            "dns": f"{s['id']}.pub." + ("instance.scw.eu" if zone == "it-mil-1"
                                        else "instances.scw.cloud"),
        }

    def _store_zonal(self, kind, zone, dated, dump, reverse, wrap):
        dated.sort(key=lambda p: p[0], reverse=reverse)
        out = []
        for _, oid, obj in dated:
            body = dump(obj)
            out.append(body)
            self.single[(kind, zone, oid)] = (dump({wrap: obj}) if wrap else body)
        self.lists[(kind, zone)] = out

    # -- counts ------------------------------------------------------------------------

    def table_counts(self, unavailable=frozenset()) -> dict[str, int]:
        """Rows an inventory of what is served should hold, per table."""
        counts = collections.Counter({"organizations": 1})
        for (kind, zone), items in self.lists.items():
            counts[TABLE_OF[kind]] += 0 if (kind, zone) in unavailable else len(items)
        return dict(sorted(counts.items()))

    def served_kind_counts(self, unavailable=frozenset()) -> dict[str, int]:
        counts = collections.Counter({k: 0 for k in self.kind_counts})
        for (kind, zone), items in self.lists.items():
            counts[kind] += 0 if (kind, zone) in unavailable else len(items)
        return dict(counts)

    def minimum_requests(self, unavailable: set) -> dict[str, int]:
        """Requests a perfect client needs at page size 100 with inv's default zones:
        one per page of every (kind, zone) listing (at least one, an empty or absent
        listing still costs its request), plus GET organizations/{id}, plus the two
        discovery GETs (api-keys/{access_key}, then its bearer) when no organization ID
        is configured."""
        pages = 0
        scopes = 0
        for (kind, zone), items in self.lists.items():
            scopes += 1
            if (kind, zone) in unavailable:
                pages += 1
            else:
                pages += max(1, math.ceil(len(items) / PAGE_SIZE_INV))
        return {"list_scopes": scopes, "list_pages": pages,
                "with_discovery": pages + 1 + 2, "without_discovery": pages + 1}


def _cumsum(values):
    total = 0.0
    for v in values:
        total += v
        yield total


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


# --------------------------------------------------------------------------------------
# Rate limiting (reference 1.5: Envoy-based gateway, limit ~100 requests/s, no headers)
# --------------------------------------------------------------------------------------


class TokenBucket:
    """Continuous token bucket: `rate` tokens/s, at most `burst` banked; a request
    takes one token or is refused (refused requests take nothing). This is how Envoy's
    local rate limit filter works (with a continuous refill instead of a stepped one)."""

    name = "bucket"

    def __init__(self, rate: float, burst: float):
        self.rate, self.burst = rate, burst
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.tokens, self.last = self.burst, None

    def allow(self, now: float) -> bool:
        with self.lock:
            if self.last is not None:
                self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens >= 1.0:
                self.tokens -= 1.0
                return True
            return False


class SlidingWindow:
    """Sliding one-second window: a request is accepted when fewer than `rate` requests
    were accepted in the second before it (refused requests are not counted). The
    strictest reading of "100 requests/s": no one-second interval ever holds more."""

    name = "window"

    def __init__(self, rate: float, burst: float):
        self.limit = max(1, int(rate))
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.accepted = collections.deque()

    def allow(self, now: float) -> bool:
        with self.lock:
            q = self.accepted
            while q and q[0] <= now - 1.0:
                q.popleft()
            if len(q) < self.limit:
                q.append(now)
                return True
            return False


class FixedWindow:
    """Fixed one-second windows (counters per wall-clock second, as Envoy's global
    rate-limit service keeps them); refused requests are not counted."""

    name = "fixed"

    def __init__(self, rate: float, burst: float):
        self.limit = max(1, int(rate))
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.second, self.count = None, 0

    def allow(self, now: float) -> bool:
        second = math.floor(time.time())
        with self.lock:
            if second != self.second:
                self.second, self.count = second, 0
            if self.count < self.limit:
                self.count += 1
                return True
            return False


class Unlimited:
    name = "none"

    def __init__(self, *_):
        pass

    def reset(self):
        pass

    def allow(self, now):
        return True


LIMITERS = {"bucket": TokenBucket, "window": SlidingWindow, "fixed": FixedWindow,
            "none": Unlimited}

# --------------------------------------------------------------------------------------
# Counters
# --------------------------------------------------------------------------------------


class Stats:
    def __init__(self, app: "App"):
        self.app = app
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.requests = 0
            self.by_status = collections.Counter()
            self.by_route = collections.Counter()
            self.in_flight = 0
            self.max_in_flight = 0
            self.first = None
            self.last_done = None
            self.first_epoch = None   # wall-clock times, to line up with the client's
            self.last_done_epoch = None
            self.seen = collections.Counter()       # path?query -> times requested
            self.answered = set()                   # path?query answered 2xx
            self.repeated = 0                       # same URL asked again
            self.repeated_after_success = 0         # ... although it had been answered
            self.notes = collections.Counter()      # wrong or surprising requests
            self.examples = {}                      # note -> first request showing it
            self.bytes_out = 0

    def begin(self, now: float, url: str) -> None:
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if self.first is None:
                self.first = now
                self.first_epoch = time.time() - (time.monotonic() - now)
            if self.seen[url]:
                self.repeated += 1
                if url in self.answered:
                    self.repeated_after_success += 1
            self.seen[url] += 1

    def end(self, now: float, url: str, route: str, status: int, size: int) -> None:
        with self.lock:
            self.in_flight -= 1
            self.last_done = now
            self.last_done_epoch = time.time()
            self.by_status[status] += 1
            self.by_route[route] += 1
            self.bytes_out += size
            if 200 <= status < 300:
                self.answered.add(url)

    def note(self, what: str, url: str) -> None:
        with self.lock:
            self.notes[what] += 1
            self.examples.setdefault(what, url)

    def snapshot(self) -> dict:
        app = self.app
        with self.lock:
            return {
                "requests": self.requests,
                "throttled_429": self.by_status.get(429, 0),
                "max_in_flight": self.max_in_flight,
                "minimum_requests": app.minimum["with_discovery"],
                "minimum_requests_without_discovery": app.minimum["without_discovery"],
                "list_scopes": app.minimum["list_scopes"],
                "list_pages": app.minimum["list_pages"],
                "repeated_requests": self.repeated,
                "repeated_after_success": self.repeated_after_success,
                "span_s": (round(self.last_done - self.first, 4)
                           if self.first is not None and self.last_done is not None else None),
                "first_arrival_epoch": self.first_epoch,
                "last_done_epoch": self.last_done_epoch,
                "by_status": {str(k): v for k, v in sorted(self.by_status.items())},
                "by_route": dict(sorted(self.by_route.items())),
                "notes": dict(self.notes),
                "note_examples": dict(self.examples),
                "bytes_out": self.bytes_out,
                "objects": app.org.total,
                "kinds": app.org.served_kind_counts(app.unavailable),
                "tables": app.org.table_counts(app.unavailable),
                # join rows implied by what is served (not worked out with --unavailable)
                "links": None if app.unavailable else dict(sorted(app.org.links.items())),
                "settings": {"latency_ms": app.args.latency_ms, "rate": app.args.rate,
                             "limiter": app.limiter.name, "burst": app.args.burst,
                             "seed": app.args.seed, "spread": app.args.spread,
                             "unavailable": sorted(f"{k}:{z}" for k, z in app.unavailable)},
            }


# --------------------------------------------------------------------------------------
# The API
# --------------------------------------------------------------------------------------

# route name -> (product, collection, list key, paging style, org filter, 404 resource)
COLLECTIONS = {
    ("account", "projects"): ("projects", "projects", "page_size", "organization_id", "project"),
    ("iam", "users"): ("users", "users", "page_size", "organization_id", "user"),
    ("iam", "applications"): ("applications", "applications", "page_size", "organization_id",
                              "application"),
    ("iam", "groups"): ("groups", "groups", "page_size", "organization_id", "group"),
    ("iam", "api-keys"): ("api_keys", "api_keys", "page_size", "organization_id", "api_key"),
    ("instance", "servers"): ("servers", "servers", "per_page", "organization",
                              "instance_server"),
    ("instance", "ips"): ("ips", "ips", "per_page", "organization", "instance_ip"),
    ("instance", "volumes"): ("instance_volumes", "volumes", "per_page", "organization",
                              "instance_volume"),
    ("instance", "snapshots"): ("instance_snapshots", "snapshots", "per_page", "organization",
                                "instance_snapshot"),
    ("block", "volumes"): ("block_volumes", "volumes", "page_size", "organization_id", "volume"),
    ("block", "snapshots"): ("block_snapshots", "snapshots", "page_size", "organization_id",
                             "snapshot"),
}
# Collections of the same products inv does not read: served empty, correctly enveloped.
EMPTY_COLLECTIONS = {
    ("iam", "ssh-keys"): ("ssh_keys", "page_size", "organization_id"),
    ("iam", "policies"): ("policies", "page_size", "organization_id"),
    ("iam", "permission-sets"): ("permission_sets", "page_size", "organization_id"),
    ("instance", "security_groups"): ("security_groups", "per_page", "organization"),
    ("instance", "placement_groups"): ("placement_groups", "per_page", "organization"),
    ("instance", "images"): ("images", "per_page", "organization"),
    ("vpc", "vpcs"): ("vpcs", "page_size", "organization_id"),
    ("vpc", "private-networks"): ("private_networks", "page_size", "organization_id"),
}
DEFAULT_PAGE_SIZE = {"account": 50, "iam": 20, "instance": 50, "block": 50, "vpc": 50}
REGIONS = sorted({region_of(z) for z in ZONES})

NOT_FOUND_ROUTE = b'{"message":"Not Found"}'
UNKNOWN_SERVICE = b'{"message": "unknown service"}'
JSON = "application/json"


def err(status, **fields) -> tuple[int, list, bytes]:
    return status, [("Content-Type", JSON)], compact(fields)


def not_found(resource, rid):
    return err(404, message="resource is not found", resource=resource, resource_id=rid,
               type="not_found")


def invalid_argument(name, reason, help_message):
    return err(400, type="invalid_arguments", message="invalid argument(s)",
               details=[{"argument_name": name, "reason": reason,
                         "help_message": help_message}])


class App:
    def __init__(self, args, org: Org):
        self.args = args
        self.org = org
        self.unavailable = set()
        for spec in args.unavailable:
            kind, _, zone = spec.partition(":")
            if kind not in ZONAL_KINDS or zone not in ZONES:
                raise SystemExit(f"--unavailable {spec}: expected KIND:ZONE with KIND one of "
                                 f"{', '.join(ZONAL_KINDS)} and a zone of {', '.join(ZONES)}")
            self.unavailable.add((kind, zone))
        self.minimum = org.minimum_requests(self.unavailable)
        self.limiter = LIMITERS[args.limiter](args.rate, args.burst or args.rate)
        self.stats = Stats(self)
        self.log = open(args.log, "a", buffering=1) if args.log else None
        self.t0 = time.monotonic()

    # Returns (route label, status, headers, body).
    def route(self, method: str, path: str, query: list, token: str | None):
        if method != "GET":
            return "other", *err(405, message="this fake API is read-only",
                                 type="invalid_request_error")
        if path == "/metadata":
            return "GET /metadata", 200, [("Content-Type", JSON)], compact(
                {"platform": "external", "partition": "scw", "domain": "scw.eu"})
        if token is None or token != self.org.secret_key:
            # reference 1.4 / 5.20: unknown or missing secret key
            return "unauthorized", *err(401, message="authentication is denied",
                                        method="api_key", reason="not_found",
                                        type="denied_authentication")
        parts = [p for p in path.split("/") if p]
        # /{product}/{version}/...
        if len(parts) < 3:
            return "unknown path", 404, [("Content-Type", JSON)], NOT_FOUND_ROUTE
        product, version, rest = parts[0], parts[1], parts[2:]
        expected_version = {"account": "v3", "iam": "v1alpha1", "instance": "v1",
                            "block": "v1alpha1", "vpc": "v2"}.get(product)
        if expected_version is None or version != expected_version:
            return "unknown path", 404, [("Content-Type", JSON)], NOT_FOUND_ROUTE
        zone = None
        if product in ("instance", "block"):
            if len(rest) < 3 or rest[0] != "zones":
                return "unknown path", 404, [("Content-Type", JSON)], NOT_FOUND_ROUTE
            zone, rest = rest[1], rest[2:]
            if zone not in ZONES:
                return f"GET /{product}/{version}/zones/?/...", 501, \
                    [("Content-Type", JSON)], UNKNOWN_SERVICE
        elif product == "vpc":
            if len(rest) < 3 or rest[0] != "regions":
                return "unknown path", 404, [("Content-Type", JSON)], NOT_FOUND_ROUTE
            if rest[1] not in REGIONS:
                return "GET /vpc/v2/regions/?/...", 501, [("Content-Type", JSON)], \
                    UNKNOWN_SERVICE
            rest = rest[2:]
        prefix = f"/{product}/{version}" + ("/zones/{zone}" if zone else "") + \
            ("/regions/{region}" if product == "vpc" else "")

        if product == "iam" and len(rest) == 2 and rest[0] == "organizations":
            label = f"GET {prefix}/organizations/{{id}}"
            if rest[1] != self.org.org_id:
                return label, *not_found("organization", rest[1])
            return label, 200, [("Content-Type", JSON)], compact(self.org.organization)

        collection = rest[0]
        key = (product, collection)
        if key in COLLECTIONS:
            kind, list_key, size_param, org_param, resource = COLLECTIONS[key]
            if (kind, zone) in self.unavailable:
                return f"GET {prefix}/{collection}", 501, [("Content-Type", JSON)], \
                    UNKNOWN_SERVICE
            if len(rest) == 1:
                label = f"GET {prefix}/{collection}"
                return (label, *self.listing(product, kind, zone, list_key, size_param,
                                             org_param, query, collection))
            if len(rest) == 2:
                label = f"GET {prefix}/{collection}/{{id}}"
                body = self.org.single.get((kind, zone, rest[1]))
                if body is None:
                    return label, *not_found(resource, rest[1])
                return label, 200, [("Content-Type", JSON)], body
            return "unknown path", 404, [("Content-Type", JSON)], NOT_FOUND_ROUTE
        if key in EMPTY_COLLECTIONS and len(rest) == 1:
            list_key, size_param, org_param = EMPTY_COLLECTIONS[key]
            label = f"GET {prefix}/{collection}"
            return (label, *self.listing(product, None, zone, list_key, size_param, org_param,
                                         query, collection))
        return "unknown path", 404, [("Content-Type", JSON)], NOT_FOUND_ROUTE

    def listing(self, product, kind, zone, list_key, size_param, org_param, query, collection):
        params = {}
        for k, v in query:
            params.setdefault(k, v)
        known = {"page", size_param, org_param, "order", "order_by", "project", "project_id",
                 "name", "tags", "tag"}
        for k, _ in query:
            if k not in known:
                self.note(f"ignored query parameter {k!r}")
        # page
        try:
            page = int(params.get("page", "1"))
        except ValueError:
            return invalid_argument("page", "format", "page must be an integer")
        if page < 1:
            return invalid_argument("page", "constraint", "page must be greater than 0")
        default_size = DEFAULT_PAGE_SIZE[product]
        if size_param in params:
            try:
                size = int(params[size_param])
            except ValueError:
                return invalid_argument(size_param, "format", f"{size_param} must be an integer")
            if not 1 <= size <= MAX_PAGE_SIZE:
                return invalid_argument(size_param, "constraint",
                                        f"{size_param} must be between 1 and {MAX_PAGE_SIZE}")
        else:
            size = default_size
        if size != PAGE_SIZE_INV:
            self.note(f"list page size {size} (not {PAGE_SIZE_INV})")
        # organization filter
        items = self.org.lists.get((kind, zone), []) if kind else []
        if org_param in params:
            value = params[org_param]
            try:
                uuid.UUID(value)
            except ValueError:
                return invalid_argument(org_param, "format", "must be a valid UUID")
            if value != self.org.org_id:
                items = []
        else:
            self.note(f"list without {org_param}")
        total = len(items)
        start = (page - 1) * size
        chunk = items[start:start + size]
        if product == "instance":
            body = b'{"' + list_key.encode() + b'": [' + b", ".join(chunk) + b"]}"
            last = math.ceil(total / size)
            q = f"per_page={size}" + (f"&{org_param}={params[org_param]}"
                                      if org_param in params else "")
            links = []
            if page > 1:
                links.append(f'</{collection}?page=1&{q}>; rel="first"')
                links.append(f'</{collection}?page={page - 1}&{q}>; rel="previous"')
            if page < last:
                links.append(f'</{collection}?page={page + 1}&{q}>; rel="next"')
            links.append(f'</{collection}?page={last}&{q}>; rel="last"')
            headers = [("Content-Type", JSON), ("X-Total-Count", str(total)),
                       ("Link", ",".join(links))]
        else:
            body = (b'{"' + list_key.encode() + b'":[' + b",".join(chunk) +
                    b'],"total_count":' + str(total).encode() + b"}")
            headers = [("Content-Type", JSON)]
        if page > 1 and not chunk and total:
            self.note("page beyond the last one")
        return 200, headers, body

    def note(self, what):
        self.stats.note(what, getattr(_current, "url", "?"))


_current = threading.local()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def version_string(self):
        return "Scaleway API Gateway (fr-par-3;fake)"

    def log_message(self, fmt, *args):  # quiet: the counters tell what happened
        pass

    def do_GET(self):
        self.server.app_handle(self, "GET")

    def _other(self):
        self.close_connection = True
        self.server.app_handle(self, self.command)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _other


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def __init__(self, addr, app: App):
        self.app = app
        super().__init__(addr, Handler)

    def app_handle(self, h: Handler, method: str):
        arrival = time.monotonic()
        app = self.app
        url = h.path
        split = urlsplit(url)
        if split.path == "/__stats":
            query = dict(parse_qsl(split.query))
            snap = app.stats.snapshot()
            if query.get("reset"):
                app.stats.reset()
                app.limiter.reset()
            self._write(h, 200, [("Content-Type", JSON)], json.dumps(snap).encode())
            return
        _current.url = url
        app.stats.begin(arrival, url)
        status, size, label = 0, 0, "?"
        try:
            if not app.limiter.allow(arrival):
                label = "throttled"
                status, headers, body = 429, [("X-Envoy-Ratelimited", "true")], b""
                delay = app.args.throttle_latency_ms
            else:
                query = parse_qsl(split.query, keep_blank_values=True)
                label, status, headers, body = app.route(
                    method, split.path, query, h.headers.get("X-Auth-Token"))
                delay = app.args.latency_ms
                if status not in (200, 429, 501):
                    app.note(f"HTTP {status} on {label}")
            if delay:
                time.sleep(delay / 1000.0)
            size = len(body)
            self._write(h, status, headers, body)
        except (BrokenPipeError, ConnectionResetError):
            app.note("client closed the connection before the answer")
        finally:
            done = time.monotonic()
            app.stats.end(done, url, label, status, size)
            if app.log:
                app.log.write(json.dumps({
                    "t": round(arrival - app.t0, 4), "ms": round((done - arrival) * 1000, 1),
                    "method": method, "url": url, "status": status, "bytes": size,
                    "in_flight": app.stats.in_flight + 1}) + "\n")

    @staticmethod
    def _write(h: Handler, status: int, headers: list, body: bytes):
        h.send_response(status)
        for k, v in headers:
            h.send_header(k, v)
        h.send_header("X-Request-Id", str(uuid.uuid4()))
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if body and h.command != "HEAD":
            h.wfile.write(body)


# --------------------------------------------------------------------------------------
# Shape check against the recordings
# --------------------------------------------------------------------------------------

FIXTURE_FAMILY = {
    "projects": ("account_projects", None), "users": ("iam_users", None),
    "applications": ("iam_applications", None), "groups": ("iam_groups", None),
    "api_keys": ("iam_api_keys", None), "servers": ("instance_servers", "server"),
    "ips": ("instance_ips", "ip"), "instance_volumes": ("instance_volumes", "volume"),
    "instance_snapshots": ("instance_snapshots", "snapshot"),
    "block_volumes": ("block_volumes", None), "block_snapshots": ("block_snapshots", None),
}
LIST_KEY_OF = {"projects": "projects", "users": "users", "applications": "applications",
               "groups": "groups", "api_keys": "api_keys", "servers": "servers",
               "ips": "ips", "instance_volumes": "volumes", "instance_snapshots": "snapshots",
               "block_volumes": "volumes", "block_snapshots": "snapshots"}


def check_shapes(org: Org, directory: str) -> int:
    """Compares the top-level keys and value types of the generated objects with the
    recorded ones, and their serialized sizes. Reads the recordings; copies nothing."""

    def jtype(v):
        return {dict: "obj", list: "list", str: "str", bool: "bool", int: "int",
                float: "num", type(None): "null"}[type(v)]

    problems = 0
    for kind, (family, wrap) in FIXTURE_FAMILY.items():
        recorded = []
        for name in (f"{family}.list.json", f"{family}.single.json",
                     f"history/{family}.list.json", f"history/{family}.single.json"):
            path = os.path.join(directory, name)
            if not os.path.exists(path):
                continue
            for rec in json.load(open(path)):
                body = rec.get("body")
                if not isinstance(body, dict) or rec.get("status") != 200:
                    continue
                if LIST_KEY_OF[kind] in body and isinstance(body[LIST_KEY_OF[kind]], list):
                    recorded += [o for o in body[LIST_KEY_OF[kind]] if isinstance(o, dict)]
                elif wrap and isinstance(body.get(wrap), dict):
                    recorded.append(body[wrap])
                elif not wrap and ("id" in body or "access_key" in body):
                    recorded.append(body)
        generated = [json.loads(b) for (k, _), items in org.lists.items() if k == kind
                     for b in items[:200]]
        rec_types = collections.defaultdict(set)
        for o in recorded:
            for k, v in o.items():
                rec_types[k].add(jtype(v))
        gen_types = collections.defaultdict(set)
        for o in generated:
            for k, v in o.items():
                gen_types[k].add(jtype(v))
        extra = sorted(set(gen_types) - set(rec_types))
        missing = sorted(k for k in rec_types if k not in gen_types)
        odd = sorted(k for k in gen_types if k in rec_types
                     and not gen_types[k] <= rec_types[k])
        size = lambda objs: (sum(len(json.dumps(o)) for o in objs) / len(objs)) if objs else 0
        line = (f"{kind:20s} recorded {len(recorded):4d} objs avg {size(recorded):6.0f} B | "
                f"generated avg {size(generated):6.0f} B")
        print(line)
        if extra:
            print(f"    keys never recorded: {extra}")
            problems += 1
        if missing:
            print(f"    recorded keys not generated: {missing}")
        if odd:
            print(f"    types never recorded: " + ", ".join(
                f"{k}: {sorted(gen_types[k] - rec_types[k])}" for k in odd))
            problems += 1
    return problems


# --------------------------------------------------------------------------------------


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--objects", type=int, default=1000,
                   help="objects in the organization, all kinds together")
    p.add_argument("--seed", type=int, default=1, help="same seed, same organization")
    p.add_argument("--spread", choices=["skewed", "even"], default="skewed",
                   help="how zonal objects are spread over the ten zones")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--latency-ms", type=float, default=30.0,
                   help="sleep before answering each request")
    p.add_argument("--throttle-latency-ms", type=float, default=None,
                   help="sleep before a 429 (default: the --latency-ms value)")
    p.add_argument("--rate", type=float, default=100.0, help="requests/s limit")
    p.add_argument("--limiter", choices=sorted(LIMITERS), default="bucket",
                   help="bucket: token bucket; window: sliding 1-s window; "
                        "fixed: per wall-clock second; none")
    p.add_argument("--burst", type=float, default=None,
                   help="token bucket capacity (default: --rate, one second's worth)")
    p.add_argument("--unavailable", action="append", default=[], metavar="KIND:ZONE",
                   help="answer 501 unknown service for this listing, e.g. "
                        "block_volumes:it-mil-1 (repeatable)")
    p.add_argument("--log", help="append one JSON line per request to this file")
    p.add_argument("--check-shapes", metavar="DIR",
                   help="compare generated objects with the recordings in DIR and exit")
    args = p.parse_args(argv)
    if args.throttle_latency_ms is None:
        args.throttle_latency_ms = args.latency_ms

    started = time.monotonic()
    org = Org(args.objects, args.seed, args.spread)
    if args.check_shapes:
        return 1 if check_shapes(org, args.check_shapes) else 0
    app = App(args, org)
    server = Server((args.host, args.port), app)
    host, port = server.server_address[:2]
    print(f"http://{host}:{port}", flush=True)
    print(json.dumps({
        "access_key": org.access_key, "secret_key": org.secret_key,
        "organization_id": org.org_id, "objects": org.total,
        "tables": org.table_counts(), "links": dict(sorted(org.links.items())),
        "minimum_requests": app.minimum["with_discovery"],
        "minimum_requests_without_discovery": app.minimum["without_discovery"],
        "kinds": org.kind_counts, "generated_in_s": round(time.monotonic() - started, 2),
    }), flush=True)

    def on_signal(signum, frame):
        sys.stdout.write(json.dumps(app.stats.snapshot()) + "\n")
        sys.stdout.flush()
        os._exit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server.serve_forever(poll_interval=0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

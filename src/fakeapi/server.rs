//! The fake API's HTTP server: world indexing, routes, authentication, pagination, filters, error bodies and fault application.
//!
//! The world is indexed once (each object serialized once, grouped per kind,
//! zone and organization), so a list request costs one slice of prepared
//! strings. Routing is done by hand in one fallback handler so that every
//! unknown path or method still gets a JSON error body.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Query, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::serve::{IncomingStream, Listener};
use axum::Router;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::faults::{self, FaultAction, FaultState, Faults};
use super::stats::{Stats, StatsSnapshot};
use super::world::{wire, World, BLOCK_ZONES, INSTANCE_ZONES};

/// The `Server` header of every response.
pub const SERVER_HEADER: &str = "Scaleway API Gateway (fake)";

/// Entry points of the fake API (also available as free functions).
pub struct FakeApi;

impl FakeApi {
    /// Serves `world` on `127.0.0.1:<random port>` on the current tokio runtime.
    pub async fn start(world: World, faults: Faults) -> io::Result<FakeApiHandle> {
        start(world, faults).await
    }

    /// Serves `world` from a background thread with its own runtime.
    pub fn start_in_thread(world: World, faults: Faults) -> io::Result<FakeApiHandle> {
        start_in_thread(world, faults)
    }
}

/// Serves `world` on `127.0.0.1:<random port>` on the current tokio runtime,
/// until [`FakeApiHandle::shutdown`] or the handle is dropped.
pub async fn start(world: World, faults: Faults) -> io::Result<FakeApiHandle> {
    start_on(world, faults, SocketAddr::from(([127, 0, 0, 1], 0))).await
}

/// Like [`start`], on a chosen address (port 0 = any free port).
pub async fn start_on(world: World, faults: Faults, addr: SocketAddr) -> io::Result<FakeApiHandle> {
    let (shared, addr) = launch(world, faults, addr).await?;
    Ok(FakeApiHandle {
        shared,
        addr,
        thread: Mutex::new(None),
    })
}

/// Serves `world` on `127.0.0.1:<random port>` from a background thread
/// running its own multi-thread tokio runtime, for tests that are not async.
/// Serving stops when the handle is shut down or dropped.
pub fn start_in_thread(world: World, faults: Faults) -> io::Result<FakeApiHandle> {
    let (tx, rx) = std::sync::mpsc::channel::<io::Result<(Arc<Shared>, SocketAddr)>>();
    let thread = std::thread::Builder::new()
        .name("fakeapi".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("fakeapi-worker")
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            };
            let addr = SocketAddr::from(([127, 0, 0, 1], 0));
            match rt.block_on(launch(world, faults, addr)) {
                Err(e) => {
                    let _ = tx.send(Err(e));
                }
                Ok((shared, addr)) => {
                    let mut stop = shared.shutdown.subscribe();
                    if tx.send(Ok((shared, addr))).is_ok() {
                        rt.block_on(async {
                            let _ = stop.wait_for(|v| *v).await;
                        });
                    }
                }
            }
            rt.shutdown_timeout(Duration::from_secs(1));
        })?;
    match rx.recv() {
        Ok(Ok((shared, addr))) => Ok(FakeApiHandle {
            shared,
            addr,
            thread: Mutex::new(Some(thread)),
        }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => Err(io::Error::other(
            "the fake API thread exited before serving",
        )),
    }
}

/// A running fake API. Dropping it stops the server.
pub struct FakeApiHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl std::fmt::Debug for FakeApiHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeApiHandle")
            .field("addr", &self.addr)
            .finish()
    }
}

impl FakeApiHandle {
    /// Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The request counters.
    pub fn stats(&self) -> StatsSnapshot {
        self.shared.stats.snapshot()
    }

    /// Zeroes the request counters.
    pub fn reset_stats(&self) {
        self.shared.stats.reset();
    }

    /// Replaces the served world (e.g. between two syncs). Requests already
    /// being answered finish with the old world.
    pub fn set_world(&self, world: World) {
        let index = Arc::new(Index::build(&world));
        drop_in_background(world);
        let old = match self.shared.world.write() {
            Ok(mut w) => std::mem::replace(&mut *w, index),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), index),
        };
        drop_in_background(old);
    }

    /// Replaces the faults; rule counters and the rate limiter start afresh.
    pub fn set_faults(&self, faults: Faults) {
        let state = Arc::new(FaultState::new(faults));
        match self.shared.faults.write() {
            Ok(mut f) => *f = state,
            Err(poisoned) => *poisoned.into_inner() = state,
        }
    }

    /// Stops accepting connections, releases hanging requests and, for a
    /// server started with [`start_in_thread`], waits for its thread.
    pub fn shutdown(&self) {
        self.shared.shutdown.send_replace(true);
        let thread = match self.thread.lock() {
            Ok(mut t) => t.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(t) = thread {
            let _ = t.join();
        }
    }
}

impl Drop for FakeApiHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// State shared by the handle and every request handler.
struct Shared {
    world: RwLock<Arc<Index>>,
    faults: RwLock<Arc<FaultState>>,
    stats: Stats,
    shutdown: watch::Sender<bool>,
}

impl Shared {
    fn index(&self) -> Arc<Index> {
        match self.world.read() {
            Ok(w) => Arc::clone(&w),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn fault_state(&self) -> Arc<FaultState> {
        match self.faults.read() {
            Ok(f) => Arc::clone(&f),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }
}

async fn launch(
    world: World,
    faults: Faults,
    addr: SocketAddr,
) -> io::Result<(Arc<Shared>, SocketAddr)> {
    let index = Index::build(&world);
    drop_in_background(world);
    let (shutdown, _) = watch::channel(false);
    let shared = Arc::new(Shared {
        world: RwLock::new(Arc::new(index)),
        faults: RwLock::new(Arc::new(FaultState::new(faults))),
        stats: Stats::default(),
        shutdown,
    });
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let mut stop = shared.shutdown.subscribe();
    let app = Router::new()
        .fallback(handle)
        .with_state(Arc::clone(&shared))
        .into_make_service_with_connect_info::<Cut>();
    tokio::spawn(async move {
        let served = axum::serve(CutListener(listener), app)
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|v| *v).await;
            })
            .await;
        if let Err(e) = served {
            tracing::warn!("fake API server stopped: {e}");
        }
    });
    Ok((shared, local))
}

/// Frees a large value on another thread: freeing a 100k-object world takes
/// about a second, which the caller should not wait for.
fn drop_in_background<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("fakeapi-drop".into())
        .spawn(move || drop(value));
    // If no thread can be spawned the value was dropped with the closure.
    drop(spawned);
}

// ---------------------------------------------------------------------------
// Connections that a handler can cut (for `FaultAction::DropConnection`)

/// Per-connection switch: once armed with `n`, the connection lets the next
/// response's head and `n` bytes of its body out, then fails every write, so
/// hyper closes the socket mid-body.
#[derive(Debug, Clone)]
struct Cut(Arc<AtomicUsize>);

const NOT_ARMED: usize = usize::MAX;

impl Cut {
    fn arm(&self, body_bytes: usize) {
        self.0
            .store(body_bytes.min(NOT_ARMED - 1), Ordering::SeqCst);
    }
}

impl Connected<IncomingStream<'_, CutListener>> for Cut {
    fn connect_info(stream: IncomingStream<'_, CutListener>) -> Self {
        stream.io().cut.clone()
    }
}

/// A TCP listener whose connections are [`CutIo`]s (with `TCP_NODELAY`).
struct CutListener(TcpListener);

impl Listener for CutListener {
    type Io = CutIo;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (CutIo, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let io = CutIo {
                        inner: stream,
                        cut: Cut(Arc::new(AtomicUsize::new(NOT_ARMED))),
                        phase: Phase::Normal,
                    };
                    return (io, addr);
                }
                // Out of file descriptors and the like: wait, as axum does.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    Normal,
    /// Writing the head: `matched` bytes of `\r\n\r\n` seen so far.
    Head {
        matched: u8,
        budget: usize,
    },
    /// Writing the body: `remaining` bytes may still go out.
    Body {
        remaining: usize,
    },
}

struct CutIo {
    inner: tokio::net::TcpStream,
    cut: Cut,
    phase: Phase,
}

impl CutIo {
    /// How many bytes of `buf` may be written now.
    fn allowance(&self, buf: &[u8]) -> usize {
        match self.phase {
            Phase::Normal => buf.len(),
            Phase::Body { remaining } => remaining.min(buf.len()),
            Phase::Head {
                mut matched,
                budget,
            } => {
                for (i, &b) in buf.iter().enumerate() {
                    matched = advance(matched, b);
                    if matched == 4 {
                        return (i + 1).saturating_add(budget).min(buf.len());
                    }
                }
                buf.len()
            }
        }
    }

    /// Accounts for `written` bytes of `buf` having gone out.
    fn consumed(&mut self, buf: &[u8]) {
        match self.phase {
            Phase::Normal => {}
            Phase::Body { remaining } => {
                self.phase = Phase::Body {
                    remaining: remaining - buf.len().min(remaining),
                }
            }
            Phase::Head {
                mut matched,
                budget,
            } => {
                for (i, &b) in buf.iter().enumerate() {
                    matched = advance(matched, b);
                    if matched == 4 {
                        let body = buf.len() - i - 1;
                        self.phase = Phase::Body {
                            remaining: budget.saturating_sub(body),
                        };
                        return;
                    }
                }
                self.phase = Phase::Head { matched, budget };
            }
        }
    }
}

/// Progress in matching `\r\n\r\n`.
fn advance(matched: u8, b: u8) -> u8 {
    let want = if matched % 2 == 0 { b'\r' } else { b'\n' };
    if b == want {
        matched + 1
    } else if b == b'\r' {
        1
    } else {
        0
    }
}

impl tokio::io::AsyncRead for CutIo {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for CutIo {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<io::Result<usize>> {
        use std::task::Poll;
        if let Phase::Normal = self.phase {
            let armed = self.cut.0.swap(NOT_ARMED, Ordering::SeqCst);
            if armed != NOT_ARMED {
                self.phase = Phase::Head {
                    matched: 0,
                    budget: armed,
                };
            }
        }
        let allowed = self.allowance(buf);
        if allowed == 0 && !buf.is_empty() {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "fake API: connection dropped mid-response (fault injection)",
            )));
        }
        match std::pin::Pin::new(&mut self.inner).poll_write(cx, &buf[..allowed]) {
            Poll::Ready(Ok(n)) => {
                self.consumed(&buf[..n]);
                Poll::Ready(Ok(n))
            }
            other => other,
        }
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

// ---------------------------------------------------------------------------
// World index

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Projects,
    Users,
    Groups,
    Applications,
    ApiKeys,
    Servers,
    Ips,
    Volumes,
    Snapshots,
    BlockVolumes,
    BlockSnapshots,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    Account,
    Iam,
    Instance,
    Block,
}

impl Kind {
    fn api(self) -> Api {
        match self {
            Kind::Projects => Api::Account,
            Kind::Users | Kind::Groups | Kind::Applications | Kind::ApiKeys => Api::Iam,
            Kind::Servers | Kind::Ips | Kind::Volumes | Kind::Snapshots => Api::Instance,
            Kind::BlockVolumes | Kind::BlockSnapshots => Api::Block,
        }
    }

    /// Key of the list in a list body.
    fn list_key(self) -> &'static str {
        match self {
            Kind::Projects => "projects",
            Kind::Users => "users",
            Kind::Groups => "groups",
            Kind::Applications => "applications",
            Kind::ApiKeys => "api_keys",
            Kind::Servers => "servers",
            Kind::Ips => "ips",
            Kind::Volumes | Kind::BlockVolumes => "volumes",
            Kind::Snapshots | Kind::BlockSnapshots => "snapshots",
        }
    }

    /// Key wrapping an Instance single object.
    fn single_key(self) -> &'static str {
        match self {
            Kind::Servers => "server",
            Kind::Ips => "ip",
            Kind::Volumes => "volume",
            _ => "snapshot",
        }
    }

    /// `resource` of a `permissions_denied` detail.
    fn resource(self) -> &'static str {
        match self {
            Kind::Projects => "project",
            Kind::Users => "user",
            Kind::Groups => "group",
            Kind::Applications => "application",
            Kind::ApiKeys => "api_key",
            Kind::Servers => "server",
            Kind::Ips => "ip",
            Kind::Volumes | Kind::BlockVolumes => "volume",
            Kind::Snapshots | Kind::BlockSnapshots => "snapshot",
        }
    }

    /// `resource` of a `not_found` body, as recorded.
    fn not_found_resource(self) -> &'static str {
        match self {
            Kind::Projects => "project_id",
            Kind::Users => "user",
            Kind::Groups => "group",
            Kind::Applications => "application",
            Kind::ApiKeys => "access_key",
            Kind::Servers => "instance_server",
            Kind::Ips => "instance_ip",
            Kind::Volumes => "instance_volume",
            Kind::Snapshots => "instance_snapshot",
            Kind::BlockVolumes => "volume",
            Kind::BlockSnapshots => "snapshot",
        }
    }

    /// Field holding the object's key in the path of a single GET.
    fn id_field(self) -> &'static str {
        match self {
            Kind::ApiKeys => "access_key",
            _ => "id",
        }
    }

    /// Field holding the project, for the `project`/`project_id` filters.
    fn project_field(self) -> Option<&'static str> {
        match self.api() {
            Api::Instance => Some("project"),
            Api::Block => Some("project_id"),
            _ => None,
        }
    }
}

/// One prepared object.
struct Item {
    org: Arc<str>,
    project: Option<Box<str>>,
    json: Box<str>,
}

/// Every object of one kind (in one zone), in world order.
#[derive(Default)]
struct Listing {
    items: Vec<Item>,
    by_org: HashMap<Arc<str>, Vec<usize>>,
    by_key: HashMap<Box<str>, usize>,
}

impl Listing {
    fn push(&mut self, kind: Kind, org: &Arc<str>, obj: &Value) {
        let json = match serde_json::to_string(obj) {
            Ok(s) => s.into_boxed_str(),
            Err(_) => return,
        };
        let project = kind
            .project_field()
            .and_then(|f| obj.get(f))
            .and_then(Value::as_str)
            .map(Into::into);
        let pos = self.items.len();
        if let Some(key) = obj.get(kind.id_field()).and_then(Value::as_str) {
            self.by_key.entry(key.into()).or_insert(pos);
        }
        if kind == Kind::Ips {
            if let Some(addr) = obj.get("address").and_then(Value::as_str) {
                self.by_key.entry(addr.into()).or_insert(pos);
            }
        }
        self.by_org.entry(Arc::clone(org)).or_default().push(pos);
        self.items.push(Item {
            org: Arc::clone(org),
            project,
            json,
        });
    }
}

/// The served world, prepared for fast answers.
struct Index {
    /// Organization id → name.
    orgs: HashMap<String, String>,
    /// Secret key → organization id.
    secrets: HashMap<String, Arc<str>>,
    global: HashMap<Kind, Listing>,
    zonal: HashMap<String, HashMap<Kind, Listing>>,
}

impl Index {
    fn build(world: &World) -> Index {
        let mut project_owner: HashMap<&str, Arc<str>> = HashMap::new();
        let mut org_ids: Vec<Arc<str>> = Vec::new();
        for org in &world.organizations {
            let id: Arc<str> = Arc::from(org.id.as_str());
            for p in &org.projects {
                if let Some(pid) = p.get("id").and_then(Value::as_str) {
                    project_owner.entry(pid).or_insert_with(|| Arc::clone(&id));
                }
            }
            org_ids.push(id);
        }
        let mut index = Index {
            orgs: HashMap::new(),
            secrets: world
                .credentials
                .iter()
                .map(|c| (c.secret_key.clone(), Arc::from(c.organization_id.as_str())))
                .collect(),
            global: HashMap::new(),
            zonal: HashMap::new(),
        };
        for (org, oid) in world.organizations.iter().zip(&org_ids) {
            index
                .orgs
                .entry(org.id.clone())
                .or_insert_with(|| org.name.clone());
            for (kind, objs) in [
                (Kind::Projects, &org.projects),
                (Kind::Users, &org.users),
                (Kind::Groups, &org.groups),
                (Kind::Applications, &org.applications),
                (Kind::ApiKeys, &org.api_keys),
            ] {
                let listing = index.global.entry(kind).or_default();
                for o in objs {
                    listing.push(kind, oid, o);
                }
            }
            for (zone, zw) in &org.zones {
                let zonal = index.zonal.entry(zone.clone()).or_default();
                for (kind, objs) in [
                    (Kind::Servers, &zw.servers),
                    (Kind::Ips, &zw.ips),
                    (Kind::Volumes, &zw.volumes),
                    (Kind::Snapshots, &zw.snapshots),
                    (Kind::BlockVolumes, &zw.block_volumes),
                    (Kind::BlockSnapshots, &zw.block_snapshots),
                ] {
                    let listing = zonal.entry(kind).or_default();
                    for o in objs {
                        let owner = if kind.api() == Api::Block {
                            o.get("project_id")
                                .and_then(Value::as_str)
                                .and_then(|p| project_owner.get(p))
                                .unwrap_or(oid)
                        } else {
                            oid
                        };
                        listing.push(kind, owner, o);
                    }
                }
            }
        }
        index
    }

    fn listing(&self, kind: Kind, zone: Option<&str>) -> Option<&Listing> {
        match zone {
            None => self.global.get(&kind),
            Some(z) => self.zonal.get(z).and_then(|m| m.get(&kind)),
        }
    }
}

// ---------------------------------------------------------------------------
// Replies

/// A response under construction (faults may still rewrite it).
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    json: bool,
    drop_connection: bool,
}

impl Reply {
    fn json(status: u16, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body,
            json: true,
            drop_connection: false,
        }
    }

    fn value(status: u16, body: &Value) -> Reply {
        Reply::json(status, body.to_string().into_bytes())
    }

    fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            json: false,
            drop_connection: false,
        }
    }

    /// The Envoy gateway 429.
    fn gateway_429() -> Reply {
        let mut r = Reply::empty(429);
        r.headers
            .push(("x-envoy-ratelimited".into(), "true".into()));
        r
    }

    fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut builder = Response::builder()
            .status(status)
            .header("x-request-id", wire::uuid_from_u128(rand::random::<u128>()))
            .header("server", SERVER_HEADER);
        let own_type = self
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
        if self.json && !own_type {
            builder = builder.header("content-type", "application/json");
        }
        for (name, value) in &self.headers {
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                builder = builder.header(n, v);
            }
        }
        let body = Body::from(self.body);
        builder
            .body(body)
            .unwrap_or_else(|_| Response::new(Body::empty()))
    }
}

fn denied_authentication() -> Reply {
    Reply::json(
        401,
        br#"{"message":"authentication is denied","method":"api_key","reason":"not_found","type":"denied_authentication"}"#
            .to_vec(),
    )
}

fn permissions_denied(resource: &str) -> Reply {
    Reply::value(
        403,
        &json!({"details": [{"action": "read", "resource": resource}], "message": "insufficient permissions", "type": "permissions_denied"}),
    )
}

fn invalid_argument(name: &str, reason: &str, help: &str) -> Reply {
    Reply::value(
        400,
        &json!({"type": "invalid_arguments", "message": "invalid argument(s)", "details": [{"argument_name": name, "reason": reason, "help_message": help}]}),
    )
}

fn not_found(kind: Kind, id: &str) -> Reply {
    let body = if kind.api() == Api::Instance {
        json!({"type": "not_found", "message": "resource is not found", "resource": kind.not_found_resource(), "resource_id": id})
    } else {
        json!({"message": "resource is not found", "resource": kind.not_found_resource(), "resource_id": id, "type": "not_found"})
    };
    Reply::value(404, &body)
}

fn unknown_route() -> Reply {
    Reply::json(404, br#"{"message":"Not Found"}"#.to_vec())
}

// ---------------------------------------------------------------------------
// Request handling

async fn handle(State(app): State<Arc<Shared>>, req: Request) -> Response {
    let method = req.method().clone();
    let uri = req.uri().clone();
    let path = uri.path();
    let query = uri.query().unwrap_or("");
    let _in_flight = app.stats.begin(method.as_str(), path, query);

    let fault_state = app.fault_state();
    if !fault_state.admit() {
        app.stats.too_many();
        return finish(&app, Reply::gateway_429());
    }
    let action = fault_state.pick(path, query).cloned();
    match &action {
        Some(FaultAction::TooManyRequests) => {
            app.stats.too_many();
            return finish(&app, Reply::gateway_429());
        }
        Some(FaultAction::RetryAfter { secs }) => {
            app.stats.too_many();
            let mut r = Reply::empty(429);
            r.headers.push(("retry-after".into(), secs.to_string()));
            return finish(&app, r);
        }
        Some(FaultAction::Hang) => {
            app.stats.injected();
            let mut stop = app.shutdown.subscribe();
            let _ = stop.wait_for(|v| *v).await;
            return finish(&app, Reply::empty(503));
        }
        Some(a) if !a.is_immediate() => app.stats.injected(),
        _ => {}
    }

    let latency = fault_state.faults.latency_ms;
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }

    if let Some(FaultAction::Status {
        status,
        body,
        headers,
    }) = &action
    {
        let mut r = Reply::empty(*status);
        if let Some(b) = body {
            r.body = b.clone().into_bytes();
            r.json = !headers
                .keys()
                .any(|k| k.eq_ignore_ascii_case("content-type"));
        }
        for (n, v) in headers {
            r.set_header(n, v);
        }
        return finish(&app, r);
    }

    let index = app.index();
    let token = req
        .headers()
        .get("x-auth-token")
        .and_then(|v| v.to_str().ok());
    let mut reply = route(&index, &method, &uri, token);
    drop(index);

    if let Some(action) = &action {
        apply(action, &mut reply);
    }
    if reply.drop_connection {
        // Let the headers and half of the body out, then fail the socket.
        if let Some(ConnectInfo(cut)) = req.extensions().get::<ConnectInfo<Cut>>() {
            cut.arm(reply.body.len() / 2);
        }
    }
    finish(&app, reply)
}

/// Applies a rewriting fault to a real reply.
fn apply(action: &FaultAction, reply: &mut Reply) {
    let ok = reply.is_success();
    match action {
        FaultAction::DropConnection => reply.drop_connection = true,
        FaultAction::SetHeader { name, value } => reply.set_header(name, value),
        FaultAction::TruncatedJson if ok => reply.body = faults::truncate(&reply.body),
        FaultAction::MalformedJson if ok => reply.body = faults::malformed(),
        FaultAction::Mutate {
            json_pointer,
            value,
        } if ok => {
            if let Some(b) = faults::mutate(&reply.body, json_pointer, value) {
                reply.body = b;
            }
        }
        FaultAction::Remove { json_pointer } if ok => {
            if let Some(b) = faults::remove(&reply.body, json_pointer) {
                reply.body = b;
            }
        }
        FaultAction::EmptyPage if ok => {
            if let Some(b) = faults::empty_page(&reply.body) {
                reply.body = b;
            }
        }
        _ => {}
    }
}

fn finish(app: &Shared, reply: Reply) -> Response {
    app.stats.status(reply.status);
    reply.into_response()
}

/// What a path designates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target<'a> {
    Metadata,
    List(Kind, Option<&'a str>),
    Single(Kind, Option<&'a str>, &'a str),
    Organization(&'a str),
}

fn parse_target(path: &str) -> Option<Target<'_>> {
    let segs: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return None;
    }
    let iam = |s: &str| match s {
        "users" => Some(Kind::Users),
        "groups" => Some(Kind::Groups),
        "applications" => Some(Kind::Applications),
        "api-keys" => Some(Kind::ApiKeys),
        _ => None,
    };
    let instance = |s: &str| match s {
        "servers" => Some(Kind::Servers),
        "ips" => Some(Kind::Ips),
        "volumes" => Some(Kind::Volumes),
        "snapshots" => Some(Kind::Snapshots),
        _ => None,
    };
    let block = |s: &str| match s {
        "volumes" => Some(Kind::BlockVolumes),
        "snapshots" => Some(Kind::BlockSnapshots),
        _ => None,
    };
    match segs.as_slice() {
        ["metadata"] => Some(Target::Metadata),
        ["account", "v3", "projects"] => Some(Target::List(Kind::Projects, None)),
        ["account", "v3", "projects", id] => Some(Target::Single(Kind::Projects, None, id)),
        ["iam", "v1alpha1", "organizations", id] => Some(Target::Organization(id)),
        ["iam", "v1alpha1", coll] => iam(coll).map(|k| Target::List(k, None)),
        ["iam", "v1alpha1", coll, id] => iam(coll).map(|k| Target::Single(k, None, id)),
        ["instance", "v1", "zones", zone, coll] => {
            instance(coll).map(|k| Target::List(k, Some(*zone)))
        }
        ["instance", "v1", "zones", zone, coll, id] => {
            instance(coll).map(|k| Target::Single(k, Some(*zone), id))
        }
        ["block", "v1alpha1", "zones", zone, coll] => {
            block(coll).map(|k| Target::List(k, Some(*zone)))
        }
        ["block", "v1alpha1", "zones", zone, coll, id] => {
            block(coll).map(|k| Target::Single(k, Some(*zone), id))
        }
        _ => None,
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Zone syntax of the SDK: `^[a-z]{2}-[a-z]{3,7}-[0-9]{1,2}$`.
fn is_zone_syntax(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [a, b, c] => {
            a.len() == 2
                && a.bytes().all(|x| x.is_ascii_lowercase())
                && (3..=7).contains(&b.len())
                && b.bytes().all(|x| x.is_ascii_lowercase())
                && (1..=2).contains(&c.len())
                && c.bytes().all(|x| x.is_ascii_digit())
        }
        _ => false,
    }
}

fn check_zone(api: Api, zone: &str) -> Result<(), Reply> {
    let known: &[&str] = if api == Api::Block {
        &BLOCK_ZONES
    } else {
        &INSTANCE_ZONES
    };
    if known.contains(&zone) {
        return Ok(());
    }
    let reason = if is_zone_syntax(zone) {
        "constraint"
    } else {
        "format"
    };
    Err(invalid_argument(
        "zone",
        reason,
        &format!("must be one of: {}", known.join(", ")),
    ))
}

type Params = Vec<(String, String)>;

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn number(params: &Params, name: &str, default: u64, max: Option<u64>) -> Result<u64, Reply> {
    let Some(raw) = param(params, name) else {
        return Ok(default);
    };
    let help = match max {
        Some(m) => format!("must be between 1 and {m}"),
        None => "must be greater or equal to 1".to_owned(),
    };
    let n: u64 = raw
        .trim()
        .parse()
        .map_err(|_| invalid_argument(name, "format", &help))?;
    if n < 1 || max.is_some_and(|m| n > m) {
        return Err(invalid_argument(name, "constraint", &help));
    }
    Ok(n)
}

/// Answers a request (no fault involved).
fn route(index: &Index, method: &Method, uri: &Uri, token: Option<&str>) -> Reply {
    let Some(target) = parse_target(uri.path()) else {
        return unknown_route();
    };
    if method != Method::GET {
        return Reply::json(405, br#"{"message":"Method Not Allowed"}"#.to_vec());
    }
    let (kind, zone) = match target {
        Target::Metadata => {
            return Reply::json(
                200,
                br#"{"platform":"external","partition":"scw","domain":"scw.eu"}"#.to_vec(),
            )
        }
        Target::List(k, z) | Target::Single(k, z, _) => (Some(k), z),
        Target::Organization(_) => (None, None),
    };
    let api = kind.map(Kind::api);
    // The gateway knows no Block service in it-mil-1: it answers before auth.
    if api == Some(Api::Block) && zone == Some("it-mil-1") {
        return Reply::json(501, br#"{"message": "unknown service"}"#.to_vec());
    }
    let Some(caller) = token.and_then(|t| index.secrets.get(t)) else {
        return denied_authentication();
    };
    if let (Some(api), Some(zone)) = (api, zone) {
        if let Err(r) = check_zone(api, zone) {
            return r;
        }
    }
    let params: Params = match Query::<Params>::try_from_uri(uri) {
        Ok(Query(p)) => p,
        Err(_) => return invalid_argument("query", "format", "the query string is not valid"),
    };
    let result = match target {
        Target::List(kind, zone) => list(
            index,
            kind,
            zone,
            &params,
            uri.query().unwrap_or(""),
            caller,
        ),
        Target::Single(kind, zone, id) => Ok(single(index, kind, zone, id, caller)),
        Target::Organization(id) => Ok(organization(index, id, caller)),
        Target::Metadata => Ok(unknown_route()),
    };
    result.unwrap_or_else(|r| r)
}

fn list(
    index: &Index,
    kind: Kind,
    zone: Option<&str>,
    params: &Params,
    raw_query: &str,
    caller: &str,
) -> Result<Reply, Reply> {
    let api = kind.api();
    let (size_param, default_size) = match api {
        Api::Instance => ("per_page", 50),
        Api::Iam => ("page_size", 20),
        Api::Account | Api::Block => ("page_size", 50),
    };
    let page = number(params, "page", 1, None)?;
    let size = number(params, size_param, default_size, Some(100))?;
    let org_param = if api == Api::Instance {
        "organization"
    } else {
        "organization_id"
    };
    let org = param(params, org_param).filter(|s| !s.is_empty());
    if let Some(o) = org {
        if !is_uuid(o) {
            return Err(invalid_argument(
                org_param,
                "format",
                "must be a valid UUID",
            ));
        }
        if o != caller {
            return Err(permissions_denied(kind.resource()));
        }
    }
    let project = kind
        .project_field()
        .and_then(|f| param(params, f))
        .filter(|s| !s.is_empty());

    let listing = index.listing(kind, zone);
    let items: &[Item] = listing.map_or(&[], |l| l.items.as_slice());
    let size = usize::try_from(size).unwrap_or(100);
    let start = usize::try_from(page - 1)
        .ok()
        .and_then(|p| p.checked_mul(size))
        .unwrap_or(usize::MAX);
    let window = |total: usize| start.min(total)..start.saturating_add(size).min(total);
    let (total, page_items): (usize, Vec<&Item>) = match (org, project) {
        (None, None) => (items.len(), items[window(items.len())].iter().collect()),
        (Some(o), None) => {
            let positions: &[usize] = listing
                .and_then(|l| l.by_org.get(o))
                .map_or(&[], Vec::as_slice);
            let total = positions.len();
            (
                total,
                positions[window(total)]
                    .iter()
                    .filter_map(|&i| items.get(i))
                    .collect(),
            )
        }
        (o, Some(p)) => {
            let all: Vec<&Item> = items
                .iter()
                .filter(|it| o.is_none_or(|o| &*it.org == o) && it.project.as_deref() == Some(p))
                .collect();
            let total = all.len();
            (total, all[window(total)].to_vec())
        }
    };

    let key = kind.list_key();
    let mut body =
        Vec::with_capacity(page_items.iter().map(|i| i.json.len() + 1).sum::<usize>() + 64);
    let push_list = |body: &mut Vec<u8>| {
        body.extend_from_slice(b"\"");
        body.extend_from_slice(key.as_bytes());
        body.extend_from_slice(b"\":[");
        for (n, it) in page_items.iter().enumerate() {
            if n > 0 {
                body.push(b',');
            }
            body.extend_from_slice(it.json.as_bytes());
        }
        body.extend_from_slice(b"]");
    };
    body.push(b'{');
    match api {
        Api::Instance => push_list(&mut body),
        Api::Account => {
            body.extend_from_slice(format!("\"total_count\":{total},").as_bytes());
            push_list(&mut body);
        }
        Api::Iam | Api::Block => {
            push_list(&mut body);
            body.extend_from_slice(format!(",\"total_count\":{total}").as_bytes());
        }
    }
    body.push(b'}');
    let mut reply = Reply::json(200, body);
    if api == Api::Instance {
        reply
            .headers
            .push(("x-total-count".into(), total.to_string()));
        reply.headers.push((
            "link".into(),
            link_header(key, page, size, total, raw_query),
        ));
    }
    Ok(reply)
}

/// A `Link` header like the Instance API's: relative, without the
/// `/instance/v1/zones/{zone}` prefix, `rel` among first/previous/next/last.
fn link_header(key: &str, page: u64, size: usize, total: usize, raw_query: &str) -> String {
    let size64 = size as u64;
    let last = (total as u64).div_ceil(size64.max(1));
    let rest: String = raw_query
        .split('&')
        .filter(|kv| {
            let k = kv.split('=').next().unwrap_or("");
            !kv.is_empty() && k != "page" && k != "per_page"
        })
        .map(|kv| format!("&{kv}"))
        .collect();
    let link =
        |p: u64, rel: &str| format!("</{key}?page={p}&per_page={size}{rest}>; rel=\"{rel}\"");
    let mut links = Vec::new();
    if page > 1 && last > 0 {
        links.push(link(1, "first"));
        links.push(link((page - 1).min(last), "previous"));
    }
    if page < last {
        links.push(link(page + 1, "next"));
    }
    links.push(link(last, "last"));
    links.join(",")
}

fn single(index: &Index, kind: Kind, zone: Option<&str>, id: &str, caller: &str) -> Reply {
    let item = index
        .listing(kind, zone)
        .and_then(|l| l.by_key.get(id).and_then(|&i| l.items.get(i)));
    let Some(item) = item else {
        return not_found(kind, id);
    };
    if &*item.org != caller {
        return permissions_denied(kind.resource());
    }
    if kind.api() == Api::Instance {
        let key = kind.single_key();
        let mut body = Vec::with_capacity(item.json.len() + key.len() + 8);
        body.extend_from_slice(format!("{{\"{key}\":").as_bytes());
        body.extend_from_slice(item.json.as_bytes());
        body.push(b'}');
        Reply::json(200, body)
    } else {
        Reply::json(200, item.json.as_bytes().to_vec())
    }
}

fn organization(index: &Index, id: &str, caller: &str) -> Reply {
    let Some(name) = index.orgs.get(id) else {
        return Reply::value(
            404,
            &json!({"message": "resource is not found", "resource": "organization", "resource_id": id, "type": "not_found"}),
        );
    };
    if id != caller {
        return permissions_denied("organization");
    }
    let alias: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    Reply::value(
        200,
        &json!({
            "id": id,
            "name": name,
            "alias": alias,
            "login_password_enabled": true,
            "login_magic_code_enabled": false,
            "login_oauth2_enabled": true,
            "login_saml_enabled": false
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fakeapi::faults::FaultRule;
    use crate::fakeapi::world::{Credential, OrgWorld};
    use serde_json::json;

    const ORG_A: &str = "0b1e4c2a-5d3f-4a6b-9c7d-8e9f0a1b2c3d";
    const ORG_B: &str = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    const PRJ_A: &str = "6f2d8a41-3b7c-4e95-a1d0-2c4b6e8f0a13";
    const PRJ_B: &str = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    const SECRET_A: &str = "11111111-2222-4333-8444-555555555555";

    fn id(n: usize, salt: &str) -> String {
        wire::derive_id(&n.to_string(), salt)
    }

    /// Org A: 130 IPs in fr-par-1, 25 users, one block volume; org B: 3 IPs
    /// in fr-par-1, 2 users, one block volume.
    fn test_world() -> World {
        let mut a = OrgWorld::new(ORG_A, "Org A");
        a.projects.push(wire::project(PRJ_A, ORG_A, "default"));
        for n in 0..25 {
            a.users.push(wire::user(
                &id(n, "ua"),
                ORG_A,
                &format!("user{n}@example.com"),
            ));
        }
        let owner_id = id(0, "ua");
        a.api_keys
            .push(wire::user_api_key("SCWAAAAAAAAAAAAAAAAA", &owner_id, PRJ_A));
        for n in 0..130 {
            let ip = wire::ip(
                &id(n, "ipa"),
                ORG_A,
                PRJ_A,
                "fr-par-1",
                &format!("51.15.0.{n}"),
            );
            a.zone_mut("fr-par-1").ips.push(ip);
        }
        a.zone_mut("fr-par-1")
            .block_volumes
            .push(wire::block_volume(
                &id(0, "bva"),
                PRJ_A,
                "fr-par-1",
                "a-vol",
                10_000_000_000,
            ));
        let mut b = OrgWorld::new(ORG_B, "Org B");
        b.projects.push(wire::project(PRJ_B, ORG_B, "default"));
        for n in 0..2 {
            b.users.push(wire::user(
                &id(n, "ub"),
                ORG_B,
                &format!("other{n}@example.net"),
            ));
        }
        for n in 0..3 {
            let ip = wire::ip(
                &id(n, "ipb"),
                ORG_B,
                PRJ_B,
                "fr-par-1",
                &format!("62.4.0.{n}"),
            );
            b.zone_mut("fr-par-1").ips.push(ip);
        }
        // Block volume of org B's project, filed under org A: the project decides.
        a.zone_mut("fr-par-1")
            .block_volumes
            .push(wire::block_volume(
                &id(0, "bvb"),
                PRJ_B,
                "fr-par-1",
                "b-vol",
                10_000_000_000,
            ));
        World {
            organizations: vec![a, b],
            credentials: vec![
                Credential::new("SCWAAAAAAAAAAAAAAAAA", SECRET_A, ORG_A),
                Credential::new(
                    "SCWBBBBBBBBBBBBBBBBB",
                    "22222222-2222-4333-8444-555555555555",
                    ORG_B,
                ),
            ],
        }
    }

    fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default()
    }

    struct Got {
        status: u16,
        headers: reqwest::header::HeaderMap,
        body: Vec<u8>,
    }

    impl Got {
        fn json(&self) -> Value {
            serde_json::from_slice(&self.body).unwrap_or(Value::Null)
        }
        fn header(&self, name: &str) -> Option<&str> {
            self.headers.get(name).and_then(|v| v.to_str().ok())
        }
    }

    async fn get_with(api: &FakeApiHandle, path: &str, secret: Option<&str>) -> Got {
        let mut req = client().get(format!("{}{path}", api.url()));
        if let Some(s) = secret {
            req = req.header("X-Auth-Token", s);
        }
        let resp = req.send().await;
        let Ok(resp) = resp else {
            panic!("request {path} failed: {resp:?}");
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        Got {
            status,
            headers,
            body,
        }
    }

    async fn get(api: &FakeApiHandle, path: &str) -> Got {
        get_with(api, path, Some(SECRET_A)).await
    }

    async fn started(faults: Faults) -> FakeApiHandle {
        match start(test_world(), faults).await {
            Ok(h) => h,
            Err(e) => panic!("cannot start: {e}"),
        }
    }

    fn len(v: &Value, key: &str) -> usize {
        v[key].as_array().map_or(usize::MAX, Vec::len)
    }

    #[tokio::test]
    async fn instance_pagination_uses_header_and_link() {
        let api = started(Faults::none()).await;
        let base = format!("/instance/v1/zones/fr-par-1/ips?organization={ORG_A}");
        let p1 = get(
            &api,
            &format!("{base}&page=1&per_page=100&order=creation_date_desc"),
        )
        .await;
        assert_eq!(p1.status, 200);
        assert_eq!(p1.header("x-total-count"), Some("130"));
        assert_eq!(p1.header("content-type"), Some("application/json"));
        assert_eq!(p1.header("server"), Some(SERVER_HEADER));
        assert!(p1.header("x-request-id").is_some_and(is_uuid));
        let link = p1.header("link").unwrap_or("");
        assert!(
            link.contains("page=2&per_page=100") && link.contains("rel=\"next\""),
            "{link}"
        );
        let v = p1.json();
        assert_eq!(v.as_object().map(|m| m.len()), Some(1), "only the list key");
        assert_eq!(len(&v, "ips"), 100);
        let p2 = get(&api, &format!("{base}&page=2&per_page=100")).await;
        assert_eq!(len(&p2.json(), "ips"), 30);
        assert_eq!(p2.json()["ips"][0]["address"], json!("51.15.0.100"));
        let p3 = get(&api, &format!("{base}&page=3&per_page=100")).await;
        assert_eq!(len(&p3.json(), "ips"), 0);
        assert_eq!(p3.header("x-total-count"), Some("130"));
        // Default page size is 50.
        let d = get(&api, &base).await;
        assert_eq!(len(&d.json(), "ips"), 50);
        // Empty zone.
        let e = get(
            &api,
            &format!("/instance/v1/zones/pl-waw-3/servers?organization={ORG_A}"),
        )
        .await;
        assert_eq!(e.status, 200);
        assert_eq!(e.json(), json!({"servers": []}));
        assert_eq!(e.header("x-total-count"), Some("0"));
        assert!(e.header("link").unwrap_or("").contains("page=0"));
    }

    #[tokio::test]
    async fn body_total_pagination_and_org_filter() {
        let api = started(Faults::none()).await;
        let p1 = get(
            &api,
            &format!("/iam/v1alpha1/users?organization_id={ORG_A}&order_by=created_at_asc"),
        )
        .await;
        let v = p1.json();
        assert_eq!(v["total_count"], json!(25));
        assert_eq!(len(&v, "users"), 20, "IAM default page size is 20");
        assert!(p1.header("x-total-count").is_none());
        let p2 = get(
            &api,
            &format!("/iam/v1alpha1/users?organization_id={ORG_A}&page=2"),
        )
        .await;
        assert_eq!(len(&p2.json(), "users"), 5);
        let big = get(
            &api,
            &format!("/iam/v1alpha1/users?organization_id={ORG_A}&page_size=100"),
        )
        .await;
        assert_eq!(len(&big.json(), "users"), 25);
        let past = get(
            &api,
            &format!("/iam/v1alpha1/users?organization_id={ORG_A}&page=9&page_size=100"),
        )
        .await;
        assert_eq!(past.json(), json!({"users": [], "total_count": 25}));

        // Without the filter every organization leaks.
        let all = get(&api, "/iam/v1alpha1/users?page_size=100").await;
        assert_eq!(all.json()["total_count"], json!(27));
        let ips = get(&api, "/instance/v1/zones/fr-par-1/ips?per_page=100&page=2").await;
        assert_eq!(ips.header("x-total-count"), Some("133"));
        // Block objects belong to their project's organization.
        let bv = get(
            &api,
            &format!("/block/v1alpha1/zones/fr-par-1/volumes?organization_id={ORG_A}"),
        )
        .await;
        assert_eq!(bv.json()["total_count"], json!(1));
        assert_eq!(bv.json()["volumes"][0]["name"], json!("a-vol"));
        let bv_all = get(&api, "/block/v1alpha1/zones/fr-par-1/volumes").await;
        assert_eq!(bv_all.json()["total_count"], json!(2));
        let projects = get(
            &api,
            &format!("/account/v3/projects?organization_id={ORG_A}"),
        )
        .await;
        assert_eq!(projects.json()["total_count"], json!(1));
        let proj_filter = get(
            &api,
            &format!("/instance/v1/zones/fr-par-1/ips?project={PRJ_B}"),
        )
        .await;
        assert_eq!(proj_filter.header("x-total-count"), Some("3"));
    }

    #[tokio::test]
    async fn singles_wrapped_or_bare() {
        let api = started(Faults::none()).await;
        let ip_id = id(3, "ipa");
        let s = get(&api, &format!("/instance/v1/zones/fr-par-1/ips/{ip_id}")).await;
        assert_eq!(s.json()["ip"]["id"], json!(ip_id));
        let by_addr = get(&api, "/instance/v1/zones/fr-par-1/ips/51.15.0.3").await;
        assert_eq!(by_addr.json()["ip"]["id"], json!(ip_id));
        let u = get(&api, &format!("/iam/v1alpha1/users/{}", id(0, "ua"))).await;
        assert_eq!(u.json()["organization_id"], json!(ORG_A));
        let k = get(&api, "/iam/v1alpha1/api-keys/SCWAAAAAAAAAAAAAAAAA").await;
        assert_eq!(k.json()["user_id"], json!(id(0, "ua")));
        let missing = get(
            &api,
            "/instance/v1/zones/fr-par-1/servers/2c4e6a8c-0000-4000-8000-000000000000",
        )
        .await;
        assert_eq!(missing.status, 404);
        assert_eq!(missing.json()["resource"], json!("instance_server"));
        let foreign = get(&api, &format!("/iam/v1alpha1/users/{}", id(0, "ub"))).await;
        assert_eq!(foreign.status, 403);
        let org = get(&api, &format!("/iam/v1alpha1/organizations/{ORG_A}")).await;
        assert_eq!(org.json()["name"], json!("Org A"));
        assert_eq!(org.json()["alias"], json!("org-a"));
        let nf = get(
            &api,
            "/account/v3/projects/754a0dcc-c22f-48c1-8f95-2b8d1fd93235",
        )
        .await;
        assert_eq!(nf.json()["resource"], json!("project_id"));
    }

    #[tokio::test]
    async fn errors_of_the_reference() {
        let api = started(Faults::none()).await;
        let unauth = get_with(&api, "/iam/v1alpha1/users", Some("nope")).await;
        assert_eq!(unauth.status, 401);
        assert_eq!(
            unauth.body,
            br#"{"message":"authentication is denied","method":"api_key","reason":"not_found","type":"denied_authentication"}"#.to_vec()
        );
        let missing = get_with(&api, "/iam/v1alpha1/users", None).await;
        assert_eq!(missing.status, 401);

        let foreign = get(
            &api,
            &format!("/instance/v1/zones/fr-par-1/servers?organization={ORG_B}"),
        )
        .await;
        assert_eq!(foreign.status, 403);
        assert_eq!(foreign.json()["type"], json!("permissions_denied"));
        assert_eq!(foreign.json()["details"][0]["action"], json!("read"));

        let milan = get_with(&api, "/block/v1alpha1/zones/it-mil-1/volumes", None).await;
        assert_eq!(milan.status, 501);
        assert_eq!(milan.json(), json!({"message": "unknown service"}));
        let milan_instance = get(&api, "/instance/v1/zones/it-mil-1/servers").await;
        assert_eq!(milan_instance.status, 200);

        let bad_zone = get(&api, "/instance/v1/zones/fr-par-9/servers").await;
        assert_eq!(bad_zone.status, 400);
        let d = &bad_zone.json()["details"][0];
        assert_eq!(bad_zone.json()["type"], json!("invalid_arguments"));
        assert_eq!(d["argument_name"], json!("zone"));
        assert_eq!(d["reason"], json!("constraint"));
        assert!(d["help_message"]
            .as_str()
            .unwrap_or("")
            .contains("it-mil-1"));
        let bad_block_zone = get(&api, "/block/v1alpha1/zones/fr-par-9/snapshots").await;
        assert_eq!(bad_block_zone.status, 400);

        for q in ["per_page=101", "per_page=0", "page=0", "page=abc"] {
            let r = get(&api, &format!("/instance/v1/zones/fr-par-1/ips?{q}")).await;
            assert_eq!(r.status, 400, "{q}");
            assert_eq!(r.json()["message"], json!("invalid argument(s)"));
        }
        let r = get(&api, "/iam/v1alpha1/api-keys?page_size=101").await;
        assert_eq!(r.json()["details"][0]["argument_name"], json!("page_size"));
        // Instance ignores page_size: default 50.
        let r = get(&api, "/instance/v1/zones/fr-par-1/ips?page_size=1000").await;
        assert_eq!(len(&r.json(), "ips"), 50);

        let nowhere = get(&api, "/instance/v1/zones/fr-par-1/bananas").await;
        assert_eq!(nowhere.status, 404);
        assert_eq!(nowhere.header("content-type"), Some("application/json"));
        let post = client()
            .post(format!("{}/iam/v1alpha1/users", api.url()))
            .header("X-Auth-Token", SECRET_A)
            .send()
            .await
            .map(|r| r.status().as_u16());
        assert_eq!(post.ok(), Some(405));
        let stats = api.stats();
        assert_eq!(stats.status_count(501), 1);
        assert!(stats.requests_matching("GET /iam/v1alpha1/users") >= 2);
    }

    #[tokio::test]
    async fn rate_limiter_answers_like_envoy() {
        let api = started(Faults::none().with_rate_limit(20.0)).await;
        let mut limited = None;
        for _ in 0..10 {
            let r = get(&api, "/iam/v1alpha1/users").await;
            if r.status == 429 {
                limited = Some(r);
                break;
            }
        }
        let Some(r) = limited else {
            panic!("no 429 within 10 quick requests at 20 rps (burst 2)");
        };
        assert!(r.body.is_empty());
        assert_eq!(r.header("x-envoy-ratelimited"), Some("true"));
        assert!(r.header("content-type").is_none());
        assert!(r.header("retry-after").is_none());
        assert!(api.stats().too_many_requests >= 1);
        // After a pause the bucket refills.
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(get(&api, "/iam/v1alpha1/users").await.status, 200);
    }

    #[tokio::test]
    async fn scripted_rules_apply_times() {
        let faults = Faults::none()
            .with_rule(FaultRule::new("/iam/v1alpha1/users", FaultAction::server_error()).times(2))
            .with_rule(FaultRule::new("/ips", FaultAction::EmptyPage).query("page=2"))
            .with_rule(FaultRule::new("/account", FaultAction::RetryAfter { secs: 3 }).times(1))
            .with_rule(
                FaultRule::new(
                    "/block",
                    FaultAction::mutate("/volumes/0/size", json!("big")),
                )
                .times(1),
            )
            .with_rule(FaultRule::new("/groups", FaultAction::TruncatedJson));
        let api = started(faults).await;
        for _ in 0..2 {
            let r = get(&api, "/iam/v1alpha1/users").await;
            assert_eq!(r.status, 500);
            assert_eq!(
                r.json(),
                json!({"type": "server_error", "message": "Internal error"})
            );
        }
        assert_eq!(get(&api, "/iam/v1alpha1/users").await.status, 200);
        let e = get(&api, "/instance/v1/zones/fr-par-1/ips?page=2").await;
        assert_eq!(e.json(), json!({"ips": []}));
        assert_eq!(e.header("x-total-count"), Some("133"));
        let ra = get(&api, "/account/v3/projects").await;
        assert_eq!((ra.status, ra.header("retry-after")), (429, Some("3")));
        assert_eq!(get(&api, "/account/v3/projects").await.status, 200);
        let m = get(&api, "/block/v1alpha1/zones/fr-par-1/volumes").await;
        assert_eq!(m.json()["volumes"][0]["size"], json!("big"));
        let m2 = get(&api, "/block/v1alpha1/zones/fr-par-1/volumes").await;
        assert_eq!(m2.json()["volumes"][0]["size"], json!(10_000_000_000u64));
        let t = get(&api, "/iam/v1alpha1/groups").await;
        assert_eq!(t.status, 200);
        assert!(serde_json::from_slice::<Value>(&t.body).is_err());
        let s = api.stats();
        assert_eq!(s.status_count(500), 2);
        assert!(s.injected_faults >= 4);
    }

    #[tokio::test]
    async fn drop_connection_and_hang_fail_the_client() {
        let faults = Faults::none()
            .with_rule(FaultRule::new("/iam/v1alpha1/users", FaultAction::DropConnection).times(1))
            .with_rule(FaultRule::new("/iam/v1alpha1/groups", FaultAction::Hang).times(1));
        let api = started(faults).await;
        let resp = client()
            .get(format!("{}/iam/v1alpha1/users?page_size=100", api.url()))
            .header("X-Auth-Token", SECRET_A)
            .send()
            .await;
        let Ok(resp) = resp else {
            panic!("the status line and headers must arrive: {resp:?}");
        };
        assert_eq!(resp.status().as_u16(), 200);
        assert!(resp.content_length().is_some_and(|n| n > 100));
        let body = resp.bytes().await;
        assert!(
            body.is_err(),
            "a dropped connection must be a client error: {body:?}"
        );
        assert_eq!(get(&api, "/iam/v1alpha1/users").await.status, 200);

        let short = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap_or_default();
        let hung = short
            .get(format!("{}/iam/v1alpha1/groups", api.url()))
            .header("X-Auth-Token", SECRET_A)
            .send()
            .await;
        assert!(hung.is_err_and(|e| e.is_timeout()));
        assert_eq!(get(&api, "/iam/v1alpha1/groups").await.status, 200);
    }

    #[tokio::test]
    async fn latency_and_set_world() {
        let api = started(Faults::none().with_latency(60)).await;
        let t0 = std::time::Instant::now();
        assert_eq!(get(&api, "/iam/v1alpha1/users").await.status, 200);
        assert!(t0.elapsed() >= Duration::from_millis(60));
        api.set_faults(Faults::none());
        let mut w = test_world();
        w.organizations[0].users.truncate(3);
        api.set_world(w);
        let r = get(
            &api,
            &format!("/iam/v1alpha1/users?organization_id={ORG_A}"),
        )
        .await;
        assert_eq!(r.json()["total_count"], json!(3));
        api.shutdown();
        let after = client().get(format!("{}/metadata", api.url())).send().await;
        assert!(after.is_err());
    }

    #[test]
    fn threaded_server_serves_blocking_callers() {
        let api = match start_in_thread(test_world(), Faults::none()) {
            Ok(a) => a,
            Err(e) => panic!("{e}"),
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        let Ok(rt) = rt else { panic!("runtime") };
        let status = rt.block_on(async { get(&api, "/metadata").await.status });
        assert_eq!(status, 200);
        assert_eq!(api.stats().total_requests, 1);
        drop(api);
    }

    #[test]
    fn targets_and_links() {
        assert_eq!(
            parse_target("/iam/v1alpha1/api-keys/SCWX"),
            Some(Target::Single(Kind::ApiKeys, None, "SCWX"))
        );
        assert_eq!(parse_target("/instance/v1/zones/fr-par-1/servers/"), None);
        assert_eq!(
            parse_target("/block/v1alpha1/zones/x/volumes"),
            Some(Target::List(Kind::BlockVolumes, Some("x")))
        );
        assert!(is_zone_syntax("fr-par-9"));
        assert!(!is_zone_syntax("frpar1"));
        let l = link_header("servers", 2, 50, 120, "page=2&per_page=50&organization=o");
        assert_eq!(
            l,
            "</servers?page=1&per_page=50&organization=o>; rel=\"first\",</servers?page=1&per_page=50&organization=o>; rel=\"previous\",</servers?page=3&per_page=50&organization=o>; rel=\"next\",</servers?page=3&per_page=50&organization=o>; rel=\"last\""
        );
    }
}

//! Lists one (kind, zone) scope completely: the first page, then the remaining pages at
//! once, streaming decoded records to the writer and checking that the pages add up.

use std::sync::Arc;

use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

use crate::api::{ApiError, Client, Page};
use crate::kinds::{Context, Kind, Record};

/// Always the largest page the APIs accept (scaleway-api.md §2.1).
pub const PAGE_SIZE: u64 = 100;
/// No listing of a real organization comes near this; a misbehaving API stops here.
pub const MAX_PAGES: u64 = 10_000;

/// A batch of decoded objects on its way to the writer.
pub struct Batch {
    pub kind: &'static Kind,
    pub zone: Option<String>,
    pub records: Vec<Record>,
}

/// What a scope needs from the sync.
pub struct Shared {
    pub client: Client,
    pub organization_id: String,
    /// Bounds the pages in hand, from before the request until the writer took them:
    /// that bounds both requests in flight and memory.
    pub permits: Arc<Semaphore>,
    /// Bounds the scopes reading pages beyond their first (see [`super::LONG_LISTINGS`]).
    pub long_listings: Arc<Semaphore>,
    pub writer: mpsc::Sender<Batch>,
}

/// Why a scope could not be listed completely.
#[derive(Debug, thiserror::Error)]
pub enum ScopeError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("object {index} of page {page}: {error}")]
    Decode {
        page: u64,
        index: usize,
        error: crate::kinds::DecodeError,
    },
    #[error("the listing changed while it was read ({0}); earlier rows are kept")]
    Inconsistent(String),
    #[error("more than {MAX_PAGES} pages; stopped")]
    TooManyPages,
    #[error("the sync stopped")]
    Stopped,
}

/// A listing that was read to its end.
pub struct Listed {
    pub pages: u64,
    /// Objects received, repeats included.
    pub objects: u64,
    /// Pages that did not add up to the announced total, when they did not.
    pub inconsistency: Option<String>,
}

/// Lists the scope; the caller retries once on an inconsistent listing.
pub async fn list_scope(
    shared: &Arc<Shared>,
    kind: &'static Kind,
    zone: Option<&str>,
) -> Result<Listed, ScopeError> {
    let context = Context {
        zone: zone.map(str::to_string),
    };
    let path = kind.path_for(zone);
    let permit = acquire(shared).await?;
    let first = fetch(shared, kind, &path, 1).await?;
    let first_len = first.items.len() as u64;
    let first_total = first.total;
    deliver(shared, kind, &context, 1, first, permit).await?;

    let Some(total) = first_total else {
        return list_without_total(shared, kind, &path, &context, first_len).await;
    };
    // A server that caps the page size below ours still pages consistently at its size.
    let page_size = if first_len > 0 && first_len < PAGE_SIZE && total > first_len {
        first_len
    } else {
        PAGE_SIZE
    };
    let pages = total.div_ceil(page_size).max(1);
    if pages > MAX_PAGES {
        return Err(ScopeError::TooManyPages);
    }
    let _slot = match pages {
        1 => None,
        _ => Some(long_listing(shared).await?),
    };
    let mut seen = first_len;
    let mut inconsistency = None;
    if first_len == 0 && total > 0 {
        inconsistency = Some(format!("page 1 was empty but the total was {total}"));
    }
    let mut tasks: JoinSet<Result<PageSeen, ScopeError>> = JoinSet::new();
    for page in 2..=pages {
        let permit = acquire(shared).await?;
        let shared = Arc::clone(shared);
        let path = path.clone();
        let context = context.clone();
        tasks.spawn(async move {
            let fetched = fetch(&shared, kind, &path, page).await?;
            let (len, total) = (fetched.items.len() as u64, fetched.total);
            deliver(&shared, kind, &context, page, fetched, permit).await?;
            Ok((page, len, total))
        });
        // Finished pages are reaped as we go so that errors stop the scope early.
        while let Some(done) = tasks.try_join_next() {
            check_page(
                flatten(done)?,
                pages,
                page_size,
                total,
                &mut seen,
                &mut inconsistency,
            );
        }
    }
    while let Some(done) = tasks.join_next().await {
        check_page(
            flatten(done)?,
            pages,
            page_size,
            total,
            &mut seen,
            &mut inconsistency,
        );
    }
    if inconsistency.is_none() && seen != total {
        inconsistency = Some(format!("{seen} objects listed but the total was {total}"));
    }
    Ok(Listed {
        pages,
        objects: seen,
        inconsistency,
    })
}

/// What a page task reports: its number, how many objects it held, the total it announced.
type PageSeen = (u64, u64, Option<u64>);

fn flatten(
    done: Result<Result<PageSeen, ScopeError>, tokio::task::JoinError>,
) -> Result<PageSeen, ScopeError> {
    done.map_err(|_| ScopeError::Stopped)?
}

fn check_page(
    (page, len, page_total): PageSeen,
    pages: u64,
    page_size: u64,
    total: u64,
    seen: &mut u64,
    inconsistency: &mut Option<String>,
) {
    *seen += len;
    if inconsistency.is_some() {
        return;
    }
    if page_total != Some(total) {
        let now = page_total.map_or("none".to_string(), |t| t.to_string());
        *inconsistency = Some(format!("the total went from {total} to {now}"));
    } else if page < pages && len != page_size {
        *inconsistency = Some(format!("page {page} had {len} objects, not {page_size}"));
    }
}

/// Listings without any count (none of the stored kinds, but a changed API could drop
/// it): keep going while pages come back full.
async fn list_without_total(
    shared: &Arc<Shared>,
    kind: &'static Kind,
    path: &str,
    context: &Context,
    first_len: u64,
) -> Result<Listed, ScopeError> {
    let _slot = match first_len {
        PAGE_SIZE => Some(long_listing(shared).await?),
        _ => None,
    };
    let mut pages = 1;
    let mut last_len = first_len;
    let mut objects = first_len;
    while last_len == PAGE_SIZE {
        pages += 1;
        if pages > MAX_PAGES {
            return Err(ScopeError::TooManyPages);
        }
        let permit = acquire(shared).await?;
        let fetched = fetch(shared, kind, path, pages).await?;
        last_len = fetched.items.len() as u64;
        objects += last_len;
        deliver(shared, kind, context, pages, fetched, permit).await?;
    }
    Ok(Listed {
        pages,
        objects,
        inconsistency: None,
    })
}

async fn long_listing(shared: &Shared) -> Result<OwnedSemaphorePermit, ScopeError> {
    Arc::clone(&shared.long_listings)
        .acquire_owned()
        .await
        .map_err(|_| ScopeError::Stopped)
}

async fn acquire(shared: &Shared) -> Result<OwnedSemaphorePermit, ScopeError> {
    Arc::clone(&shared.permits)
        .acquire_owned()
        .await
        .map_err(|_| ScopeError::Stopped)
}

async fn fetch(shared: &Shared, kind: &Kind, path: &str, page: u64) -> Result<Page, ScopeError> {
    let query = [
        (kind.organization_param, shared.organization_id.clone()),
        ("page", page.to_string()),
        (kind.paging.size_param(), PAGE_SIZE.to_string()),
    ];
    Ok(shared.client.get_page(path, &query, kind.list_key).await?)
}

/// Decodes a page and hands it to the writer; the permit is released once it is taken.
async fn deliver(
    shared: &Shared,
    kind: &'static Kind,
    context: &Context,
    page: u64,
    fetched: Page,
    permit: OwnedSemaphorePermit,
) -> Result<(), ScopeError> {
    let mut records = Vec::with_capacity(fetched.items.len());
    for (index, item) in fetched.items.iter().enumerate() {
        let record = (kind.decode)(item, context).map_err(|error| ScopeError::Decode {
            page,
            index,
            error,
        })?;
        records.push(record);
    }
    drop(fetched);
    if !records.is_empty() {
        shared
            .writer
            .send(Batch {
                kind,
                zone: context.zone.clone(),
                records,
            })
            .await
            .map_err(|_| ScopeError::Stopped)?;
    }
    drop(permit);
    Ok(())
}

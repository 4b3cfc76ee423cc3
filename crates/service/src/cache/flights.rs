//! Sharing one read among the requests that miss a cached answer at once.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// Reads in flight by key: when a cached answer runs out, the requests that
/// miss it at the same moment share one read instead of each making its own
/// (on PostgreSQL a busy list page was read a few times over at every expiry).
pub struct Flights<V> {
    map: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<V>>>>,
}

impl<V> Default for Flights<V> {
    fn default() -> Self {
        Flights { map: Mutex::default() }
    }
}

impl<V: Clone> Flights<V> {
    /// `read`'s answer, or that of the read of `key` already in flight. A
    /// read that fails, or whose request goes away, leaves the next waiter
    /// to read for itself.
    pub async fn share<E, F: Future<Output = Result<V, E>>>(&self, key: &str, read: impl FnOnce() -> F) -> Result<V, E> {
        let cell = self.map.lock().unwrap_or_else(|e| e.into_inner()).entry(key.to_string()).or_default().clone();
        let out = cell.get_or_try_init(read).await.cloned();
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.get(key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            map.remove(key);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[tokio::test]
    async fn misses_at_the_same_moment_share_one_read() {
        let flights: Flights<u32> = Flights::default();
        let reads = std::sync::atomic::AtomicU32::new(0);
        let (go, wait) = tokio::sync::oneshot::channel::<()>();
        let first = flights.share("k", || async {
            reads.fetch_add(1, Ordering::SeqCst);
            wait.await.ok();
            Ok::<_, ()>(7)
        });
        let second = flights.share("k", || async {
            reads.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(8)
        });
        let (a, b, _) = tokio::join!(first, second, async { go.send(()).ok() });
        assert_eq!((a, b), (Ok(7), Ok(7)));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // Once answered, the next miss reads again.
        assert_eq!(flights.share("k", || async { Ok::<_, ()>(9) }).await, Ok(9));
        assert!(flights.map.lock().unwrap().is_empty());
        // A failed read is not handed on: the one waiting reads for itself.
        let (go, wait) = tokio::sync::oneshot::channel::<()>();
        let failing = flights.share("k", || async {
            wait.await.ok();
            Err::<u32, _>("down")
        });
        let after = flights.share("k", || async { Ok::<u32, &str>(10) });
        let (a, b, _) = tokio::join!(failing, after, async { go.send(()).ok() });
        assert_eq!((a, b), (Err("down"), Ok(10)));
    }
}

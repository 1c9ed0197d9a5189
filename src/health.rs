//! The stage's HTTP endpoint: `/metrics` (Prometheus text), `/healthz`
//! (the process is alive) and `/readyz` (the list topics read up to their
//! end offsets at start, partitions assigned and the broker reachable; 503
//! with the reason otherwise).
//!
//! Readiness is process-wide state, set where the events happen (through
//! `crate::metrics`, one function per event). The server is a few lines of
//! HTTP/1.1 on tokio: it reads one request line per connection and closes.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::time::Duration;

use metrics_exporter_prometheus::PrometheusHandle;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What `/readyz` answers from.
pub struct Health {
    /// Partitions of the input currently assigned to this instance.
    assigned: AtomicI64,
    /// The consumer last reported all brokers down, and no record came since.
    broker_down: AtomicBool,
    /// Lists fed from topics not yet read up to the end offsets seen at
    /// start: the stage reads no input until this is zero.
    lists_unread: AtomicUsize,
}

static HEALTH: Health = Health::new();

pub fn health() -> &'static Health {
    &HEALTH
}

impl Health {
    const fn new() -> Health {
        Health {
            assigned: AtomicI64::new(0),
            broker_down: AtomicBool::new(false),
            lists_unread: AtomicUsize::new(0),
        }
    }

    /// How many list topics are still to be read up to their start end offsets.
    pub fn lists_unread(&self, lists: usize) {
        self.lists_unread.store(lists, Ordering::Relaxed);
    }

    pub fn add_assigned(&self, delta: i64) {
        let now = self.assigned.fetch_add(delta, Ordering::Relaxed) + delta;
        if now < 0 {
            self.assigned.store(0, Ordering::Relaxed);
        }
    }

    pub fn broker_reachable(&self, reachable: bool) {
        self.broker_down.store(!reachable, Ordering::Relaxed);
    }

    /// `Ok` when ready, else why not.
    pub fn readiness(&self) -> Result<(), &'static str> {
        // First: until the lists are read the stage is not even in its group.
        if self.lists_unread.load(Ordering::Relaxed) > 0 {
            return Err("lists not read");
        }
        if self.broker_down.load(Ordering::Relaxed) {
            return Err("broker unreachable");
        }
        if self.assigned.load(Ordering::Relaxed) <= 0 {
            return Err("no partitions assigned");
        }
        Ok(())
    }
}

/// Installs the Prometheus recorder and serves the three endpoints on
/// `addr` until the runtime stops.
pub async fn serve(addr: SocketAddr) -> Result<(), String> {
    let handle = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .map_err(|e| e.to_string())?;
    let listener = TcpListener::bind(addr).await.map_err(|e| e.to_string())?;
    tracing::info!(%addr, "serving /metrics, /healthz and /readyz");
    tokio::spawn(async move {
        loop {
            let Ok((mut conn, _)) = listener.accept().await else {
                continue;
            };
            let handle = handle.clone();
            tokio::spawn(async move {
                // A slow or silent client does not hold a task for ever.
                let _ = tokio::time::timeout(Duration::from_secs(5), answer(&mut conn, &handle)).await;
            });
        }
    });
    Ok(())
}

async fn answer(conn: &mut tokio::net::TcpStream, handle: &PrometheusHandle) -> std::io::Result<()> {
    let mut buf = [0u8; 2048];
    let mut len = 0;
    // The request line is all we need.
    while len < buf.len() && !buf[..len].contains(&b'\n') {
        let n = conn.read(&mut buf[len..]).await?;
        if n == 0 {
            break;
        }
        len += n;
    }
    let line = std::str::from_utf8(&buf[..len])
        .unwrap_or("")
        .lines()
        .next()
        .unwrap_or("");
    let path = line.split_whitespace().nth(1).unwrap_or("");
    let (status, body) = route(path, handle);
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(response.as_bytes()).await?;
    conn.shutdown().await
}

fn route(path: &str, handle: &PrometheusHandle) -> (&'static str, String) {
    match path.split('?').next().unwrap_or("") {
        "/metrics" => ("200 OK", handle.render()),
        "/healthz" => ("200 OK", "ok\n".to_owned()),
        "/readyz" => match health().readiness() {
            Ok(()) => ("200 OK", "ready\n".to_owned()),
            Err(why) => ("503 Service Unavailable", format!("not ready: {why}\n")),
        },
        _ => ("404 Not Found", "not found\n".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readiness_follows_assignment_and_the_broker() {
        let h = Health::new();
        assert_eq!(h.readiness(), Err("no partitions assigned"));
        h.add_assigned(3);
        assert_eq!(h.readiness(), Ok(()));
        h.broker_reachable(false);
        assert_eq!(h.readiness(), Err("broker unreachable"));
        h.broker_reachable(true);
        h.add_assigned(-5);
        assert_eq!(h.readiness(), Err("no partitions assigned"));
        h.add_assigned(1);
        assert_eq!(h.readiness(), Ok(()));
    }

    #[test]
    fn not_ready_until_the_lists_are_read() {
        let h = Health::new();
        h.add_assigned(1);
        h.lists_unread(2);
        assert_eq!(h.readiness(), Err("lists not read"));
        h.broker_reachable(false);
        assert_eq!(h.readiness(), Err("lists not read"));
        h.broker_reachable(true);
        h.lists_unread(0);
        assert_eq!(h.readiness(), Ok(()));
    }
}

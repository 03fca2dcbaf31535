//! One Redis connection that reconnects on its own, and whose every call is bounded in time.
//!
//! It wraps redis's [`ConnectionManager`] (one multiplexed connection shared by every task),
//! created lazily on the first call, so building a [`Link`] never touches the network and works
//! while Redis is down. A call that times out or fails at the connection level drops the
//! manager, so the next call starts from a fresh connection instead of waiting behind a dead
//! one.

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Cmd, ErrorKind, FromRedisValue, Pipeline, RedisError, ServerErrorKind};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

/// Why a Redis call did not give an answer.
#[derive(Debug)]
pub(crate) enum Fault {
    /// No answer within the time budget (the call may or may not have been applied).
    Timeout(Duration),
    /// The connection failed or the server is not serving (refused, dropped, loading,
    /// read-only): an outage.
    Outage(RedisError),
    /// The server answered with an error (a script error, out of memory, a wrong type).
    Reply(RedisError),
}

impl Fault {
    /// Whether this looks like Redis being unreachable or restarted, rather than one command
    /// being refused.
    pub(crate) fn is_outage(&self) -> bool {
        !matches!(self, Fault::Reply(_))
    }

    fn of(err: RedisError) -> Fault {
        let reply = matches!(
            err.kind(),
            ErrorKind::Server(
                ServerErrorKind::ResponseError
                    | ServerErrorKind::ExecAbort
                    | ServerErrorKind::NoScript
                    | ServerErrorKind::NoPerm
                    | ServerErrorKind::CrossSlot
            ) | ErrorKind::Extension
                | ErrorKind::UnexpectedReturnType
        );
        if reply {
            Fault::Reply(err)
        } else {
            Fault::Outage(err)
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Timeout(d) => write!(f, "no answer from Redis within {} ms", d.as_millis()),
            Fault::Outage(e) => write!(f, "Redis is unreachable: {e}"),
            Fault::Reply(e) => write!(f, "Redis refused the command: {e}"),
        }
    }
}

/// A lazily opened, self-healing Redis connection with a time budget per call.
pub(crate) struct Link {
    client: Client,
    config: ConnectionManagerConfig,
    call_timeout: Duration,
    /// The current manager and its generation (so a failed call only drops the manager it used,
    /// never a newer one another task already opened).
    manager: Mutex<(u64, Option<ConnectionManager>)>,
}

impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Link")
            .field("server", &self.client.get_connection_info().addr())
            .field("call_timeout", &self.call_timeout)
            .finish_non_exhaustive()
    }
}

impl Link {
    /// Parses the URL (the only thing that can fail here); nothing is connected yet.
    pub(crate) fn open(
        url: &str,
        call_timeout: Duration,
        connect_timeout: Duration,
    ) -> Result<Link, RedisError> {
        let client = Client::open(url)?;
        // One attempt per connection: retries are the caller's business (the cache bypasses
        // Redis and probes it in the background; routing state reports `store.unavailable`).
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(0)
            .set_connection_timeout(Some(connect_timeout))
            .set_response_timeout(Some(call_timeout.max(connect_timeout)));
        Ok(Link {
            client,
            config,
            call_timeout,
            manager: Mutex::new((0, None)),
        })
    }

    /// The manager to use, opening one (lazily: it connects on first use) when there is none.
    fn manager(&self) -> Result<(u64, ConnectionManager), Fault> {
        let mut slot = self
            .manager
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let (generation, Some(m)) = &*slot {
            return Ok((*generation, m.clone()));
        }
        let m = ConnectionManager::new_lazy_with_config(self.client.clone(), self.config.clone())
            .map_err(Fault::of)?;
        slot.0 += 1;
        slot.1 = Some(m.clone());
        Ok((slot.0, m))
    }

    /// Drops the manager of this generation (if still current): the next call reconnects.
    fn reset(&self, generation: u64) {
        let mut slot = self
            .manager
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if slot.0 == generation {
            slot.1 = None;
        }
    }

    /// Runs one command within the time budget.
    pub(crate) async fn call<T: FromRedisValue>(&self, cmd: &Cmd) -> Result<T, Fault> {
        self.call_within(cmd, self.call_timeout).await
    }

    /// Runs one command within `budget` (background work may wait longer than a request).
    pub(crate) async fn call_within<T: FromRedisValue>(
        &self,
        cmd: &Cmd,
        budget: Duration,
    ) -> Result<T, Fault> {
        let (generation, mut manager) = self.manager()?;
        let outcome = tokio::time::timeout(budget, cmd.query_async::<T>(&mut manager)).await;
        self.settle(generation, outcome, budget)
    }

    /// Runs a pipeline (one round trip) within the time budget.
    pub(crate) async fn call_pipeline<T: FromRedisValue>(
        &self,
        pipe: &Pipeline,
    ) -> Result<T, Fault> {
        let (generation, mut manager) = self.manager()?;
        let outcome =
            tokio::time::timeout(self.call_timeout, pipe.query_async::<T>(&mut manager)).await;
        self.settle(generation, outcome, self.call_timeout)
    }

    fn settle<T>(
        &self,
        generation: u64,
        outcome: Result<Result<T, RedisError>, tokio::time::error::Elapsed>,
        budget: Duration,
    ) -> Result<T, Fault> {
        match outcome {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => {
                let fault = Fault::of(err);
                if fault.is_outage() {
                    self.reset(generation);
                }
                Err(fault)
            }
            Err(_) => {
                self.reset(generation);
                Err(Fault::Timeout(budget))
            }
        }
    }
}

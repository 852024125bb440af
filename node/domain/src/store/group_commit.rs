//! Group commit: requests that each have a small write to make hand it to a queue, and
//! whichever of them gets the queue's turn first takes everything waiting (at most a batch)
//! and writes it at once, then tells each request how its part went. A write transaction is
//! mostly round trips to the database while the turn to write is held; shared by a batch,
//! that turn is no longer what limits how many requests a node takes (issue 18).
//!
//! No task of its own: the requests themselves take turns leading ([`Next`]). A request whose
//! part was taken by another leader waits for its answer; one that gets the turn with nothing
//! waiting knows its part was taken, and waits for the answer without the turn.

use std::sync::Mutex;
use tokio::sync::oneshot;

/// One queue of parts waiting to be written together.
pub struct GroupCommit<J, R> {
    waiting: Mutex<Vec<(J, oneshot::Sender<R>)>>,
    turn: tokio::sync::Mutex<()>,
    max_batch: usize,
}

/// A queued part's claim on its answer.
pub struct Ticket<R> {
    answer: oneshot::Receiver<R>,
}

/// What a request waiting in the queue does next.
pub enum Next<'q, J, R> {
    /// Its part was written by the batch that took it.
    Answered(Option<R>),
    /// It has the turn: it writes this batch (its own part among it, or not) and answers it.
    Lead(Batch<'q, J, R>),
}

/// Parts taken from the queue by the request that has the turn, which it keeps until the
/// batch is answered (or the [`Answers`] are handed on and this is dropped).
pub struct Batch<'q, J, R> {
    jobs: Vec<J>,
    answers: Answers<R>,
    _turn: tokio::sync::MutexGuard<'q, ()>,
}

impl<J, R> Batch<'_, J, R> {
    /// The parts to write, in the order they were queued, and where their answers go: owned,
    /// so that the writing may go on in a task of its own.
    pub fn take(&mut self) -> (Vec<J>, Answers<R>) {
        (std::mem::take(&mut self.jobs), Answers { replies: std::mem::take(&mut self.answers.replies) })
    }
}

/// Where the answers of a batch's parts go.
pub struct Answers<R> {
    replies: Vec<oneshot::Sender<R>>,
}

impl<R> Answers<R> {
    /// One answer per part, in their order.
    pub fn send(self, answers: Vec<R>) {
        for (reply, answer) in self.replies.into_iter().zip(answers) {
            let _ = reply.send(answer);
        }
    }
}

impl<J, R> std::fmt::Debug for GroupCommit<J, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit").field("max_batch", &self.max_batch).finish_non_exhaustive()
    }
}

impl<J, R> GroupCommit<J, R> {
    pub fn new(max_batch: usize) -> Self {
        GroupCommit { waiting: Mutex::new(Vec::new()), turn: tokio::sync::Mutex::new(()), max_batch: max_batch.max(1) }
    }

    /// Queues `job`; [`Self::next`] with the ticket says what to do.
    pub fn enqueue(&self, job: J) -> Ticket<R> {
        let (reply, answer) = oneshot::channel();
        self.waiting.lock().expect("group commit queue").push((job, reply));
        Ticket { answer }
    }

    /// Waits until the ticket's part is written (its answer) or until this request has the
    /// turn with parts waiting (a batch to write and answer, in the order the parts came).
    /// The answer is `None` when the request that took the part stopped before answering.
    pub async fn next(&self, ticket: &mut Ticket<R>) -> Next<'_, J, R> {
        tokio::select! {
            biased;
            answered = &mut ticket.answer => Next::Answered(answered.ok()),
            turn = self.turn.lock() => {
                let (jobs, replies) = self.take_batch().into_iter().unzip();
                if !Vec::is_empty(&replies) {
                    return Next::Lead(Batch { jobs, answers: Answers { replies }, _turn: turn });
                }
                // Nothing waits, so another request took this part: its answer comes. (The
                // turn comes back before that only when a leader was dropped while its batch
                // is still being written; asking for the turn again would spin.)
                drop(turn);
                Next::Answered((&mut ticket.answer).await.ok())
            }
        }
    }

    fn take_batch(&self) -> Vec<(J, oneshot::Sender<R>)> {
        let mut waiting = self.waiting.lock().expect("group commit queue");
        let count = waiting.len().min(self.max_batch);
        waiting.drain(..count).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_part_gets_its_own_answer_and_parts_share_batches() {
        let queue = Arc::new(GroupCommit::<usize, usize>::new(8));
        let batches = Arc::new(AtomicUsize::new(0));
        let mut requests = Vec::new();
        for n in 0..100 {
            let (queue, batches) = (queue.clone(), batches.clone());
            requests.push(tokio::spawn(async move {
                let mut ticket = queue.enqueue(n);
                loop {
                    match queue.next(&mut ticket).await {
                        Next::Answered(answer) => return answer,
                        Next::Lead(mut batch) => {
                            let (jobs, answers) = batch.take();
                            assert!(jobs.len() <= 8, "a batch of {} parts", jobs.len());
                            batches.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                            answers.send(jobs.into_iter().map(|job| job * 10).collect());
                        }
                    }
                }
            }));
        }
        for (n, request) in requests.into_iter().enumerate() {
            assert_eq!(request.await.unwrap(), Some(n * 10));
        }
        let batches = batches.load(Ordering::SeqCst);
        assert!(batches < 100, "100 parts queued together were written in {batches} batches");
    }
}

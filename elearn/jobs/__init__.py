"""Background jobs: work queued by a request (one row) and done later by a worker, in resumable batches."""

-- Pull requests of git repositories, numbered per repository (id 1, 2, ...). state: 0 open,
-- 1 merged, 2 declined. The commits are branch tips: the source's follows pushes while open, the
-- destination's is the tip merged into. Times are Unix milliseconds like every other table.
CREATE TABLE pull_requests (
    repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    id INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    author TEXT NOT NULL,
    state INTEGER NOT NULL DEFAULT 0,
    source_branch TEXT NOT NULL,
    source_commit TEXT NOT NULL,
    destination_branch TEXT NOT NULL,
    destination_commit TEXT NOT NULL,
    merge_commit TEXT NULL,
    closed_by TEXT NULL,
    closed_at INTEGER NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (repository_id, id)
);
CREATE INDEX ix_pull_requests_state ON pull_requests(repository_id, state, id);

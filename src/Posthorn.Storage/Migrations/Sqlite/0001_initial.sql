-- Posthorn schema, SQLite flavour. Times are unix milliseconds, booleans 0/1, delivery ids
-- Guid v7 text (text order = creation order). username_key/email_key hold the lower-cased
-- forms so lookups are case-insensitive the same way on both databases.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    is_site_admin INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE access_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NULL
);
CREATE INDEX ix_access_tokens_account ON access_tokens(account_id);

CREATE TABLE repositories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    is_private INTEGER NOT NULL,
    is_fork INTEGER NOT NULL,
    website TEXT NOT NULL,
    scm TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (owner_id, slug)
);

CREATE TABLE grants (
    repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    permission INTEGER NOT NULL,
    PRIMARY KEY (repository_id, account_id)
);

CREATE TABLE pushes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    pusher TEXT NOT NULL,
    pushed_at INTEGER NOT NULL,
    commit_count INTEGER NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX ix_pushes_repository ON pushes(repository_id, id);

CREATE TABLE ref_updates (
    push_id INTEGER NOT NULL REFERENCES pushes(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    ref_name TEXT NOT NULL,
    old_id TEXT NOT NULL,
    new_id TEXT NOT NULL,
    PRIMARY KEY (push_id, position)
);

CREATE TABLE post_services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    format INTEGER NOT NULL,
    is_active INTEGER NOT NULL,
    secrets TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_outcome INTEGER NULL,
    last_attempt_at INTEGER NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    paused_until INTEGER NULL,
    disabled_at INTEGER NULL,
    disabled_reason TEXT NULL
);
CREATE INDEX ix_post_services_repository ON post_services(repository_id);

CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES post_services(id) ON DELETE CASCADE,
    repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    push_id INTEGER NULL REFERENCES pushes(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    payload TEXT NULL,
    status INTEGER NOT NULL,
    attempt_count INTEGER NOT NULL DEFAULT 0,
    round_attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    completed_at INTEGER NULL,
    lease_owner TEXT NULL,
    lease_until INTEGER NULL,
    last_response_status INTEGER NULL,
    last_error TEXT NULL
);
-- The claim query scans pending rows by due time; listing pages by service and id.
CREATE INDEX ix_deliveries_due ON deliveries(status, next_attempt_at);
CREATE INDEX ix_deliveries_service ON deliveries(service_id, id);
CREATE INDEX ix_deliveries_push ON deliveries(push_id);
CREATE INDEX ix_deliveries_repository ON deliveries(repository_id);

CREATE TABLE attempts (
    delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    node_id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    request_url TEXT NOT NULL,
    request_headers TEXT NOT NULL,
    request_body TEXT NOT NULL,
    response_status INTEGER NULL,
    response_headers TEXT NULL,
    response_body TEXT NULL,
    error TEXT NULL,
    outcome INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, number)
);

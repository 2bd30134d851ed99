-- Browser sign-in sessions: signing out deletes the row, so a copied cookie stops working.
CREATE TABLE sign_in_sessions (
    session_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    started_at INTEGER NOT NULL
);
CREATE INDEX ix_sign_in_sessions_started ON sign_in_sessions(started_at);

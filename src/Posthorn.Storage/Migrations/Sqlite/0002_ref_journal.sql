-- The refs of each repository as Posthorn last recorded them. Every recorded push moves them in
-- its own transaction; reconciliation compares them with the refs on disk and records any
-- difference as a recovered push, so nothing that lands in a repository goes unannounced.
CREATE TABLE repository_refs (
    repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    ref_name TEXT NOT NULL,
    object_id TEXT NOT NULL,
    PRIMARY KEY (repository_id, ref_name)
);

-- Until now the recorded state was implicit in the pushes: the newest update of each ref wins.
INSERT INTO repository_refs (repository_id, ref_name, object_id)
SELECT repository_id, ref_name, new_id
FROM (
    SELECT p.repository_id, u.ref_name, u.new_id,
           ROW_NUMBER() OVER (PARTITION BY p.repository_id, u.ref_name ORDER BY u.push_id DESC, u.position DESC) AS newest
    FROM ref_updates u
    JOIN pushes p ON p.id = u.push_id
) latest
WHERE newest = 1 AND new_id <> '0000000000000000000000000000000000000000';

-- A push found by reconciliation rather than received over a git request.
ALTER TABLE pushes ADD COLUMN recovered INTEGER NOT NULL DEFAULT 0;

-- Written by the reference-transaction hook before git moves a ref (the "prepared" state): who
-- was moving what. A request that completes replaces them with its push; after a crash,
-- reconciliation uses them to name the pusher of what it recovers.
CREATE TABLE ref_intents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    pusher TEXT NOT NULL,
    ref_name TEXT NOT NULL,
    old_id TEXT NOT NULL,
    new_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX ix_ref_intents_repository ON ref_intents(repository_id);

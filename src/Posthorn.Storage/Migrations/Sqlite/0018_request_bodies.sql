-- An attempt's request body is the same text for every attempt of a delivery and for every service a
-- push goes to in the same format: it is stored once here, keyed by the SHA-256 of its text, and
-- attempts point at it (writing ~2 KB per attempt was the largest cost of settling one). Attempts
-- stored before this keep their body inline (request_body_id NULL); new ones store '' inline.
-- Bodies no attempt points at any more are deleted when finished deliveries are pruned.
CREATE TABLE request_bodies (
    id INTEGER PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);
ALTER TABLE attempts ADD COLUMN request_body_id INTEGER NULL REFERENCES request_bodies(id);
CREATE INDEX ix_attempts_request_body ON attempts(request_body_id);

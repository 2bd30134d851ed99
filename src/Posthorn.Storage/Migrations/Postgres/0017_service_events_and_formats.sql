-- What each POST service subscribes to and how it is signed: events and branch globs as JSON arrays
-- (default: push, every branch), Standard Webhooks on formats with their own signature (opt-in),
-- and GitHub's form variant.
ALTER TABLE post_services ADD COLUMN events TEXT NOT NULL DEFAULT '["push"]';
ALTER TABLE post_services ADD COLUMN branches TEXT NOT NULL DEFAULT '[]';
ALTER TABLE post_services ADD COLUMN standard_webhooks BIGINT NOT NULL DEFAULT 0;
ALTER TABLE post_services ADD COLUMN form_encoded BIGINT NOT NULL DEFAULT 0;

-- A paused, disabled or switched-off service's pending deliveries are held: out of the claim's
-- index, so a claim no longer steps over a dead receiver's queue row by row. Nothing about a held
-- delivery's place in the queue changes (its due time stays); queue_held marks the services whose
-- queue is held, where a claim looks for their probe and, once the service may send again, lets the
-- held rows back into the queue.
ALTER TABLE deliveries ADD COLUMN held BIGINT NOT NULL DEFAULT 0;
ALTER TABLE post_services ADD COLUMN queue_held BIGINT NOT NULL DEFAULT 0;
DROP INDEX ix_deliveries_due;
CREATE INDEX ix_deliveries_due ON deliveries(status, held, next_attempt_at);
CREATE INDEX ix_deliveries_held ON deliveries(service_id, next_attempt_at) WHERE status = 0 AND held = 1;
CREATE INDEX ix_post_services_queue_held ON post_services(id) WHERE queue_held = 1;

-- Services already paused, disabled or switched off hold their queues from now on.
UPDATE post_services SET queue_held = 1 WHERE is_active = 0 OR disabled_at IS NOT NULL OR paused_until IS NOT NULL;
UPDATE deliveries SET held = 1
WHERE status = 0 AND lease_owner IS NULL AND service_id IN (SELECT id FROM post_services WHERE queue_held = 1);

-- Which round of attempts a delivery is in: every redelivery starts a new one. An attempt under way
-- when the delivery was redelivered is recorded, but the delivery keeps the redelivery's state rather
-- than the one its old round planned. Counting attempts in the round could not tell this apart when
-- the redelivery came during a round's first attempt (the count was 0 before and after).
ALTER TABLE deliveries ADD COLUMN round_number BIGINT NOT NULL DEFAULT 0;

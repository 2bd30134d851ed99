-- A merge made by Posthorn journals the pull request it merges with the move. After a crash between
-- the move and its record, reconciliation closes that pull request with the recovered push, also
-- for a squash, whose commit does not reach the source and so could not be recognised otherwise.
ALTER TABLE ref_intents ADD COLUMN pull_request_id INTEGER NULL;

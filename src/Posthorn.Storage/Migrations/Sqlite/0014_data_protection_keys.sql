-- The Data Protection key ring when it lives in the database (several nodes on one database):
-- one row per key, the framework's XML as it gave it.
CREATE TABLE data_protection_keys (
    name TEXT PRIMARY KEY,
    xml TEXT NOT NULL
);

-- Documents: PDF files attached to a record (a meeting, a charter adoption; conventions and
-- avenants later). The owner is designated by its kind and id; who may read or write the
-- documents is the owner's rule (models.documentOwners). The bytes live in their own table so
-- that lists never load them, and in the database so that every app instance serves them.
-- The CHECK already lists the kinds planned by the design (convention, avenant): SQLite cannot
-- change a CHECK without rebuilding the table.

CREATE TABLE documents (
    id           {{id}},
    owner_kind   TEXT NOT NULL CHECK (owner_kind IN ('reunion', 'adoption', 'convention', 'avenant')),
    owner_id     BIGINT NOT NULL,
    nom          TEXT NOT NULL,
    taille       BIGINT NOT NULL CHECK (taille > 0),
    sha256       TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_at   {{timestamp}} NOT NULL,
    created_by   BIGINT REFERENCES users (id),
    updated_at   {{timestamp}} NOT NULL,
    archived_at  {{timestamp}},
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX documents_owner ON documents (owner_kind, owner_id, created_at);

CREATE TABLE document_contenus (
    document_id  BIGINT PRIMARY KEY REFERENCES documents (id),
    data         {{blob}} NOT NULL
);

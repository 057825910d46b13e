-- A cahier des charges owns the documents of its versions: the kind joins the CHECK of
-- documents.owner_kind.
-- SQLite cannot alter a CHECK: the table is rebuilt. The migration runs in a transaction
-- with the foreign keys on (they cannot be turned off inside it), so document_contenus,
-- which references documents, is copied aside and rebuilt too, child first: no row ever
-- references a missing document.
CREATE TABLE documents_copie AS SELECT * FROM documents;
CREATE TABLE document_contenus_copie AS SELECT * FROM document_contenus;
DROP TABLE document_contenus;
DROP TABLE documents;
CREATE TABLE documents (
    id           {{id}},
    owner_kind   TEXT NOT NULL CHECK (owner_kind IN ('reunion', 'adoption', 'convention', 'avenant', 'candidature', 'marche', 'cahier')),
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
INSERT INTO documents (id, owner_kind, owner_id, nom, taille, sha256, description, created_at, created_by, updated_at, archived_at, version)
    SELECT id, owner_kind, owner_id, nom, taille, sha256, description, created_at, created_by, updated_at, archived_at, version
    FROM documents_copie;
CREATE INDEX documents_owner ON documents (owner_kind, owner_id, created_at);
CREATE TABLE document_contenus (
    document_id  BIGINT PRIMARY KEY REFERENCES documents (id),
    data         {{blob}} NOT NULL
);
INSERT INTO document_contenus (document_id, data) SELECT document_id, data FROM document_contenus_copie;
DROP TABLE document_contenus_copie;
DROP TABLE documents_copie;

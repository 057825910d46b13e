-- Calls for tender, continued (issue 16): the cahiers des charges and their versions, the
-- version a market is based on, the market a financing line pays, the écoles a lot covers
-- and what an applied award changed.

-- A cahier des charges: the académie's model (no département) or a département's
-- adaptation (registry, models/policy.go).
CREATE TABLE cahiers_charges (
    id                {{id}},
    titre             TEXT NOT NULL,
    departement_code  TEXT REFERENCES departements (code),
    notes             TEXT NOT NULL DEFAULT '',
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    archived_at       {{timestamp}},
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cahiers_charges_departement ON cahiers_charges (departement_code, id);

-- A version of a cahier des charges: its document (owner kind "cahier"), its date, what
-- changed, and the charter version it complies with.
CREATE TABLE cahier_versions (
    id                 {{id}},
    cahier_id          BIGINT NOT NULL REFERENCES cahiers_charges (id),
    numero             TEXT NOT NULL,
    date_version       DATE NOT NULL,
    resume             TEXT NOT NULL,
    charte_version_id  BIGINT REFERENCES charte_versions (id),
    document_id        BIGINT REFERENCES documents (id),
    par                TEXT NOT NULL DEFAULT '',
    created_at         {{timestamp}} NOT NULL,
    UNIQUE (cahier_id, numero)
);
CREATE INDEX cahier_versions_cahier ON cahier_versions (cahier_id, date_version, id);

-- The cahier des charges version a market is based on.
ALTER TABLE marches ADD COLUMN cahier_version_id BIGINT REFERENCES cahier_versions (id);

-- The market a financing line pays.
ALTER TABLE financement_lignes ADD COLUMN marche_id BIGINT REFERENCES marches (id);
CREATE INDEX financement_lignes_marche ON financement_lignes (marche_id);

-- The écoles a lot covers, when not all the public écoles of the market's communes.
CREATE TABLE marche_lot_ecoles (
    lot_id  BIGINT NOT NULL REFERENCES marche_lots (id) ON DELETE CASCADE,
    uai     TEXT NOT NULL REFERENCES ecoles (uai),
    PRIMARY KEY (lot_id, uai)
);

-- What an applied award changed: each école given the solution and the solution it had
-- before (NULL: none), so that removing the award may give it back.
CREATE TABLE marche_lot_effets (
    lot_id             BIGINT NOT NULL REFERENCES marche_lots (id) ON DELETE CASCADE,
    uai                TEXT NOT NULL,
    solution_avant_id  BIGINT,
    PRIMARY KEY (lot_id, uai)
);

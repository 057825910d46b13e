-- The milestones (jalons) of the programme and the baselines of the plan (références).

-- A milestone is the académie's (no département), a département's, or a commune's (its
-- département is set too, so that the département's scopes read it). "Late" is derived:
-- the planned date has passed and the milestone is neither reached nor cancelled.
CREATE TABLE jalons (
    id                {{id}},
    titre             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    niveau            TEXT NOT NULL CHECK (niveau IN ('academie', 'departement', 'commune')),
    departement_code  TEXT REFERENCES departements (code),
    code_insee        TEXT REFERENCES communes (code_insee),
    date_prevue       DATE NOT NULL,
    date_effective    DATE,
    statut            TEXT NOT NULL DEFAULT 'a_venir' CHECK (statut IN ('a_venir', 'en_cours', 'atteint', 'annule')),
    convention_id     BIGINT REFERENCES conventions (id),
    vague_id          BIGINT REFERENCES vagues (id),
    decision_id       BIGINT REFERENCES decisions (id),
    created_at        {{timestamp}} NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    archived_at       {{timestamp}},
    version           INTEGER NOT NULL DEFAULT 1,
    CHECK ((niveau = 'academie' AND departement_code IS NULL AND code_insee IS NULL)
        OR (niveau = 'departement' AND departement_code IS NOT NULL AND code_insee IS NULL)
        OR (niveau = 'commune' AND departement_code IS NOT NULL AND code_insee IS NOT NULL))
);
CREATE INDEX jalons_departement ON jalons (departement_code, date_prevue);
CREATE INDEX jalons_date ON jalons (date_prevue, id);
CREATE INDEX jalons_commune ON jalons (code_insee);
CREATE INDEX jalons_vague ON jalons (vague_id);

-- A baseline: the plan frozen under a name at a date, the académie's (no département) or a
-- département's. Its rows keep the planned dates of the waves, milestones and écoles as
-- they were when it was frozen.
CREATE TABLE plan_references (
    id                {{id}},
    nom               TEXT NOT NULL,
    date_gel          {{timestamp}} NOT NULL,
    departement_code  TEXT REFERENCES departements (code),
    gele_par          TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '',
    created_at        {{timestamp}} NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX plan_references_departement ON plan_references (departement_code, date_gel);

CREATE TABLE plan_reference_vagues (
    reference_id      BIGINT NOT NULL REFERENCES plan_references (id),
    vague_id          BIGINT NOT NULL REFERENCES vagues (id),
    ouverture_prevue  DATE,
    PRIMARY KEY (reference_id, vague_id)
);

CREATE TABLE plan_reference_jalons (
    reference_id  BIGINT NOT NULL REFERENCES plan_references (id),
    jalon_id      BIGINT NOT NULL REFERENCES jalons (id),
    date_prevue   DATE NOT NULL,
    PRIMARY KEY (reference_id, jalon_id)
);

CREATE TABLE plan_reference_ecoles (
    reference_id      BIGINT NOT NULL REFERENCES plan_references (id),
    uai               TEXT NOT NULL REFERENCES ecoles (uai),
    vague_id          BIGINT REFERENCES vagues (id),
    ouverture_prevue  DATE,
    PRIMARY KEY (reference_id, uai)
);
CREATE INDEX plan_reference_ecoles_vague ON plan_reference_ecoles (reference_id, vague_id);
CREATE INDEX plan_reference_ecoles_date ON plan_reference_ecoles (reference_id, ouverture_prevue);
